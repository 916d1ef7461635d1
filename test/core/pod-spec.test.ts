// PodSpecPatches and the rendered transforms: where the Pod spec lives in each kind of
// workload, and keys in the order cdk8s writes them.
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSecurity, PodSpecPatches, Sidecar } from '../../src';
import { addRenderedTransform } from '../../src/core/pod-spec';
import { newChart, only, podSpec, synth } from '../util';
import { WORKLOADS } from './workloads';

const BUSYBOX = 'busybox:1.37.0';

function deployment() {
  const { app, chart } = newChart();
  const workload = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: BUSYBOX }] });
  return { app, chart, workload };
}

test.each([
  ['Pod', '/spec'],
  ['Deployment', '/spec/template/spec'],
  ['StatefulSet', '/spec/template/spec'],
  ['DaemonSet', '/spec/template/spec'],
  ['Job', '/spec/template/spec'],
  ['CronJob', '/spec/jobTemplate/spec/template/spec'],
])('the Pod spec of a %s is at %s', (kind, path) => {
  const { chart } = newChart();
  expect(PodSpecPatches.podSpecPath(WORKLOADS[kind](chart, 'w'))).toBe(path);
});

test('another field set through PodSpecPatches leaves shareProcessNamespace as it was', () => {
  const { app, chart, workload } = deployment();
  new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: ['sleep', 'infinity'] });
  PodSpecPatches.shareProcessNamespace(workload);
  PodSpecPatches.set(workload, 'hostUsers', false);
  // with a shared process namespace, sleep is not PID 1 and gets the default action of SIGTERM
  expect(() => app.synthYaml()).not.toThrow();
});

test('shareProcessNamespace set back to false: the field is false, and a sidecar is PID 1 again for the SIGTERM check', () => {
  const { app, chart, workload } = deployment();
  new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: ['sleep', 'infinity'] });
  PodSpecPatches.shareProcessNamespace(workload);
  expect(podSpec(only(synth(app), 'Deployment')).shareProcessNamespace).toBe(true);
  PodSpecPatches.set(workload, 'shareProcessNamespace', false);
  expect(() => app.synthYaml()).toThrow('[test/web] initContainers[helper].command: "sleep infinity" ignores SIGTERM as PID 1 of its container (sleep has no SIGTERM handler)');
  expect(ApiObject.of(workload).toJson().spec.template.spec.shareProcessNamespace).toBe(false);
});

describe('keys of a patched manifest', () => {
  afterEach(() => {
    delete process.env.CDK8S_DISABLE_SORT;
  });

  test('keep fields newer than cdk8s-plus-28\'s Kubernetes 1.28 schema, sorted again below the top level as cdk8s sorts them', () => {
    const { app, workload } = deployment();
    PodSpecPatches.set(workload, 'hostUsers', false);
    PodSpecPatches.set(workload, 'resources', { limits: { cpu: '1' } });
    const manifest = only(synth(app), 'Deployment');
    expect(Object.keys(manifest)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    const spec = podSpec(manifest);
    expect(spec.hostUsers).toBe(false);
    expect(spec.resources).toEqual({ limits: { cpu: '1' } });
    expect(Object.keys(spec)).toEqual([...Object.keys(spec)].sort());
  });

  test('are sorted in objects inside lists too (PodSecurity adds capabilities after runAsNonRoot)', () => {
    const { workload } = deployment();
    PodSecurity.restricted(workload);
    const context = ApiObject.of(workload).toJson().spec.template.spec.containers[0].securityContext;
    expect(Object.keys(context)).toEqual(['allowPrivilegeEscalation', 'capabilities', 'privileged', 'readOnlyRootFilesystem', 'runAsNonRoot']);
  });

  test('only objects whose keys are out of order are rebuilt: most of a manifest is sorted already, and stays as it is', () => {
    const { workload } = deployment();
    let before: any;
    addRenderedTransform(workload, manifest => {
      const spec = manifest.spec.template.spec;
      before = { spec, containers: spec.containers, container: spec.containers[0], resources: spec.containers[0].resources };
      spec.hostUsers = false;
      return manifest;
    });
    const spec = ApiObject.of(workload).toJson().spec.template.spec;
    expect(spec).not.toBe(before.spec);
    expect(Object.keys(spec)).toEqual([...Object.keys(before.spec)].sort());
    expect(spec.containers).toBe(before.containers);
    expect(spec.containers[0]).toBe(before.container);
    expect(spec.containers[0].resources).toBe(before.resources);
    expect(Object.keys(spec.containers[0])).not.toContain('undefined');
  });

  test('a null set through PodSpecPatches stays null', () => {
    const { workload } = deployment();
    PodSpecPatches.set(workload, 'hostname', null);
    expect(ApiObject.of(workload).toJson().spec.template.spec.hostname).toBeNull();
  });

  test('stay in the order written when CDK8S_DISABLE_SORT is set, as cdk8s leaves them', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    const { workload } = deployment();
    PodSpecPatches.set(workload, 'hostUsers', false);
    const spec = ApiObject.of(workload).toJson().spec.template.spec;
    expect(Object.keys(spec).pop()).toBe('hostUsers');
  });
});
