// Seed 001's Job: `myjob` writes a log file, `logshipper` follows it. As a classic
// sidecar the shipper would keep the Pod alive forever; as a native one (this app) the
// Job completes when `myjob` does. ../job-with-logshipper-classic builds it for 1.28.
// `myjob` writes its one line and exits at once; the kubelet then sends the shipper
// SIGTERM, and the tail engine's script (PID 1) looks for new files once more and gives
// its followers 2 s to print what is left before it exits: the line is shipped.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogShipperEngine, LogShipperSidecar, PodSecurity, SidecarJob } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'myjob');
  const job = new SidecarJob(chart, 'myjob', {
    metadata: { name: 'myjob' },
    containers: [{
      name: 'myjob',
      image: 'alpine:3.21.0',
      command: ['sh', '-c', 'echo "logging" > /opt/logs.txt'],
      securityContext: { user: 1000, group: 1000 },
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
      },
    }],
  });
  PodSecurity.restricted(job);
  // the shared volume at /opt, and busybox `tail -F` printing each line with the Pod's name
  new LogShipperSidecar(chart, 'logshipper', {
    workload: job,
    engine: LogShipperEngine.TAIL,
    containerName: 'logshipper',
    logDirectory: '/opt',
    files: ['logs.txt'],
    logVolumeSizeLimit: Size.mebibytes(64),
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
