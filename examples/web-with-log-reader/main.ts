// Seed 002's "web-with-logger": nginx writes its logs into a shared emptyDir and a
// busybox sidecar prints them, so `kubectl logs deploy/web -c log-reader` shows them.
// ../web-with-log-reader-classic builds the same app for a cluster without native sidecars.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSecurity, SharedVolume, Sidecar } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'web-with-log-reader');
  const web = new kplus.Deployment(chart, 'web', {
    replicas: 1,
    containers: [{
      name: 'web-server',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      portNumber: 8080,
      securityContext: { user: 101, group: 101 },
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
    }],
  });
  PodSecurity.restricted(web);
  // nginx needs a writable /tmp under a read-only root filesystem
  web.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

  const logs = new SharedVolume(chart, 'shared-logs', { workload: web, sizeLimit: Size.mebibytes(256) });
  logs.mount(web.containers[0], '/var/log/nginx');

  const reader = new Sidecar(chart, 'log-reader', {
    workload: web,
    image: 'busybox:1.37.0',
    // with a drain, the library runs tail inside a small shell script (PID 1) that, on the
    // SIGTERM the kubelet sends once nginx has exited, lets tail print for two seconds
    // more and then stops it: nginx's last lines are printed, however long nginx takes
    command: ['tail', '-n+1', '-F', '/logs/access.log', '/logs/error.log'],
    drainTime: Duration.seconds(2),
    resources: {
      cpu: { request: kplus.Cpu.millis(5), limit: kplus.Cpu.millis(50) },
      memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
    },
  });
  reader.mount(logs, '/logs');
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
