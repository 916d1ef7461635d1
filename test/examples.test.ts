import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'yaml';
import { PodPlan } from '../src';
import { only, podSpec, synth } from './util';

const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter(name => fs.existsSync(path.join(EXAMPLES_DIR, name, 'cdk8s.yaml'))).sort();

function build(name: string, outdir?: string): App {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example = require(path.join(EXAMPLES_DIR, name, 'main'));
  return example.build(new App({ outdir }));
}

test('there are examples', () => {
  expect(EXAMPLES.length).toBeGreaterThanOrEqual(2);
});

describe.each(EXAMPLES)('%s', (name) => {
  test('synthesizes to schema-valid manifests, the same bytes twice', () => {
    const first = build(name).synthYaml();
    const second = build(name).synthYaml();
    expect(second).toBe(first);
    expect(synth(build(name)).length).toBeGreaterThan(0);
    expect(first).toMatchSnapshot();
  });

  test('the YAML committed in examples/<name>/dist/ is what the code writes (npm run synth:examples rewrites it)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
    build(name, outdir).synth();
    const committed = path.join(EXAMPLES_DIR, name, 'dist');
    const files = fs.readdirSync(outdir).sort();
    expect(fs.readdirSync(committed).filter(f => f.endsWith('.k8s.yaml')).sort()).toEqual(files);
    for (const file of files) {
      expect(`${file}:\n${fs.readFileSync(path.join(committed, file), 'utf-8')}`).toBe(`${file}:\n${fs.readFileSync(path.join(outdir, file), 'utf-8')}`);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('every Pod meets the Pod Security Standards restricted profile, app containers included, but for the exceptions its cdk8s.yaml names; the plan finds no error', () => {
    const validation = yaml.parse(fs.readFileSync(path.join(EXAMPLES_DIR, name, 'cdk8s.yaml'), 'utf-8')).validations[0];
    expect(validation.properties.podSecurityLevel).toBe('restricted');
    const exceptions: string[] = validation.properties.podSecurityExceptions ?? [];
    for (const manifest of synth(build(name)).filter(m => PodPlan.isWorkload(m))) {
      const plan = PodPlan.fromManifest(manifest);
      const violations = plan.podSecurity.violations.filter(v => !exceptions.includes(v.control));
      expect({ name: plan.name, violations }).toEqual({ name: plan.name, violations: [] });
      expect(plan.errors).toEqual([]);
    }
  });
});

test('web-with-log-reader: native sidecar in initContainers, classic one in containers', () => {
  const native = podSpec(only(synth(build('web-with-log-reader')), 'Deployment'));
  expect(native.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-reader', 'Always']]);
  expect(native.containers.map((c: any) => c.name)).toEqual(['web-server']);

  const classic = podSpec(only(synth(build('web-with-log-reader-classic')), 'Deployment'));
  expect(classic.initContainers).toBeUndefined();
  expect(classic.containers.map((c: any) => c.name)).toEqual(['web-server', 'log-reader']);
  expect(classic.containers[1].restartPolicy).toBeUndefined();
});

test('job-with-logshipper: native sidecar; classic variant wraps both commands', () => {
  const native = podSpec(only(synth(build('job-with-logshipper')), 'Job'));
  expect(native.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['logshipper', 'Always']]);
  expect(native.containers[0].command).toEqual(['sh', '-c', 'echo "logging" > /opt/logs.txt']);

  const classic = podSpec(only(synth(build('job-with-logshipper-classic')), 'Job'));
  const [main, shipper] = classic.containers;
  expect([...main.command.slice(0, 2), ...main.command.slice(3)]).toEqual(['/bin/sh', '-c', 'myjob', 'sh', '-c', 'echo "logging" > /opt/logs.txt']);
  expect([...shipper.command.slice(0, 2), ...shipper.command.slice(3, 6)]).toEqual(['/bin/sh', '-c', 'logshipper', 'sh', '-c']);
  expect(shipper.command[6]).toContain("stat -L -c '%i %n' -- /opt/logs.txt 2>/dev/null");
});

test('netshoot-debug: seed 000 checks in a ConfigMap', () => {
  const manifests = synth(build('netshoot-debug'));
  expect(podSpec(only(manifests, 'Deployment')).initContainers[0].command).toEqual(['bash', '/etc/netshoot/checks.sh']);
  expect(only(manifests, 'ConfigMap').data['checks.sh']).toContain("check_tcp 'postgres-svc' 'postgresql.ns-backend.svc.cluster.local' 5432");
});

test('web-fluent-bit-elasticsearch: the target API of the design', () => {
  const manifests = synth(build('web-fluent-bit-elasticsearch'));
  const shipper = podSpec(only(manifests, 'Deployment')).initContainers[0];
  // the variant with a shell: the drain wrapper runs Fluent Bit
  expect(shipper).toMatchObject({ name: 'log-shipper', restartPolicy: 'Always', image: 'fluent/fluent-bit:4.0.7-debug' });
  expect(shipper.command.slice(3, 5)).toEqual(['log-shipper', '/fluent-bit/bin/fluent-bit']);
  expect(only(manifests, 'ConfigMap').metadata.namespace).toBe('shop');
  expect(only(manifests, 'ConfigMap').data['fluent-bit.conf']).toContain('index              web');
});

test('filebeat-elasticsearch: seed 004, a page written with the Pod name, served by nginx behind a NodePort Service, logs to Elasticsearch', () => {
  const manifests = synth(build('filebeat-elasticsearch'));
  const spec = podSpec(only(manifests, 'Deployment'));
  const [writer, filebeat] = spec.initContainers;
  expect(writer.env).toEqual([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
  expect(writer.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/log', readOnly: false }]);
  expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/usr/share/nginx/html', readOnly: true });
  expect(filebeat.image).toBe('docker.elastic.co/beats/filebeat:8.17.3');
  expect(only(manifests, 'ConfigMap').data['filebeat.yml']).toContain('k8s.pod.name: ${POD_NAME}');
  expect(only(manifests, 'Service').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] });
});

test('seed 003 init-and-sidecar: setup runs first, then the monitor starts, then the app', () => {
  const spec = podSpec(only(synth(build('init-and-sidecar')), 'Pod'));
  expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy ?? 'init'])).toEqual([['setup', 'init'], ['sidecar-monitor', 'Always']]);
});

test('mesh-proxy: the Service leads into the proxy, which terminates TLS and gives the app its database on 127.0.0.1', () => {
  const manifests = synth(build('mesh-proxy'));
  expect(only(manifests, 'Service').spec.ports).toEqual([{ port: 443, targetPort: 15006, name: 'https' }]);
  const spec = podSpec(only(manifests, 'Deployment'));
  expect(spec.initContainers[0]).toMatchObject({ name: 'mesh-proxy', restartPolicy: 'Always', startupProbe: { httpGet: { path: '/ready', port: 15021 } } });
  expect(spec.volumes).toContainEqual({ name: 'mesh-proxy-tls-inbound', secret: { secretName: 'orders-tls' } });
  const envoy = only(manifests, 'ConfigMap').data['envoy.yaml'];
  expect(envoy).toContain('port_value: 5432');
  expect(envoy).toContain('address: postgresql.db.svc.cluster.local');
});

test('bring-your-own-manifests: the vendored YAML gets its sidecars, every other manifest passes through as it was', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vendored = require('yaml').parseAllDocuments(fs.readFileSync(path.join(EXAMPLES_DIR, 'bring-your-own-manifests', 'vendor', 'inventory.yaml'), 'utf-8'))
    .map((d: any) => d.toJS()).filter((m: any) => m);
  const manifests = synth(build('bring-your-own-manifests'));
  for (const kind of ['ServiceAccount', 'Service']) {
    expect(only(manifests, kind)).toEqual(only(vendored, kind));
  }
  const spec = podSpec(only(manifests, 'Deployment'));
  const original = podSpec(only(vendored, 'Deployment'));
  expect(spec.initContainers.map((c: any) => c.name)).toEqual(['log-shipper', 'netshoot']);
  expect(spec.containers.map((c: any) => c.name)).toEqual(['inventory']);
  expect(spec.containers[0].args).toEqual(original.containers[0].args);
  expect(spec.containers[0].volumeMounts).toEqual([{ mountPath: '/var/log/inventory', name: 'log-shipper-logs', readOnly: false }]);
  // the shipper reads what the app writes group-readable: it runs with the chart's fsGroup
  expect(spec.initContainers[0].securityContext.runAsGroup).toBe(original.securityContext.fsGroup);
});

test('node-agent: a DaemonSet ships the hostPath its agent writes, restricted but for that volume', () => {
  const manifests = synth(build('node-agent'));
  const daemonSet = only(manifests, 'DaemonSet');
  const spec = podSpec(daemonSet);
  expect(spec.volumes.find((v: any) => v.name === 'node-logs')).toEqual({ name: 'node-logs', hostPath: { path: '/var/log/node-agent', type: 'Directory' } });
  const shipper = spec.initContainers.find((c: any) => c.name === 'log-shipper');
  // the agent's own volume, read-only, and the state on the node, read-write: no emptyDir of the shipper's
  expect(shipper.volumeMounts.slice(0, 2)).toEqual([
    { name: 'node-logs', mountPath: '/var/log/node-agent', readOnly: true },
    { name: 'shipper-state', mountPath: '/var/lib/log-shipper', readOnly: false },
  ]);
  expect(spec.volumes.map((v: any) => v.name)).toEqual(['node-logs', 'shipper-state', 'log-shipper-config']);
  const plan = PodPlan.fromManifest(daemonSet);
  expect(plan.podSecurity.level).toBe('privileged');
  expect(plan.podSecurity.violations.map(v => `${v.control}: ${v.field}`)).toEqual([
    'HostPath Volumes: spec.volumes[node-logs].hostPath', 'HostPath Volumes: spec.volumes[shipper-state].hostPath',
    'Volume Types: spec.volumes[node-logs].hostPath', 'Volume Types: spec.volumes[shipper-state].hostPath',
  ]);
});
