// Seed 004: an app writes a log line with its Pod name every 5 seconds and Filebeat
// ships the file to Elasticsearch, adding the Pod's name, namespace, node and IP from
// the downward API to every record.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogOutput, LogShipperEngine, LogShipperSidecar } from '../../src';

export function build(app: App): App {
  const chart = new Chart(app, 'test', { namespace: 'default' });
  const test = new kplus.Deployment(chart, 'test', {
    metadata: { name: 'test', labels: { 'app.kubernetes.io/env': 'production', 'app.kubernetes.io/project': 'sample_project' } },
    replicas: 1,
    containers: [{
      name: 'busybox',
      image: 'busybox:1.37.0',
      command: ['sh', '-c', 'while true; do echo "$(date -u) this is a log, this is the Pod name $POD_NAME" >> /var/log/app/app.log; sleep 5; done'],
      envVariables: { POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME) },
      securityContext: { user: 1000, group: 1000 },
      resources: {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(50) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
      },
    }],
  });
  new LogShipperSidecar(chart, 'filebeat', {
    workload: test,
    engine: LogShipperEngine.FILEBEAT,
    logDirectory: '/var/log/app',
    output: LogOutput.elasticsearch({ host: 'elasticsearch.logging.svc', index: 'sample-project', credentials: { secretName: 'filebeat-elasticsearch' } }),
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
