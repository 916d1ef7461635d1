// Every sidecar kind on one Deployment: the mesh proxy starts first and gates the app,
// Fluent Bit ships nginx's access log to Loki for search and to an HTTP archive (with
// its own login), netshoot checks the database (and is left out in
// production); the proxy's metrics get the prometheus.io annotations, Fluent Bit's port
// is named http-metrics for a PodMonitor.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CheckProtocol, LogOutput, LogParser, LogShipperSidecar, MeshProxySidecar, NetshootDebugSidecar, PodSecurity, ProxyProtocol } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', {
    metadata: { name: 'web' },
    replicas: 2,
    containers: [{
      name: 'nginx',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      portNumber: 8080,
      securityContext: { user: 101, group: 101 },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
    }],
  });
  PodSecurity.restricted(web);
  web.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

  const proxy = new MeshProxySidecar(chart, 'mesh', {
    workload: web,
    appPort: 8080,
    upstreams: [{ name: 'postgres', host: 'postgresql.db.svc.cluster.local', port: 5432, localPort: 5432, protocol: ProxyProtocol.TCP }],
  });
  new LogShipperSidecar(chart, 'logs', {
    workload: web,
    logDirectory: '/var/log/nginx',
    files: ['access.log'],
    parser: LogParser.nginx(),
    outputs: [
      LogOutput.loki({ host: 'loki.logging.svc', labels: { app: 'web' } }),
      LogOutput.http({ host: 'log-archive.logging.svc', path: '/ingest', credentials: { secretName: 'log-archive-login' } }),
    ],
  });
  new NetshootDebugSidecar(chart, 'debug', {
    workload: web,
    enabled: process.env.ENVIRONMENT !== 'production',
    checks: [{ name: 'postgres', host: 'postgresql.db.svc.cluster.local', port: 5432 }, { name: 'postgres-dns', host: 'postgresql.db.svc.cluster.local', protocol: CheckProtocol.DNS }],
  });
  proxy.bindService(new kplus.Service(chart, 'service', { metadata: { name: 'web' }, selector: web }), { port: 80 });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
