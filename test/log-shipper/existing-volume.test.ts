// The shipper reads a volume the workload has already: the app's own log volume (a
// StatefulSet's PVC, an emptyDir), or a node's hostPath with the opt-in.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogShipperSidecar, PlanValidation, PodPlan } from '../../src';
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
    + 'Set allowHostPathVolume: true to read it anyway (the Pod then meets only the privileged profile, and the plan says so), or use another volume.');
  const { app, agent } = build(true);
  const spec = podSpec(only(synth(app), 'DaemonSet'));
  expect(spec.initContainers[0].volumeMounts[0]).toEqual({ mountPath: '/var/log', name: 'varlog', readOnly: true });
  const plan = PodPlan.fromWorkload(agent);
  expect(plan.podSecurity.level).toBe('privileged');
  expect(plan.podSecurity.violations.filter(v => v.profile === 'baseline')).toEqual([{ control: 'HostPath Volumes', profile: 'baseline', field: 'spec.volumes[varlog].hostPath' }]);
  expect(PlanValidation).toBeDefined();
});

describe('errors', () => {
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
      .toThrow('[test/logs] allowHostPathVolume: true is only for existingLogVolume, which is not set. Leave allowHostPathVolume out, or name the hostPath volume to read in existingLogVolume.');
  });

  test('a name that is no volume name', () => {
    const { chart, db } = postgres();
    expect(() => new LogShipperSidecar(chart, 'logs', { workload: db, logDirectory: '/var/log/pg', existingLogVolume: 'PG_DATA' })).toThrow(/^\[test\/logs\] existingLogVolume: "PG_DATA" /);
  });
});
