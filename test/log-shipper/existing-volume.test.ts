// The shipper reads a volume the workload has already: the app's own log volume (a
// StatefulSet's PVC, an emptyDir), or a node's hostPath with the opt-in.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogOutput, LogShipperSidecar, PlanValidation, PodPlan, SidecarMode } from '../../src';
import { apiObjectDeployment, newChart, only, podSpec, synth } from '../util';

/** A Postgres StatefulSet that writes its logs to its data volume's log directory. */
function postgres() {
  const { app, chart } = newChart();
  const db = new kplus.StatefulSet(chart, 'db', {
    service: new kplus.Service(chart, 'svc', { ports: [{ port: 5432 }] }),
    containers: [{ name: 'postgres', image: 'postgres:17.2', portNumber: 5432, securityContext: { user: 999, group: 999 } }],
  });
  const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'claim', 'pgdata'), { name: 'pgdata' });
  db.containers[0].mount('/var/lib/postgresql/data', data);
  return { app, chart, db };
}

test('a StatefulSet whose app has its own log volume: the shipper mounts that one, read-only, and nothing else changes for the app', () => {
  const { app, chart, db } = postgres();
  const shipper = new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/lib/postgresql/data/log', existingLogVolume: 'pgdata' });
  expect(shipper.logVolume).toBeUndefined();
  const spec = podSpec(only(synth(app), 'StatefulSet'));
  expect(spec.volumes.map((v: any) => v.name)).toEqual(['pgdata', 'log-shipper-state', 'log-shipper-config']);
  expect(spec.containers[0].volumeMounts).toEqual([{ mountPath: '/var/lib/postgresql/data', name: 'pgdata' }]);
  expect(spec.initContainers[0].name).toBe('log-shipper');
  expect(spec.initContainers[0].volumeMounts[0]).toEqual({ mountPath: '/var/lib/postgresql/data/log', name: 'pgdata', readOnly: true });
  expect(spec.initContainers[0].volumeMounts.filter((m: any) => m.name === 'log-shipper-logs')).toEqual([]);
});

test('a volume of an ApiObject (cdk8s import, Include) is found in its rendered pod template', () => {
  const { app, chart } = newChart();
  const deployment = apiObjectDeployment(chart, 'web', {
    containers: [{ name: 'web', image: 'nginx:1.27.3', volumeMounts: [{ name: 'nginx-logs', mountPath: '/var/log/nginx' }] }],
    volumes: [{ name: 'nginx-logs', emptyDir: {} }],
  });
  new LogShipperSidecar(chart, 'logs', { workload: deployment, logDirectory: '/var/log/nginx', existingLogVolume: 'nginx-logs' });
  const spec = podSpec(only(synth(app), 'Deployment'));
  expect(spec.initContainers[0].volumeMounts[0]).toEqual({ mountPath: '/var/log/nginx', name: 'nginx-logs', readOnly: true });
  expect(spec.containers[0].volumeMounts).toEqual([{ name: 'nginx-logs', mountPath: '/var/log/nginx' }]);
});

test('a hostPath for a node agent: only with allowHostPathVolume, and the plan reports the Pod as privileged', () => {
  const build = (allow?: boolean) => {
    const { app, chart } = newChart();
    const agent = new kplus.DaemonSet(chart, 'agent', {
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', securityContext: { user: 65532 } }],
    });
    agent.addVolume(kplus.Volume.fromHostPath(chart, 'varlog', 'varlog', { path: '/var/log' }));
    const shipper = new LogShipperSidecar(chart, 'logs', { workload: agent, logDirectory: '/var/log', existingLogVolume: 'varlog', allowHostPathVolume: allow });
    return { app, agent, shipper };
  };
  expect(() => synth(build().app)).toThrow('[test/logs] existingLogVolume: "varlog" is a hostPath volume: files of the node, which the Pod Security baseline profile forbids. '
    + 'Set allowHostPathVolume: true to mount it anyway (the Pod then meets only the privileged profile, and the plan says so), or use another volume.');
  const { app, agent } = build(true);
  const spec = podSpec(only(synth(app), 'DaemonSet'));
  expect(spec.initContainers[0].volumeMounts[0]).toEqual({ mountPath: '/var/log', name: 'varlog', readOnly: true });
  const plan = PodPlan.fromWorkload(agent);
  expect(plan.podSecurity.level).toBe('privileged');
  expect(plan.podSecurity.violations.filter(v => v.profile === 'baseline')).toEqual([{ control: 'HostPath Volumes', profile: 'baseline', field: 'spec.volumes[varlog].hostPath' }]);
  expect(PlanValidation).toBeDefined();
});

test('existingStateVolume: a node agent keeps its read positions and buffer on the node, read-write, after its log volume', () => {
  const { app, chart } = newChart();
  const agent = new kplus.DaemonSet(chart, 'agent', {
    containers: [{ name: 'agent', image: 'registry.k8s.io/pause:3.10', securityContext: { user: 65532 } }],
  });
  agent.addVolume(kplus.Volume.fromHostPath(chart, 'agent-logs', 'agent-logs', { path: '/var/log/agent' }));
  agent.addVolume(kplus.Volume.fromHostPath(chart, 'shipper-state', 'shipper-state', { path: '/var/lib/agent-shipper' }));
  new LogShipperSidecar(chart, 'logs', {
    workload: agent,
    logDirectory: '/var/log/agent',
    existingLogVolume: 'agent-logs',
    existingStateVolume: 'shipper-state',
    allowHostPathVolume: true,
    filesystemBuffer: Size.mebibytes(128),
    outputs: [LogOutput.loki({ host: 'loki.svc', tls: { caConfigMapName: 'loki-ca' } })],
  });
  const spec = podSpec(only(synth(app), 'DaemonSet'));
  expect(spec.initContainers[0].volumeMounts).toEqual([
    { mountPath: '/var/log/agent', name: 'agent-logs', readOnly: true },
    { mountPath: '/var/lib/log-shipper', name: 'shipper-state', readOnly: false },
    { mountPath: '/etc/log-shipper', name: 'log-shipper-config', readOnly: true },
    { mountPath: '/etc/log-shipper-tls', name: 'log-shipper-ca', readOnly: true },
  ]);
  // no emptyDir of the shipper's own for either
  expect(spec.volumes.map((v: any) => v.name)).toEqual(['agent-logs', 'shipper-state', 'log-shipper-config', 'log-shipper-ca']);
});

test('existingStateVolume alone: the shipper keeps its own log volume; a hostPath there needs allowHostPathVolume too', () => {
  const build = (allow?: boolean) => {
    const { app, chart } = newChart();
    const agent = new kplus.DaemonSet(chart, 'agent', {
      containers: [{ name: 'agent', image: 'registry.k8s.io/pause:3.10', securityContext: { user: 65532 } }],
    });
    agent.addVolume(kplus.Volume.fromHostPath(chart, 'state', 'state', { path: '/var/lib/agent-shipper' }));
    new LogShipperSidecar(chart, 'logs', { workload: agent, logDirectory: '/var/log/agent', existingStateVolume: 'state', allowHostPathVolume: allow });
    return app;
  };
  expect(() => synth(build())).toThrow('[test/logs] existingStateVolume: "state" is a hostPath volume: files of the node, which the Pod Security baseline profile forbids. '
    + 'Set allowHostPathVolume: true to mount it anyway');
  const spec = podSpec(only(synth(build(true)), 'DaemonSet'));
  expect(spec.initContainers[0].volumeMounts.map((m: any) => [m.name, m.mountPath, m.readOnly])).toEqual([
    ['state', '/var/lib/log-shipper', false], ['log-shipper-logs', '/var/log/agent', true], ['log-shipper-config', '/etc/log-shipper', true],
  ]);
});

test('classic mode: the mount goes into the shipper among the regular containers', () => {
  const { app, chart } = newChart();
  const deployment = apiObjectDeployment(chart, 'web', {
    containers: [{ name: 'web', image: 'nginx:1.27.3', volumeMounts: [{ name: 'nginx-logs', mountPath: '/var/log/nginx' }] }],
    volumes: [{ name: 'nginx-logs', emptyDir: {} }],
  });
  new LogShipperSidecar(chart, 'logs', { workload: deployment, logDirectory: '/var/log/nginx', existingLogVolume: 'nginx-logs', mode: SidecarMode.CLASSIC });
  const spec = podSpec(only(synth(app), 'Deployment'));
  expect(spec.initContainers).toBeUndefined();
  expect(spec.containers.map((c: any) => c.name)).toEqual(['web', 'log-shipper']);
  expect(spec.containers[1].volumeMounts[0]).toEqual({ mountPath: '/var/log/nginx', name: 'nginx-logs', readOnly: true });
});

test('null entries in the rendered lists (vendored YAML) are the rules\' error, not a crash of the write path', () => {
  const { app, chart } = newChart();
  const deployment = apiObjectDeployment(chart, 'web', {
    initContainers: [null],
    containers: [null, { name: 'web', image: 'nginx:1.27.3', volumeMounts: [{ name: 'nginx-logs', mountPath: '/var/log/nginx' }] }],
    volumes: [null, { name: 'nginx-logs', emptyDir: {} }],
  });
  new LogShipperSidecar(chart, 'logs', { workload: deployment, logDirectory: '/var/log/nginx', existingLogVolume: 'nginx-logs' });
  expect(() => app.synthYaml()).toThrow('Validation failed with the following errors:\n'
    + '  [test/web] initContainers[0]: (not set) is not a container. Write each entry of initContainers as a mapping.\n'
    + '  [test/web] containers[0]: (not set) is not a container. Write each entry of containers as a mapping.\n'
    + '  [test/web] volumes[0]: (not set) is not a volume. Write each entry of volumes as a mapping.');
});

describe('errors', () => {
  test('the names of every volume there is, when the one named is not there', () => {
    const { app, chart, db } = postgres();
    db.addVolume(kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch'));
    new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingLogVolume: 'pglogs' });
    expect(() => synth(app)).toThrow('[test/logs] existingLogVolume: "pglogs" is not a volume of test/db. Name one of its volumes: pgdata, scratch.');
  });

  test('logVolumeSizeLimit with existingLogVolume is shown as given, fractions included', () => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingLogVolume: 'pgdata', logVolumeSizeLimit: Size.kibibytes(1536) }))
      .toThrow('[test/logs] logVolumeSizeLimit: "1.5Mi" is for the log volume the shipper creates');
  });

  test('stateVolumeSizeLimit with existingStateVolume', () => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingStateVolume: 'pgdata', stateVolumeSizeLimit: Size.kibibytes(102912) }))
      .toThrow('[test/logs] stateVolumeSizeLimit: "100.5Mi" is for the state volume the shipper creates, and existingStateVolume is set. '
        + 'Leave stateVolumeSizeLimit out: the definition of "pgdata" bounds it.');
  });

  test('existingStateVolume that is not a volume name, or not a volume of the workload', () => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingStateVolume: 'Shipper State' }))
      .toThrow(/^\[test\/logs\] existingStateVolume: "Shipper State" /);
    const other = postgres();
    new LogShipperSidecar(other.chart, 'logs', { workload: other.db, logDirectory: '/var/log/pg', existingStateVolume: 'state' });
    expect(() => synth(other.app)).toThrow('[test/logs] existingStateVolume: "state" is not a volume of test/db. Name one of its volumes: pgdata.');
  });

  test('a filesystemBuffer on an existing state volume is bounded by that volume, not by stateVolumeSizeLimit', () => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingStateVolume: 'pgdata', filesystemBuffer: Size.mebibytes(512) })).not.toThrow();
  });

  test('a volume the workload does not have: the names it has', () => {
    const { app, chart, db } = postgres();
    new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingLogVolume: 'pglogs' });
    expect(() => synth(app)).toThrow('[test/logs] existingLogVolume: "pglogs" is not a volume of test/db. Name one of its volumes: pgdata.');
  });

  test('a workload without volumes', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.27.3' }] });
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/nginx', existingLogVolume: 'logs' });
    expect(() => synth(app)).toThrow('[test/logs] existingLogVolume: "logs" is not a volume of test/web. The workload has no volumes: add the volume to it first, or leave the prop unset.');
  });

  test.each([
    ['appContainers', { appContainers: ['postgres'] }, '["postgres"]'],
    ['logVolumeSizeLimit', { logVolumeSizeLimit: Size.mebibytes(64) }, '"64Mi"'],
  ])('%s with existingLogVolume: what only the shipper\'s own volume has', (field, extra, shown) => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingLogVolume: 'pgdata', ...extra }))
      .toThrow(`[test/logs] ${field}: ${shown} is for the log volume the shipper creates, and existingLogVolume is set. `
        + `Leave ${field} out: the app containers mount "pgdata" already, and the volume's own definition bounds it.`);
  });

  test('allowHostPathVolume without existingLogVolume', () => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', allowHostPathVolume: true }))
      .toThrow('[test/logs] allowHostPathVolume: true is only for existingLogVolume and existingStateVolume, and neither is set. '
        + 'Leave allowHostPathVolume out, or name the hostPath volume to read in existingLogVolume (or to keep the state on in existingStateVolume).');
  });

  test('a name that is no volume name', () => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingLogVolume: 'PG_DATA' })).toThrow(/^\[test\/logs\] existingLogVolume: "PG_DATA" /);
  });
});
