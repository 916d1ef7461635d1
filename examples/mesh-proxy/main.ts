// An API behind an Envoy proxy, without a control plane: clients reach it over TLS on
// the Service's port 443, which leads into the proxy; the proxy terminates TLS with the
// certificate cert-manager keeps in the Secret `orders-tls` (renewals are picked up
// without a restart) and forwards to the app on 127.0.0.1:8080. The app reaches its
// database through the proxy too, on 127.0.0.1:5432, with connect timeouts, circuit
// breaking and outlier detection. The proxy starts before the app and stops after it.
// A NetworkPolicy makes the proxy the only way in: other Pods reach port 15006 (and
// the metrics port), not the app's 8080 in plaintext.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MeshProxySidecar, PodSecurity, ProxyProtocol } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'orders', { namespace: 'shop' });
  const orders = new kplus.Deployment(chart, 'orders', {
    replicas: 2,
    containers: [{
      name: 'orders',
      image: 'ghcr.io/example/orders:1.4.2',
      portNumber: 8080,
      envVariables: {
        // the database, through the proxy's outbound listener
        DATABASE_HOST: kplus.EnvValue.fromValue('127.0.0.1'),
        DATABASE_PORT: kplus.EnvValue.fromValue('5432'),
      },
      securityContext: { user: 10001, group: 10001 },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
    }],
  });
  PodSecurity.restricted(orders);

  const proxy = new MeshProxySidecar(chart, 'mesh', {
    workload: orders,
    appPort: 8080,
    inboundTls: { secretName: 'orders-tls' },
    appOnlyThroughProxy: true,
    upstreams: [{ name: 'postgres', host: 'postgresql.db.svc.cluster.local', port: 5432, localPort: 5432, protocol: ProxyProtocol.TCP }],
  });

  const service = new kplus.Service(chart, 'service', { metadata: { name: 'orders' }, selector: orders });
  proxy.bindService(service, { port: 443 });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
