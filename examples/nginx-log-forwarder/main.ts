// Seed 003's "nginx-log-forwarder": a sidecar that reformats nginx's access log, with
// the seed's resources for both containers and a read-only log mount. As a native
// sidecar it stops after nginx, and its two-second drain, counted from nginx's exit,
// prints nginx's last lines.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSecurity, SharedVolume, Sidecar } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'nginx-log-forwarder');
  const pod = new kplus.Pod(chart, 'nginx-log-forwarder', {
    metadata: { name: 'nginx-log-forwarder', labels: { app: 'nginx-advanced' } },
    containers: [{
      name: 'nginx',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      portNumber: 8080,
      securityContext: { user: 101, group: 101 },
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
    }],
  });
  PodSecurity.restricted(pod);
  pod.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

  const logs = new SharedVolume(chart, 'logs', { workload: pod, name: 'logs', sizeLimit: Size.mebibytes(128) });
  logs.mount(pod.containers[0], '/var/log/nginx');
  const forwarder = new Sidecar(chart, 'log-forwarder', {
    workload: pod,
    image: 'busybox:1.37.0',
    // run inside the drain wrapper, which stops it two seconds after nginx has exited
    command: ['sh', '-c',
      'echo "Starting log forwarder..."; tail -n 1 -F /logs/access.log | while read -r line; do echo "[PROCESSED] $(date -u +%Y-%m-%dT%H:%M:%S) - $line"; done'],
    drainTime: Duration.seconds(2),
    resources: {
      cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(100) },
      memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
    },
  });
  forwarder.mount(logs, '/logs');
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
