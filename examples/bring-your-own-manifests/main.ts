// Bring your own manifests: a third-party app vendored as rendered YAML
// (vendor/inventory.yaml, what `helm template` prints) gets a log shipper and a
// netshoot toolbox at synth time, the way an admission-time injector would add them
// in the cluster, but reviewable in Git. The vendored file stays untouched; the
// sidecars are written into the Deployment's rendered pod template.
import * as path from 'path';
import { App, Chart, Include } from 'cdk8s';
import { LogOutput, LogShipperSidecar, NetshootDebugSidecar, PodSecurity } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'inventory');
  const vendored = new Include(chart, 'vendored', { url: path.join(__dirname, 'vendor', 'inventory.yaml') });
  // one manifest of the Include: the workload whose Pods get the sidecars
  const inventory = vendored.apiObjects.find(o => o.kind === 'Deployment' && o.name === 'inventory')!;
  // the chart leaves seccomp, runAsNonRoot and the capabilities unset: filled in for the restricted profile
  PodSecurity.restricted(inventory);
  new LogShipperSidecar(chart, 'logs', {
    workload: inventory,
    // the app writes --log-file=/var/log/inventory/access.log; the shipper joins the Pod's fsGroup to read it
    logDirectory: '/var/log/inventory',
    appContainers: ['inventory'],
    outputs: [LogOutput.loki({ host: 'loki-gateway.monitoring.svc.cluster.local', port: 80 })],
  });
  new NetshootDebugSidecar(chart, 'debug', {
    workload: inventory,
    checks: [{ name: 'postgres', host: 'inventory-db.shop.svc.cluster.local', port: 5432 }],
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
