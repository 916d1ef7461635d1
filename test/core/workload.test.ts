import * as path from 'path';
import { ApiObject, Include, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LogShipperSidecar, MeshProxySidecar, NetshootDebugSidecar, PodPlan, PodSecurity, PodSpecPatches, SharedVolume, Sidecar, SidecarMode } from '../../src';
import { apiObjectDeployment, newChart, only, podMetadata, podSpec, synth } from '../util';

const BUSYBOX = 'busybox:1.37.0';
const TAIL = Sidecar.exitOnSigterm(['tail', '-F', '/var/log/app/app.log']);

/** A Deployment as `new ApiObject` writes it: no cdk8s-plus behind it. */
function rawDeployment(scope: Construct, spec: any = {}): ApiObject {
  return apiObjectDeployment(scope, 'web', {
    containers: [{ name: 'app', image: 'nginx:1.27.3', ports: [{ containerPort: 8080 }] }, { name: 'worker', image: 'nginx:1.27.3' }], ...spec,
  });
}

describe('which constructs can take a sidecar', () => {
  test('a kind without a pod template: the path, the kind and the kinds that work', () => {
    const { chart } = newChart();
    const config = new kplus.ConfigMap(chart, 'config');
    expect(() => new Sidecar(chart, 's', { workload: config, image: BUSYBOX, command: TAIL }))
      .toThrow('[test/s] workload: "test/config" is a ConfigMap, which has no pod template. Give a construct that renders a pod template: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob');
  });

  test('a construct that is no manifest', () => {
    const { chart } = newChart();
    const plain = new Construct(chart, 'plain');
    expect(() => new Sidecar(chart, 's', { workload: plain, image: BUSYBOX, command: TAIL }))
      .toThrow('[test/s] workload: "test/plain" is no Kubernetes manifest (neither an ApiObject nor a construct whose default child is one)');
  });

  test('an Include: one of its ApiObjects, named', () => {
    const { chart } = newChart();
    const include = new Include(chart, 'vendored', { url: path.join(__dirname, '..', 'sources', 'workloads.yaml') });
    expect(() => new Sidecar(chart, 's', { workload: include, image: BUSYBOX, command: TAIL }))
      .toThrow('[test/s] workload: "test/vendored" is an Include, which holds several manifests. Give one of its ApiObjects, for example include.apiObjects.find(o => o.kind === \'Deployment\'); it holds Deployment web, StatefulSet web, Job web, CronJob web.');
  });

  test('PodSpecPatches names a construct it cannot patch in the same way', () => {
    const { chart } = newChart();
    expect(() => PodSpecPatches.shareProcessNamespace(new kplus.ConfigMap(chart, 'config')))
      .toThrow('[test/config] workload: "test/config" is a ConfigMap, which has no pod template.');
  });
});

describe('written into the rendered pod template, after the escape hatches', () => {
  test('a container the user adds by addJsonPatch after the sidecar is an app container, and gets the log volume', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app' });
    web.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', { name: 'late', image: 'nginx:1.27.3' }));
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.containers.map((c: any) => [c.name, c.volumeMounts])).toEqual([
      ['app', [{ mountPath: '/var/log/app', name: 'log-shipper-logs', readOnly: false }]],
      ['worker', [{ mountPath: '/var/log/app', name: 'log-shipper-logs', readOnly: false }]],
      ['late', [{ mountPath: '/var/log/app', name: 'log-shipper-logs', readOnly: false }]],
    ]);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['log-shipper']);
  });

  test('appContainers by name; a name that is not there lists those that are', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app', appContainers: ['worker'] });
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.containers.map((c: any) => c.volumeMounts?.length ?? 0)).toEqual([0, 1]);

    const wrong = newChart();
    new LogShipperSidecar(wrong.chart, 'logs', { workload: rawDeployment(wrong.chart), logDirectory: '/var/log/app', appContainers: ['wroker'] });
    expect(() => wrong.app.synthYaml()).toThrow('[test/logs/LogVolume] containers: "wroker" is not a regular container of test/web. Name one of its app containers: app, worker.');
  });

  test('a sidecar is no app container: a classic one is not mounted into by the next shipper', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    new NetshootDebugSidecar(chart, 'debug', { workload: web, mode: SidecarMode.CLASSIC });
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app', mode: SidecarMode.CLASSIC });
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.containers.map((c: any) => [c.name, (c.volumeMounts ?? []).map((m: any) => m.name)])).toEqual([
      ['app', ['log-shipper-logs']],
      ['worker', ['log-shipper-logs']],
      ['netshoot', []],
      ['log-shipper', ['log-shipper-logs', 'log-shipper-state', 'log-shipper-config']],
    ]);
  });

  test('the shipper joins the fsGroup of the rendered Pod, set by an escape hatch; a group of its own wins', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app' });
    web.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext', { fsGroup: 2000 }));
    expect(podSpec(only(synth(app), 'Deployment')).initContainers[0].securityContext.runAsGroup).toBe(2000);

    const own = newChart();
    const web2 = rawDeployment(own.chart, { securityContext: { fsGroup: 2000 } });
    new LogShipperSidecar(own.chart, 'logs', { workload: web2, logDirectory: '/var/log/app', securityContext: { group: 3000 } });
    expect(podSpec(only(synth(own.app), 'Deployment')).initContainers[0].securityContext.runAsGroup).toBe(3000);

    const none = newChart();
    new LogShipperSidecar(none.chart, 'logs', { workload: rawDeployment(none.chart), logDirectory: '/var/log/app' });
    expect(podSpec(only(synth(none.app), 'Deployment')).initContainers[0].securityContext.runAsGroup).toBe(65532);
  });

  test('the app\'s prometheus annotations win however late they are set; else the first sidecar\'s', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app' });
    web.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { 'prometheus.io/port': '9102' }));
    const annotations = podMetadata(only(synth(app), 'Deployment')).annotations;
    expect(annotations['prometheus.io/port']).toBe('9102');
    expect(annotations['prometheus.io/path']).toBeUndefined();
    expect(annotations['checksum.cdk8s-sidecars/log-shipper']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('PodSecurity.restricted, called before the sidecar, still sees it', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    PodSecurity.restricted(web);
    new Sidecar(chart, 's', { workload: web, image: BUSYBOX, command: TAIL, securityContext: { allowPrivilegeEscalation: undefined } });
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.initContainers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });
});

describe('beforeInitContainer', () => {
  function withMigration() {
    const { app, chart } = newChart();
    const web = rawDeployment(chart, {
      initContainers: [{ name: 'wait', image: BUSYBOX, command: ['true'] }, { name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate', 'up'] }],
    });
    return { app, chart, web };
  }

  test('the proxy goes just before the named init container', () => {
    const { app, chart, web } = withMigration();
    new MeshProxySidecar(chart, 'mesh', { workload: web, appPort: 8080, beforeInitContainer: 'wait' });
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['mesh-proxy', 'wait', 'migrate']);
  });

  test('without it, after every init container: the proxy rule names the first and the fix', () => {
    const { app, chart, web } = withMigration();
    new MeshProxySidecar(chart, 'mesh', { workload: web, appPort: 8080 });
    expect(() => app.synthYaml()).toThrow('[test/web] initContainers[wait]: "wait" comes before the mesh proxy "mesh-proxy", '
      + 'so it runs before the proxy is up and without its listeners. Give the proxy beforeInitContainer');
  });

  test('a name that is not an init container lists those that are', () => {
    const { app, chart, web } = withMigration();
    new Sidecar(chart, 's', { workload: web, image: BUSYBOX, command: TAIL, beforeInitContainer: 'migrat' });
    expect(() => app.synthYaml()).toThrow('[test/s] before: "migrat" is not an init container of test/web. Name one of its init containers: wait, migrate.');

    const bare = newChart();
    new Sidecar(bare.chart, 's', { workload: rawDeployment(bare.chart), image: BUSYBOX, command: TAIL, beforeInitContainer: 'migrate' });
    expect(() => bare.app.synthYaml()).toThrow('[test/s] before: "migrate" is not an init container of test/web. The workload has no init container: leave `before` unset.');
  });

  test('a classic sidecar cannot go before an init container', () => {
    const { chart, web } = withMigration();
    expect(() => new Sidecar(chart, 's', { workload: web, image: BUSYBOX, command: TAIL, mode: SidecarMode.CLASSIC, beforeInitContainer: 'migrate' }))
      .toThrow('[test/s] beforeInitContainer: "migrate" places a classic sidecar, which is a regular container and starts only after every init container. Use native mode');
  });
});

describe('volumes', () => {
  test('a volume of the workload with the name of a sidecar\'s: both named, and the fix', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart, { volumes: [{ name: 'log-shipper-logs', configMap: { name: 'other' } }] });
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app' });
    expect(() => app.synthYaml()).toThrow('[test/logs/LogVolume/Volume] volumes: "log-shipper-logs" is the name of another volume that test/web already has.');
  });

  test('a shared volume mounted into a cdk8s-plus-28 app container by the container itself is written once', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: 'nginx:1.27.3', securityContext: { user: 101 } }] });
    const data = new SharedVolume(chart, 'data', { workload: web });
    data.mount(web.containers[0], '/data');
    new Sidecar(chart, 's', { workload: web, image: BUSYBOX, command: TAIL }).mount(data, '/data');
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.volumes).toEqual([{ emptyDir: {}, name: 'data' }]);
  });

  test('a volume of the workload with the name of a sidecar\'s: the whole message', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart, { volumes: [{ name: 'data', configMap: { name: 'other' } }] });
    new SharedVolume(chart, 'data', { workload: web, name: 'data' });
    expect(() => app.synthYaml()).toThrow('[test/data/Volume] volumes: "data" is the name of another volume that test/web already has. '
      + 'Give one of the two volumes another name (the `name` of the sidecar\'s volume, or a different construct id).');
  });

  test('the volumes in the order cdk8s-plus gives them: the regular containers\' mounts, then the init containers\', whatever the order of creation', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    const b = new SharedVolume(chart, 'b', { workload: web, name: 'b' });
    const a = new SharedVolume(chart, 'a', { workload: web, name: 'a' });
    new Sidecar(chart, 'native', { workload: web, image: BUSYBOX, command: TAIL }).mount(b, '/b');
    new Sidecar(chart, 'classic', { workload: web, image: BUSYBOX, command: TAIL, mode: SidecarMode.CLASSIC }).mount(a, '/a');
    expect(podSpec(only(synth(app), 'Deployment')).volumes.map((v: any) => v.name)).toEqual(['a', 'b']);
  });

  test('mountIntoApp: readOnly and subPath as given', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart);
    new SharedVolume(chart, 'data', { workload: web, name: 'data' }).mountIntoApp('/data', { containers: ['worker'], readOnly: true, subPath: 'worker' });
    const [appContainer, worker] = podSpec(only(synth(app), 'Deployment')).containers;
    expect(appContainer.volumeMounts).toBeUndefined();
    expect(worker.volumeMounts).toEqual([{ mountPath: '/data', name: 'data', readOnly: true, subPath: 'worker' }]);
  });

  test('mountIntoApp on a workload without containers: the fix is to add the app first', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart, { containers: undefined });
    new SharedVolume(chart, 'data', { workload: web }).mountIntoApp('/data', { containers: ['app'] });
    expect(() => app.synthYaml()).toThrow('[test/data] containers: "app" is not a regular container of test/web. Add the app container to the workload first.');
  });

  test('a classic sidecar of a pod template without containers: the first regular container', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart, { containers: undefined });
    new Sidecar(chart, 's', { workload: web, image: BUSYBOX, command: TAIL, mode: SidecarMode.CLASSIC });
    expect(podSpec(only(synth(app), 'Deployment')).containers.map((c: any) => c.name)).toEqual(['s']);
  });

  test('list entries that are no objects (an escape hatch wrote null) are reported by the rules, not thrown on', () => {
    const { app, chart } = newChart();
    const web = rawDeployment(chart, { initContainers: [null, { name: 'migrate', image: BUSYBOX, command: ['true'] }] });
    web.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', null));
    new Sidecar(chart, 'before', { workload: web, image: BUSYBOX, command: TAIL, beforeInitContainer: 'migrate' });
    new Sidecar(chart, 'classic', { workload: web, image: BUSYBOX, command: TAIL, mode: SidecarMode.CLASSIC });
    new SharedVolume(chart, 'data', { workload: web }).mountIntoApp('/data');
    expect(() => app.synthYaml()).toThrow('Validation failed with the following errors:\n'
      + '  [test/web] initContainers[0]: (not set) is not a container. Write each entry of initContainers as a mapping.\n'
      + '  [test/web] containers[2]: null is not a container. Write each entry of containers as a mapping.');
  });

  test('mountIntoApp checks its path', () => {
    const { chart } = newChart();
    const data = new SharedVolume(chart, 'data', { workload: rawDeployment(chart) });
    expect(() => data.mountIntoApp('data')).toThrow('[test/data] app mount path: "data"');
  });
});

describe('NetshootDebugSidecar commands for any source', () => {
  test('the kind of the manifest, lower case, and its namespace', () => {
    const { chart } = newChart();
    const web = rawDeployment(chart);
    const debug = new NetshootDebugSidecar(chart, 'debug', { workload: web });
    expect(debug.execCommand()).toBe('kubectl exec -it deployment/web -c netshoot -- bash');

    const ns = newChart();
    const sts = new ApiObject(ns.chart, 'db', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'data' },
      spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:17.2' }] } } },
    });
    expect(new NetshootDebugSidecar(ns.chart, 'debug', { workload: sts }).logsCommand()).toBe('kubectl logs -f -n data statefulset/db -c netshoot');
  });

  test('a CronJob: its Pods by the labels of its pod template, as rendered; none is an error', () => {
    const cron = (labels?: any) => {
      const { chart } = newChart();
      const job = new ApiObject(chart, 'nightly', {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly' },
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }] } } } } },
      });
      return new NetshootDebugSidecar(chart, 'debug', { workload: job });
    };
    expect(cron({ tier: 'batch', app: 'nightly' }).execCommand()).toBe('kubectl exec -it $(kubectl get pods -l app=nightly,tier=batch -o name | head -n 1) -c netshoot -- bash');
    expect(() => cron().execCommand()).toThrow('[test/debug] workload: "test/nightly" is a CronJob whose pod template has no labels, so kubectl cannot find its Pods. Give the pod template a label');
  });
});

test('PodPlan.fromWorkload of an ApiObject: the sidecars as written, with what they recorded', () => {
  const { chart } = newChart();
  const web = rawDeployment(chart);
  new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app' });
  const plan = PodPlan.fromWorkload(web);
  expect(plan.startOrder.map(step => [step.role, step.containers])).toEqual([['sidecar', ['log-shipper']], ['app', ['app', 'worker']]]);
  expect(() => PodPlan.fromWorkload(new kplus.ConfigMap(chart, 'config'))).toThrow('is a ConfigMap, which has no pod template');
});
