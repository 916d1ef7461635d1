// nginx access logs, parsed and shipped to Elasticsearch by Fluent Bit: the log files
// stay on a shared emptyDir, the credentials in a Secret, the CA in a ConfigMap, and
// every record carries the Pod's name, namespace, node, IP and `app` label.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogOutput, LogParser, LogShipperSidecar, PodSecurity } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'web', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', {
    metadata: { name: 'web' },
    podMetadata: { labels: { app: 'web' } },
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
  PodSecurity.restricted(web);
  web.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

  new LogShipperSidecar(chart, 'logs', {
    workload: web,
    logDirectory: '/var/log/nginx',
    files: ['access.log'],
    parser: LogParser.nginx(),
    podLabels: ['app'],
    outputs: [LogOutput.elasticsearch({
      host: 'elasticsearch.logging.svc',
      index: 'web',
      tls: { caConfigMapName: 'logging-ca' },
      credentials: { secretName: 'web-log-shipper' },
    })],
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
