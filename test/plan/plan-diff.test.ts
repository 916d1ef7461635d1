// What a change does to one workload (src/plan/plan-diff.ts), from two plans.
import { diffWorkload, workloadKey } from '../../src/plan/plan-diff';
import { PodPlan } from '../../src/plan/pod-plan';

const c = (name: string, extra: any = {}) => ({ name, image: 'busybox:1.37.0', command: ['sleep', '1'], ...extra });
function plan(spec: any, metadata: any = { name: 'p', namespace: 'ns' }): PodPlan {
  return PodPlan.fromManifest({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
}

test('the same plan is no change', () => {
  expect(diffWorkload(plan({ containers: [c('a')] }), plan({ containers: [c('a')] }))).toBeUndefined();
});

test('the key: kind, namespace and name; no namespace is the empty one', () => {
  expect(workloadKey(plan({ containers: [c('a')] }))).toBe('Pod/ns/p');
  expect(workloadKey(plan({ containers: [c('a')] }, { name: 'q' }))).toBe('Pod//q');
});

test('a removed workload: its containers and findings gone, never worse', () => {
  // a request above its limit: an error of the removed workload
  const before = plan({ containers: [c('a', { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] });
  const d = diffWorkload(before, undefined)!;
  expect(d).toMatchObject({ kind: 'Pod', namespace: 'ns', name: 'p', change: 'removed', containersRemoved: [{ name: 'a', role: 'app' }], containersAdded: [], worse: [] });
  expect(d.findingsGone.map(f => f.rule)).toContain('request-above-limit');
  expect(d.resources).toEqual([
    { kind: 'requests', resource: 'cpu', before: '2', delta: '-2' },
    { kind: 'limits', resource: 'cpu', before: '1', delta: '-1' },
  ]);
  expect(d.startOrder).toBeUndefined();
});

test('no namespace: none in the diff', () => {
  const d = diffWorkload(undefined, plan({ containers: [c('a')] }, { name: 'q' }))!;
  expect(d.namespace).toBeUndefined();
  expect(d.change).toBe('added');
});

test('two new errors of two rules: counted, each rule named once', () => {
  const before = plan({ containers: [c('a')] });
  const after = plan({ containers: [c('A'), c('b', { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }), c('C')] });
  const d = diffWorkload(before, after)!;
  const errors = d.findingsNew.filter(f => f.level === 'error');
  expect(errors.length).toBeGreaterThanOrEqual(3);
  expect(d.worse).toEqual([`${errors.length} new errors (${[...new Set(errors.map(f => f.rule))].join(', ')})`]);
  expect(d.worse[0]).toMatch(/^\d+ new errors \(container-name, request-above-limit\)$/);
});

test('another failing control on a Pod already privileged: listed, the level the same, not worse', () => {
  const before = plan({ hostNetwork: true, containers: [c('a')] });
  const after = plan({ hostNetwork: true, hostPID: true, containers: [c('a')] });
  const d = diffWorkload(before, after)!;
  expect(d.podSecurity).toBeUndefined();
  expect(d.violationsNew).toEqual([{ control: 'Host Namespaces', profile: 'baseline', field: 'spec.hostPID' }]);
  expect(d.violationsGone).toEqual([]);
  expect(d.worse).toEqual([]);
});

test('baseline to privileged is worse, privileged to baseline is not', () => {
  const baseline = plan({ containers: [c('a')] });
  const privileged = plan({ hostNetwork: true, containers: [c('a')] });
  expect(diffWorkload(baseline, privileged)!.worse).toEqual(['Pod Security baseline → privileged']);
  expect(diffWorkload(privileged, baseline)!.worse).toEqual([]);
  expect(diffWorkload(privileged, baseline)!.podSecurity).toEqual({ before: 'privileged', after: 'baseline' });
});

test('a resource only after, only before, and changed; unchanged ones left out', () => {
  const before = plan({ containers: [c('a', { resources: { requests: { cpu: '100m', memory: '64Mi' } } })] });
  const after = plan({ containers: [c('a', { resources: { requests: { 'cpu': '100m', 'memory': '32Mi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } } })] });
  expect(diffWorkload(before, after)!.resources).toEqual([
    { kind: 'requests', resource: 'memory', before: '64Mi', after: '32Mi', delta: '-32Mi' },
    { kind: 'requests', resource: 'nvidia.com/gpu', after: '1', delta: '+1' },
    { kind: 'limits', resource: 'nvidia.com/gpu', after: '1', delta: '+1' },
  ]);
});

test('a container renamed: one added, one removed, each with its role', () => {
  const d = diffWorkload(plan({ initContainers: [c('init')], containers: [c('a')] }), plan({ initContainers: [c('setup')], containers: [c('a')] }))!;
  expect(d.containersAdded).toEqual([{ name: 'setup', role: 'init' }]);
  expect(d.containersRemoved).toEqual([{ name: 'init', role: 'init' }]);
  expect(d.stopOrder).toBeUndefined();
  expect(d.startOrder!.after[0]).toEqual({ containers: ['setup'], role: 'init', until: 'exits 0' });
});
