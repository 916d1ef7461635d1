// Seed 001's Deployment: `myapp` (two replicas) appends a line to /opt/logs.txt every
// second; `logshipper` follows the file and prints each line with the Pod's name, so
// `kubectl logs deploy/myapp -c logshipper` shows them. A native sidecar: it starts
// before myapp and stops after it, printing myapp's last lines.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogShipperEngine, LogShipperSidecar, PodSecurity } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'myapp');
  const myapp = new kplus.Deployment(chart, 'myapp', {
    metadata: { name: 'myapp' },
    replicas: 2,
    containers: [{
      name: 'myapp',
      image: 'alpine:3.21.0',
      command: ['sh', '-c', 'trap "exit 0" TERM; while true; do echo "logging" >> /opt/logs.txt; sleep 1; done'],
      securityContext: { user: 1000, group: 1000 },
      resources: {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
      },
    }],
  });
  PodSecurity.restricted(myapp);
  new LogShipperSidecar(chart, 'logshipper', {
    workload: myapp,
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
