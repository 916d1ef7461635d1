// Seed 003's "sidecar-demo": nginx writes its access log into a shared emptyDir, and a
// busybox sidecar prints it (`kubectl logs sidecar-demo -c log-processor`). nginx runs
// unprivileged (port 8080); the sidecar mounts the logs read-only.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSecurity, SharedVolume, Sidecar } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'sidecar-demo');
  const pod = new kplus.Pod(chart, 'sidecar-demo', {
    metadata: { name: 'sidecar-demo', labels: { app: 'sidecar-demo' } },
    containers: [{
      name: 'nginx',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      portNumber: 8080,
      securityContext: { user: 101, group: 101 },
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
    }],
  });
  PodSecurity.restricted(pod);
  pod.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

  const logs = new SharedVolume(chart, 'shared-logs', { workload: pod, name: 'shared-logs', sizeLimit: Size.mebibytes(128) });
  logs.mount(pod.containers[0], '/var/log/nginx');
  const processor = new Sidecar(chart, 'log-processor', {
    workload: pod,
    image: 'busybox:1.37.0',
    command: Sidecar.exitOnSigterm(['tail', '-n', '+1', '-F', '/logs/access.log']),
  });
  processor.mount(logs, '/logs');
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
