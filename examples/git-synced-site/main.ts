// A documentation site served from Git (seed 003's configuration management): git-sync
// fetches the pages once before the server starts, then every 30 s; the server reads
// them through the link /srv/site/current, which switches atomically, and git-sync
// calls its reload endpoint after each change so that it drops its page cache. The
// deploy key and the server's host key come from a Secret that only git-sync mounts.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConfigSyncAuth, ConfigSyncSidecar, PodSecurity } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'docs', { namespace: 'docs' });
  const site = new kplus.Deployment(chart, 'site', {
    metadata: { name: 'docs-site' },
    replicas: 2,
    containers: [{
      name: 'server',
      image: 'ghcr.io/example/docs-site:3.1.0',
      // serves the pages under --root and reloads them on POST /-/reload
      args: ['--root', '/srv/site/current/public', '--listen', ':8080'],
      ports: [{ number: 8080, name: 'http' }],
      securityContext: { user: 101, group: 101 },
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
    }],
  });
  PodSecurity.restricted(site);

  new ConfigSyncSidecar(chart, 'pages', {
    workload: site,
    repository: 'git@github.com:example/docs-pages.git',
    ref: 'main',
    subPath: 'public',
    mountPath: '/srv/site',
    period: Duration.seconds(30),
    auth: ConfigSyncAuth.ssh({ secretName: 'docs-pages-deploy-key' }),
    webhook: { port: 8080, path: '/-/reload' },
  });
  new kplus.Service(chart, 'service', { metadata: { name: 'docs-site' }, selector: site, ports: [{ port: 80, targetPort: 8080 }] });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
