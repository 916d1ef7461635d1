// The plan command on YAML from anywhere: random text, random documents, workloads
// whose fields have the wrong types, deep nesting, huge numbers, alias bombs. It must
// never throw: it prints a plan (exit 0, or 1 when a workload has errors) or one line
// on stderr (exit 2) — the same function the installed `cdk8s-sidecars` runs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import * as yaml from 'yaml';
import { runs } from './arbitraries';
import { PodPlan } from '../../src';
import { runCommand } from '../../src/cli/plan-command';

jest.setTimeout(300_000);

let work: string;
beforeAll(() => work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-sidecars-plan-input-')));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const exits = { 0: 0, 1: 0, 2: 0 } as Record<number, number>;
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`plan command exits over all cases: 0 × ${exits[0]}, 1 × ${exits[1]}, 2 × ${exits[2]}`);
});

/** Runs the command on `text` from standard input and from a file, with every output format. */
function planOf(text: string, format: readonly string[]): void {
  const file = path.join(work, 'input.yaml');
  fs.writeFileSync(file, text);
  for (const argv of [['plan', ...format, '-'], ['plan', ...format, file]]) {
    let result: ReturnType<typeof runCommand> | undefined;
    expect(() => result = runCommand(argv, () => text)).not.toThrow();
    const { stdout, stderr, exitCode } = result!;
    exits[exitCode] = (exits[exitCode] ?? 0) + 1;
    expect([0, 1, 2]).toContain(exitCode);
    if (exitCode === 2) {
      // the plans of the documents before the bad one, whole, and no closing summary
      expect(stdout).not.toMatch(/planned, \d+ other objects? skipped|"skipped": \d+/);
      expect(stdout === '' || /(\n\n|\n {4}\})$/.test(stdout)).toBe(true);
      expect(stderr).toMatch(/^cdk8s-sidecars: [^\n]+\n$/);
    } else {
      expect(stderr).toBe('');
      expect(stdout.length).toBeGreaterThan(0);
      if (format.includes('--json')) {
        expect(() => JSON.parse(stdout)).not.toThrow();
      }
    }
  }
}

const format = fc.constantFrom([], ['--json'], ['--format', 'markdown'], ['--kubernetes-version', '1.28']);

// what YAML can hold: no Map, Set, typed array or boxed value (yaml.stringify would write tags)
const anything = fc.anything({
  maxDepth: 4,
  withBigInt: false,
  withNullPrototype: false,
  withObjectString: false,
  withBoxedValues: false,
  withSparseArray: false,
  withTypedArray: false,
  withMap: false,
  withSet: false,
  withDate: true,
});
/** Any of the given fields, each with a value of the given kind or of any kind. */
function someOf<T extends { [key: string]: fc.Arbitrary<unknown> }>(fields: T) {
  return fc.oneof(fc.record(fields, { requiredKeys: [] }), anything);
}
const quantity = fc.oneof(fc.constantFrom('100m', '1', '1.5', '1.5Gi', '100mi', '1e3', '1E400', '-1', '0x10', '', '1Ki1', 'Infinity', '99999999999999999999999999999Ei'), fc.double(), fc.integer(), anything);
const container = fc.record({
  name: fc.oneof(fc.constantFrom('app', 'sidecar', 'App', ''), anything),
  image: fc.oneof(fc.constant('busybox:1.37.0'), anything),
  command: fc.oneof(fc.constant(['sleep', 'infinity']), fc.array(fc.string(), { maxLength: 3 }), anything),
  restartPolicy: fc.oneof(fc.constantFrom('Always', 'Never', 'always'), anything),
  ports: fc.oneof(fc.array(someOf({
    containerPort: fc.oneof(fc.integer({ min: -1, max: 70000 }), anything),
    name: fc.string(),
    protocol: fc.string(),
  }), { maxLength: 3 }), anything),
  resources: fc.oneof(fc.record({
    requests: fc.dictionary(fc.constantFrom('cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu'), quantity),
    limits: fc.dictionary(fc.constantFrom('cpu', 'memory', 'ephemeral-storage'), quantity),
  }, { requiredKeys: [] }), anything),
  securityContext: someOf({ runAsUser: anything, privileged: anything, capabilities: anything, seccompProfile: anything }),
  startupProbe: anything,
  readinessProbe: anything,
  lifecycle: anything,
  volumeMounts: fc.oneof(fc.array(someOf({ name: fc.constantFrom('v', 'data'), mountPath: anything, readOnly: anything }), { maxLength: 3 }), anything),
  env: anything,
}, { requiredKeys: [] });
const podSpec = fc.record({
  containers: fc.oneof(fc.array(container, { maxLength: 3 }), anything),
  initContainers: fc.oneof(fc.array(container, { maxLength: 3 }), anything),
  volumes: fc.oneof(fc.array(someOf({ name: fc.constantFrom('v', 'data'), emptyDir: anything, hostPath: anything }), { maxLength: 3 }), anything),
  securityContext: anything,
  hostNetwork: anything,
  hostPID: anything,
  overhead: anything,
  resources: anything,
  terminationGracePeriodSeconds: fc.oneof(fc.integer(), fc.double(), anything),
  shareProcessNamespace: anything,
}, { requiredKeys: [] });
const workload = fc.oneof(
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: anything, spec: fc.oneof(podSpec, anything) }, { requiredKeys: ['kind'] }),
  fc.record({
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'),
    metadata: anything,
    spec: someOf({ template: someOf({ metadata: anything, spec: fc.oneof(podSpec, anything) }) }),
  }, { requiredKeys: ['kind'] }),
  fc.record({
    apiVersion: fc.constant('batch/v1'),
    kind: fc.constantFrom('Job', 'CronJob'),
    metadata: anything,
    spec: someOf({
      activeDeadlineSeconds: anything,
      template: fc.record({ spec: podSpec }),
      jobTemplate: fc.record({ spec: fc.record({ template: fc.record({ spec: podSpec }) }) }),
    }),
  }, { requiredKeys: ['kind'] }),
);

test('random text', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })), format, (text, f) => planOf(text, f)), runs(1500));
});

test('random YAML documents', () => {
  fc.assert(fc.property(fc.array(anything, { minLength: 1, maxLength: 3 }), format, (documents, f) => {
    planOf(documents.map(d => yaml.stringify(d === undefined ? null : d)).join('---\n'), f);
  }), runs(1500));
});

test('workloads whose fields have any value and type', () => {
  fc.assert(fc.property(fc.array(workload, { minLength: 1, maxLength: 2 }), format, (documents, f) => {
    planOf(documents.map(d => yaml.stringify(d)).join('---\n'), f);
    // the command reports any exception as one line: the plan itself may throw only
    // its two documented errors, never a TypeError of a field it did not expect
    for (const manifest of documents.map(d => yaml.parse(yaml.stringify(d)))) {
      try {
        PodPlan.fromManifest(manifest, { kubernetesVersion: '1.28' });
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(/ has no pod (template|spec)/);
      }
    }
  }), runs(3000));
});

test('deep nesting, huge numbers and alias bombs', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('[', '{a: ', '- '), format, (depth, open, f) => {
    planOf(open === '- ' ? Array.from({ length: Math.min(depth, 2000) }, (_, i) => ' '.repeat(i * 2) + '- ').join('\n') + 'x\n' : open.repeat(depth) + 'x', f);
  }), runs(30));
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill('*' + 'abcdefghi'[i]).join(', ')}]`)].join('\n');
  for (const text of [
    `kind: Pod\nspec:\n  containers:\n    - name: app\n      image: x\n      resources:\n        requests:\n          cpu: ${'9'.repeat(400)}\n`,
    'kind: Pod\nspec:\n  containers:\n    - name: app\n      image: x\n      resources:\n        limits:\n          memory: 1e400\n',
    `kind: Deployment\nspec:\n  template:\n    spec:\n      terminationGracePeriodSeconds: ${'9'.repeat(40)}\n      containers: [{name: a, image: b}]\n`,
    bomb,
  ]) {
    for (const f of [[], ['--json']]) {
      planOf(text, f);
    }
  }
});
