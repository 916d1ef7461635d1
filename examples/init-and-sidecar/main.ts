// Seed 003's "init-and-sidecar": a regular init container writes the configuration the
// app reads, then a monitoring sidecar starts, then the app. Declared in that order,
// they start in that order; the sidecar stops after the app.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSecurity, SharedVolume, Sidecar } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'init-and-sidecar');
  const pod = new kplus.Pod(chart, 'init-and-sidecar', {
    metadata: { name: 'init-and-sidecar' },
    containers: [{
      name: 'app',
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

  const config = new SharedVolume(chart, 'config', { workload: pod, name: 'config', sizeLimit: Size.mebibytes(1) });
  const setup = pod.addInitContainer({
    name: 'setup',
    image: 'busybox:1.37.0',
    command: ['sh', '-c', 'echo "Setup complete" > /config/init.txt'],
    securityContext: { user: 65532, group: 65532 },
    resources: {
      cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
      memory: { request: Size.mebibytes(8), limit: Size.mebibytes(16) },
    },
  });
  config.mount(setup, '/config');
  config.mount(pod.containers[0], '/config', { readOnly: true });

  new Sidecar(chart, 'sidecar-monitor', {
    workload: pod,
    image: 'busybox:1.37.0',
    command: Sidecar.exitOnSigterm(['sh', '-c', 'while true; do echo "Monitoring..."; sleep 10; done']),
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
