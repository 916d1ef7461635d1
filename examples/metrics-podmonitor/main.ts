// An app whose metrics go out through a statsd exporter sidecar, with a Fluent Bit log
// shipper beside it: the exporter's endpoint gets the prometheus.io annotations (a
// plain Sidecar's metrics come first), and a Prometheus Operator PodMonitor lists both
// endpoints, for a Prometheus that selects PodMonitors labelled release: prometheus.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogOutput, LogShipperSidecar, PodMonitor, PodSecurity, Sidecar } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'orders', { namespace: 'orders' });
  const orders = new kplus.Deployment(chart, 'orders', {
    metadata: { name: 'orders' },
    replicas: 3,
    containers: [{
      name: 'orders',
      image: 'ghcr.io/example/orders:1.4.2',
      ports: [{ number: 8080, name: 'http' }],
      // the app sends its counters to the exporter over statsd (UDP, inside the Pod)
      envVariables: { STATSD_ADDRESS: kplus.EnvValue.fromValue('127.0.0.1:9125') },
      securityContext: { user: 1000, group: 1000 },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
    }],
  });
  PodSecurity.restricted(orders);

  new Sidecar(chart, 'statsd', {
    workload: orders,
    containerName: 'statsd-exporter',
    image: 'prom/statsd-exporter:v0.28.0',
    args: ['--statsd.listen-udp=127.0.0.1:9125', '--statsd.listen-tcp=', '--web.listen-address=:9102'],
    metrics: { port: 9102, portName: 'statsd-metrics' },
  });
  new LogShipperSidecar(chart, 'logs', {
    workload: orders,
    logDirectory: '/var/log/orders',
    outputs: [LogOutput.loki({ host: 'loki.logging.svc', labels: { app: 'orders' } })],
  });
  new PodMonitor(chart, 'monitor', {
    workload: orders,
    metadata: { labels: { release: 'prometheus' } },
    interval: Duration.seconds(30),
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
