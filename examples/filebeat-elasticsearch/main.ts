// Seed 004: nginx serves a page that a busybox sidecar rewrites every five seconds
// with the Pod's name (POD_NAME from the downward API), behind a NodePort Service;
// Filebeat ships nginx's access log to Elasticsearch with the Pod's name on every record.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DownwardApiEnv, LogOutput, LogShipperEngine, LogShipperSidecar, PodSecurity, SharedVolume, Sidecar } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'test', { namespace: 'default' });
  const labels = { 'app.kubernetes.io/env': 'production', 'app.kubernetes.io/project': 'sample_project' };
  const test = new kplus.Deployment(chart, 'test', {
    metadata: { name: 'test', labels },
    podMetadata: { labels: { 'app.kubernetes.io/project': 'sample_project' } },
    replicas: 1,
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
  PodSecurity.restricted(test);
  // nginx needs a writable /tmp under a read-only root filesystem
  test.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

  // the page: written by the sidecar, served by nginx
  const data = new SharedVolume(chart, 'data', { workload: test, sizeLimit: Size.mebibytes(1) });
  data.mount(test.containers[0], '/usr/share/nginx/html', { readOnly: true });
  const writer = new Sidecar(chart, 'busybox', {
    workload: test,
    image: 'busybox:1.37.0',
    command: Sidecar.exitOnSigterm(['sh', '-c',
      'while true; do echo "$(date -u) this is a log, this is the Pod name $POD_NAME" > /var/log/index.html; sleep 5; done']),
    downwardApiEnv: [DownwardApiEnv.POD_NAME],
    resources: {
      cpu: { request: kplus.Cpu.millis(5), limit: kplus.Cpu.millis(50) },
      memory: { request: Size.mebibytes(8), limit: Size.mebibytes(16) },
    },
  });
  writer.mount(data, '/var/log', { readOnly: false });

  new LogShipperSidecar(chart, 'filebeat', {
    workload: test,
    engine: LogShipperEngine.FILEBEAT,
    appContainers: [test.containers[0].name],
    logDirectory: '/var/log/nginx',
    files: ['access.log'],
    outputs: [LogOutput.elasticsearch({ host: 'elasticsearch.logging.svc', index: 'sample-project', credentials: { secretName: 'filebeat-elasticsearch' } })],
  });

  new kplus.Service(chart, 'nginx-svc', {
    metadata: { name: 'nginx-svc', labels: { 'app.kubernetes.io/project': 'sample_project' } },
    type: kplus.ServiceType.NODE_PORT,
    selector: test,
    ports: [{ port: 80, targetPort: 8080 }],
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
