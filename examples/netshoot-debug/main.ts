// Seed 000: a netshoot sidecar beside a backend, for `kubectl exec -c netshoot` and
// for checks that answer "can this Pod reach postgres?" in `kubectl logs -c netshoot`:
// a Service name that does not resolve next to one that connects.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CheckProtocol, NetshootDebugSidecar, PodSecurity } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'backend', { namespace: 'ns-backend' });
  const backend = new kplus.Deployment(chart, 'backend', {
    metadata: { name: 'backend' },
    replicas: 1,
    containers: [{
      name: 'backend',
      image: 'ghcr.io/example/backend:1.4.2',
      portNumber: 8080,
      securityContext: { user: 1000, group: 1000 },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
    }],
  });
  // debug.execCommand() and debug.logsCommand() give the kubectl commands:
  //   kubectl exec -it -n ns-backend deployment/backend -c netshoot -- bash
  //   kubectl logs -f -n ns-backend deployment/backend -c netshoot
  PodSecurity.restricted(backend);
  new NetshootDebugSidecar(chart, 'debug', {
    workload: backend,
    // on in development, off in production: the same app serves both
    enabled: process.env.ENVIRONMENT !== 'production',
    checks: [
      { name: 'postgres-svc', host: 'postgresql.ns-backend.svc.cluster.local', port: 5432 },
      { name: 'postgres-headless', host: 'dev-psql-hl-svc.ns-postgresql.svc.cluster.local', port: 5432 },
      { name: 'postgres-dns', host: 'dev-psql-hl-svc.ns-postgresql.svc.cluster.local', protocol: CheckProtocol.DNS },
    ],
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
