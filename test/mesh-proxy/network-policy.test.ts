// appOnlyThroughProxy: a NetworkPolicy that admits the proxy's port and the metrics
// ports, never the app's, selecting the Pods by the rendered template's labels.
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogShipperSidecar, MeshProxySidecar } from '../../src';
import { apiObjectDeployment, newChart, only, synth, synthErrorLines } from '../util';

test('a Deployment: the proxy port and every *-metrics port, not the app port; the Pods by their labels; schema-valid', () => {
  const { app, chart } = newChart();
  const web = new kplus.Deployment(chart, 'web', {
    metadata: { namespace: 'shop' },
    containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080 }],
  });
  const mesh = new MeshProxySidecar(chart, 'mesh', { workload: web, appPort: 8080, appOnlyThroughProxy: true });
  new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/nginx' });
  // synth validates every manifest against the Kubernetes schema, the NetworkPolicy's too
  const manifests = synth(app);
  const policy = only(manifests, 'NetworkPolicy');
  const labels = only(manifests, 'Deployment').spec.template.metadata.labels;
  expect(Object.keys(labels).length).toBeGreaterThan(0);
  expect(policy).toEqual({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: expect.stringMatching(/^test-mesh-networkpolicy-/), namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress'],
      // 15006 the proxy; 2020 the shipper's metrics (http-metrics), 15021 the proxy's health and metrics (proxy-metrics)
      ingress: [{ ports: [{ port: 15006, protocol: 'TCP' }, { port: 2020, protocol: 'TCP' }, { port: 15021, protocol: 'TCP' }] }],
    },
  });
  expect(mesh.networkPolicy).toBeDefined();
});

test('an imported Deployment: its own labels, and a metrics port on the app port is not admitted', () => {
  const { app, chart } = newChart();
  const deployment = apiObjectDeployment(chart, 'api', {
    containers: [{ name: 'api', image: 'example/api:1.0', ports: [{ containerPort: 9000, name: 'http-metrics' }] }],
  }, { app: 'api', tier: 'backend' });
  new MeshProxySidecar(chart, 'mesh', { workload: deployment, appPort: 9000, appOnlyThroughProxy: true });
  const policy = only(synth(app), 'NetworkPolicy');
  expect(policy.metadata.namespace).toBeUndefined();
  expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'api', tier: 'backend' } });
  expect(policy.spec.ingress).toEqual([{ ports: [{ port: 15006, protocol: 'TCP' }, { port: 15021, protocol: 'TCP' }] }]);
});

test('only ports named *-metrics are admitted: not an unnamed port, not another named one, not a metrics port on the app port', () => {
  const { app, chart } = newChart();
  const deployment = apiObjectDeployment(chart, 'api', {
    containers: [{
      name: 'api',
      image: 'example/api:1.0',
      ports: [{ containerPort: 8080, name: 'app-metrics' }, { containerPort: 8081 }, { containerPort: 9000, name: 'admin' }, { containerPort: 9100, name: 'jvm-metrics' }],
    }],
  });
  new MeshProxySidecar(chart, 'mesh', { workload: deployment, appPort: 8080, appOnlyThroughProxy: true });
  expect(only(synth(app), 'NetworkPolicy').spec.ingress).toEqual([{ ports: [15006, 9100, 15021].map(port => ({ port, protocol: 'TCP' })) }]);
});

test('not set: no NetworkPolicy', () => {
  const { app, chart } = newChart();
  const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.27.3', portNumber: 8080 }] });
  const mesh = new MeshProxySidecar(chart, 'mesh', { workload: web, appPort: 8080 });
  expect(synth(app).filter(m => m.kind === 'NetworkPolicy')).toEqual([]);
  expect(mesh.networkPolicy).toBeUndefined();
});

describe('errors', () => {
  test('without appPort: no inbound listener to be the only way in', () => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.27.3' }] });
    expect(() => new MeshProxySidecar(chart, 'mesh', {
      workload: web, appOnlyThroughProxy: true, upstreams: [{ name: 'db', host: 'postgres.db.svc', port: 5432, localPort: 5432 }],
    })).toThrow('[test/mesh] appOnlyThroughProxy: true is set, but appPort is not, so there is no inbound listener to be the only way in. '
      + 'Give appPort (the port the proxy forwards to), or leave appOnlyThroughProxy unset.');
  });

  test('a pod template without labels cannot be selected', () => {
    const { app, chart } = newChart();
    const pod = new ApiObject(chart, 'pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', image: 'example/app:1.0', ports: [{ containerPort: 8080 }] }] },
    });
    new MeshProxySidecar(chart, 'mesh', { workload: pod, appPort: 8080, appOnlyThroughProxy: true });
    expect(synthErrorLines(app).join('\n')).toContain('[test/mesh] appOnlyThroughProxy: true cannot select the Pods of test/pod: its pod template has no labels. '
      + 'Give the pod template labels (as every Deployment, StatefulSet and DaemonSet needs for its selector), or leave appOnlyThroughProxy unset.');
  });
});
