// `plan --diff BASE HEAD`: workloads matched by kind, namespace and name, what the
// change does to each, in text, markdown and JSON, and the exit code CI gates on.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { runCommand } from '../../src/cli/plan-command';

let work: string;
beforeAll(() => work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-sidecars-diff-')));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Writes manifests to a file of the work folder and returns its path. */
function file(name: string, ...manifests: any[]): string {
  const target = path.join(work, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, manifests.map(m => yaml.stringify(m)).join('---\n'));
  return target;
}

function diff(base: string, head: string, ...options: string[]) {
  return runCommand(['plan', '--diff', base, head, ...options], () => {
    throw new Error('standard input is not read');
  });
}

const restricted = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  runAsUser: 1000,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
const app = (extra: any = {}) => ({
  name: 'web',
  image: 'nginx:1.27.3',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  securityContext: restricted,
  ...extra,
});
const shipper = (extra: any = {}) => ({
  name: 'log-shipper',
  image: 'fluent/fluent-bit:3.2.4',
  restartPolicy: 'Always',
  resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
  securityContext: restricted,
  ...extra,
});
function deployment(name: string, spec: any, namespace = 'shop'): any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { selector: {}, template: { metadata: {}, spec } } };
}
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };

describe('what a change does to a workload', () => {
  const base = () => file('base.yaml', deployment('web', { containers: [app()] }), configMap);

  test('a sidecar added: containers, order, resources with deltas, nothing worse', () => {
    const head = file('head.yaml', deployment('web', { initContainers: [shipper()], containers: [app()] }));
    const result = diff(base(), head);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    // requests by hand: 100m + 20m = 120m, 128Mi + 64Mi = 192Mi; limits 500m + 100m, 256Mi + 128Mi
    expect(result.stdout).toBe([
      'Deployment shop/web: changed',
      '  containers:   + log-shipper (sidecar)',
      '  start before: web (app, until running)',
      '  start after:  log-shipper (sidecar, until process started) → web (app, until running)',
      '  stop before:  web',
      '  stop after:   web → log-shipper',
      '  requests:     cpu 100m → 120m (+20m), memory 128Mi → 192Mi (+64Mi)',
      '  limits:       cpu 500m → 600m (+100m), memory 256Mi → 384Mi (+128Mi)',
      '',
      '1 workload changed, 0 added, 0 removed, 0 unchanged; nothing got worse: no new error, no lower Pod Security level.',
      '',
    ].join('\n'));
  });

  test('unchanged workloads are only counted; the ConfigMap is no workload', () => {
    const result = diff(base(), file('same.yaml', deployment('web', { containers: [app()] })));
    expect(result).toEqual({
      stdout: '0 workloads changed, 0 added, 0 removed, 1 unchanged; nothing got worse: no new error, no lower Pod Security level.\n',
      stderr: '',
      exitCode: 0,
    });
  });

  test('a lower Pod Security level is worse: exit 1, with the control that changed it', () => {
    const head = file('privileged.yaml', deployment('web', { containers: [app({ securityContext: { ...restricted, privileged: true } })] }));
    const result = diff(base(), head);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('  Pod Security: restricted → privileged\n');
    expect(result.stdout).toContain('  new control:  container web: Privileged Containers (spec.containers[web].securityContext.privileged) fails (baseline)\n');
    expect(result.stdout).toContain('  worse:        Pod Security restricted → privileged\n');
    expect(result.stdout).toMatch(/; worse: Deployment shop\/web: Pod Security restricted → privileged\.\n$/);
  });

  test('a higher level is no worse, and the controls that pass now are listed', () => {
    const head = file('privileged.yaml', deployment('web', { containers: [app({ securityContext: { ...restricted, privileged: true } })] }));
    const result = diff(head, base());
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('  Pod Security: privileged → restricted\n');
    expect(result.stdout).toContain('  gone control: container web: Privileged Containers (spec.containers[web].securityContext.privileged) passes now (baseline)\n');
  });

  test('a new error is worse; a gone error is not', () => {
    // a request above its limit: the API server rejects it (rule request-above-limit)
    const broken = file('broken.yaml', deployment('web', { containers: [app({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }));
    const worse = diff(base(), broken);
    expect(worse.exitCode).toBe(1);
    expect(worse.stdout).toMatch(/\n {2}new error: {4}\[request-above-limit\] [^\n]+\n/);
    expect(worse.stdout).toContain('  worse:        a new error (request-above-limit)\n');
    // requests by hand: memory 128Mi → none, cpu 100m → 2; limits cpu 500m → 1, memory 256Mi → none
    expect(worse.stdout).toContain('  requests:     cpu 100m → 2 (+1900m), memory 128Mi → none (-128Mi)\n');
    expect(worse.stdout).toContain('  limits:       cpu 500m → 1 (+500m), memory 256Mi → none (-256Mi)\n');
    const better = diff(broken, base());
    expect(better.exitCode).toBe(0);
    expect(better.stdout).toMatch(/\n {2}gone error: {3}\[request-above-limit\] [^\n]+\n/);
  });

  test('QoS and a Job\'s verdict before and after', () => {
    const job = (containers: any[]) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { restartPolicy: 'Never', containers } } } });
    const guaranteed = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
    const before = file('job-before.yaml', job([app({ name: 'migrate', command: ['migrate'], resources: guaranteed })]));
    const after = file('job-after.yaml', job([app({ name: 'migrate', command: ['migrate'], resources: guaranteed }), app({ name: 'cloud-sql-proxy', resources: {} })]));
    const result = diff(before, after);
    expect(result.stdout).toContain('  containers:   + cloud-sql-proxy (app)\n');
    expect(result.stdout).toContain('  QoS:          Guaranteed → Burstable\n');
    expect(result.stdout).toContain('  completes:    yes → unknown\n');
    expect(result.stdout).toMatch(/\n {2}new warning: {2}\[job-completion-unknown\] [^\n]+\n/);
    expect(result.exitCode).toBe(0);
  });

  test('added and removed workloads; a workload with an error added is worse', () => {
    const broken = deployment('api', { containers: [app({ name: 'API' })] });
    const result = diff(base(), file('moved.yaml', deployment('web', { containers: [app()] }, 'store'), broken));
    expect(result.exitCode).toBe(1);
    const blocks = result.stdout.split('\n\n');
    expect(blocks[0]).toBe([
      'Deployment store/web: added',
      '  containers:   + web (app)',
      '  start:        web (app, until running)',
      '  stop:         web',
      '  requests:     cpu none → 100m (+100m), memory none → 128Mi (+128Mi)',
      '  limits:       cpu none → 500m (+500m), memory none → 256Mi (+256Mi)',
      '  QoS:          Burstable',
      '  Pod Security: restricted',
    ].join('\n'));
    expect(blocks[1]).toMatch(/^Deployment shop\/api: added\n[\s\S]*\n {2}new error: {4}\[container-name\] [^\n]+\n {2}worse: {8}a new error \(container-name\)$/);
    expect(blocks[2]).toBe('Deployment shop/web: removed');
    expect(blocks[3]).toBe('0 workloads changed, 2 added, 1 removed, 0 unchanged; worse: Deployment shop/api: a new error (container-name).\n');
  });
});

describe('three workloads changed at once, every kind of row and item', () => {
  const guaranteed = (cpu: string) => ({ requests: { cpu, memory: '64Mi' }, limits: { cpu, memory: '64Mi' } });
  const c = (name: string, extra: any = {}) => ({ name, image: 'busybox:1.37.0', command: ['run'], securityContext: restricted, resources: guaranteed('100m'), ...extra });
  const job = (containers: any[], initContainers: any[]) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'db' },
    spec: { template: { spec: { restartPolicy: 'Never', initContainers, containers } } },
  });
  const paths = () => [
    // a Job: an init container renamed, a proxy added beside the main container, more cpu
    file('many-base.yaml', job([c('migrate')], [c('setup')]), deployment('api', { containers: [c('api')] }), deployment('web', { containers: [c('web', { image: 'nginx:latest' })] })),
    file('many-head.yaml',
      job([c('migrate', { resources: guaranteed('200m') }), c('proxy', { command: undefined, image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0' })], [c('prepare')]),
      // worse twice: a name the API server rejects, and a privileged container
      deployment('api', { containers: [c('API', { securityContext: { ...restricted, privileged: true } })] }),
      // better: a pinned image; a higher cpu limit only (Guaranteed → Burstable)
      deployment('web', { containers: [c('web', { image: 'nginx:1.27.3', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '300m', memory: '64Mi' } } })] })),
  ];

  /** Each line as expected, or, for a finding's long message, its start. */
  function expectLines(stdout: string, expected: Array<[string, string]>): void {
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(expected.length);
    expected.forEach(([how, text], i) => {
      if (how === 'prefix') {
        expect(lines[i].startsWith(text)).toBe(true);
      } else {
        expect(lines[i]).toBe(text);
      }
    });
  }

  test('text', () => {
    const [base, head] = paths();
    const result = diff(base, head);
    expect(result.exitCode).toBe(1);
    expectLines(result.stdout, [
      ['line', 'Job db/migrate: changed'],
      ['line', '  containers:   + prepare (init), + proxy (app), - setup (init)'],
      ['line', '  start before: setup (init, until exits 0) → migrate (app, until running)'],
      ['line', '  start after:  prepare (init, until exits 0) → migrate + proxy (app, until running)'],
      ['line', '  stop before:  migrate'],
      ['line', '  stop after:   migrate + proxy'],
      ['line', '  requests:     cpu 100m → 300m (+200m), memory 64Mi → 128Mi (+64Mi)'],
      ['line', '  limits:       cpu 100m → 300m (+200m), memory 64Mi → 128Mi (+64Mi)'],
      ['line', '  completes:    yes → unknown'],
      ['prefix', '  new warning:  [job-completion-unknown] '],
      ['line', ''],
      ['line', 'Deployment shop/api: changed'],
      ['line', '  containers:   + API (app), - api (app)'],
      ['line', '  start before: api (app, until running)'],
      ['line', '  start after:  API (app, until running)'],
      ['line', '  stop before:  api'],
      ['line', '  stop after:   API'],
      ['line', '  Pod Security: restricted → privileged'],
      ['line', '  new control:  container API: Privileged Containers (spec.containers[API].securityContext.privileged) fails (baseline)'],
      ['prefix', '  new error:    [container-name] '],
      ['line', '  worse:        a new error (container-name), Pod Security restricted → privileged'],
      ['line', ''],
      ['line', 'Deployment shop/web: changed'],
      ['line', '  limits:       cpu 100m → 300m (+200m)'],
      ['line', '  QoS:          Guaranteed → Burstable'],
      ['prefix', '  gone warning: [mutable-image-tag] '],
      ['line', ''],
      ['line', '3 workloads changed, 0 added, 0 removed, 0 unchanged; worse: Deployment shop/api: a new error (container-name), Pod Security restricted → privileged.'],
      ['line', ''],
    ]);
  });

  test('markdown', () => {
    const [base, head] = paths();
    const result = diff(base, head, '--format', 'markdown');
    expect(result.exitCode).toBe(1);
    expectLines(result.stdout, [
      ['line', '## Pod plan diff'],
      ['line', ''],
      ['line', ':x: **This change makes things worse**:'],
      ['line', ''],
      ['line', '- Deployment `shop/api`: a new error (container-name), Pod Security restricted → privileged'],
      ['line', ''],
      ['line', '### Job `db/migrate`: changed'],
      ['line', ''],
      ['line', '| | before | after |'],
      ['line', '|---|---|---|'],
      ['line', '| containers | ~~setup~~ (init), migrate (app) | **prepare** (init), migrate (app), **proxy** (app) |'],
      ['line', '| start | setup (init, until exits 0) → migrate (app, until running) | prepare (init, until exits 0) → migrate + proxy (app, until running) |'],
      ['line', '| stop | migrate | migrate + proxy |'],
      ['line', '| requests | cpu 100m, memory 64Mi | cpu 300m (+200m), memory 128Mi (+64Mi) |'],
      ['line', '| limits | cpu 100m, memory 64Mi | cpu 300m (+200m), memory 128Mi (+64Mi) |'],
      ['line', '| completes | yes | unknown |'],
      ['line', ''],
      ['line', '```mermaid'],
      ['line', 'flowchart LR'],
      ['line', '  subgraph startOrder[start]'],
      ['line', '    direction LR'],
      ['line', '    s0["prepare<br/>init, until exits 0"] --> s1["migrate + proxy<br/>app, until running"]'],
      ['line', '  end'],
      ['line', '  subgraph stopOrder[stop]'],
      ['line', '    direction LR'],
      ['line', '    t0["migrate + proxy<br/>app"]'],
      ['line', '  end'],
      ['line', '  class s0,s1,t0 added'],
      ['line', '  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px'],
      ['line', '```'],
      ['line', ''],
      ['prefix', '- :warning: new warning `job-completion-unknown` '],
      ['line', ''],
      ['line', '### Deployment `shop/api`: changed'],
      ['line', ''],
      ['line', '| | before | after |'],
      ['line', '|---|---|---|'],
      ['line', '| containers | ~~api~~ (app) | **API** (app) |'],
      ['line', '| start | api (app, until running) | API (app, until running) |'],
      ['line', '| stop | api | API |'],
      ['line', '| Pod Security | restricted | privileged |'],
      ['line', ''],
      ['line', '```mermaid'],
      ['line', 'flowchart LR'],
      ['line', '  subgraph startOrder[start]'],
      ['line', '    direction LR'],
      ['line', '    s0["API<br/>app, until running"]'],
      ['line', '  end'],
      ['line', '  subgraph stopOrder[stop]'],
      ['line', '    direction LR'],
      ['line', '    t0["API<br/>app"]'],
      ['line', '  end'],
      ['line', '  class s0,t0 added'],
      ['line', '  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px'],
      ['line', '```'],
      ['line', ''],
      ['prefix', '- :x: new error `container-name` '],
      ['line', '- :unlock: fails baseline now: container API: Privileged Containers (spec.containers[API].securityContext.privileged)'],
      ['line', ''],
      ['line', '### Deployment `shop/web`: changed'],
      ['line', ''],
      ['line', '| | before | after |'],
      ['line', '|---|---|---|'],
      ['line', '| containers | web (app) | web (app) |'],
      ['line', '| limits | cpu 100m, memory 64Mi | cpu 300m (+200m), memory 64Mi |'],
      ['line', '| QoS | Guaranteed | Burstable |'],
      ['line', ''],
      ['prefix', '- :heavy_check_mark: gone warning `mutable-image-tag` '],
      ['line', ''],
      ['line', '3 workloads changed, 0 added, 0 removed, 0 unchanged.'],
      ['line', ''],
    ]);
  });

  test('JSON: worse overall when one workload is, each workload\'s reasons', () => {
    const [base, head] = paths();
    const json = JSON.parse(diff(base, head, '--json').stdout);
    expect(json.worse).toBe(true);
    expect(json.workloads.map((w: any) => w.worse)).toEqual([[], ['a new error (container-name)', 'Pod Security restricted → privileged'], []]);
    expect(json.workloads[0].completes).toEqual({ before: 'yes', after: 'unknown' });
    expect(json.workloads[2].qos).toEqual({ before: 'Guaranteed', after: 'Burstable' });
  });
});

describe('inputs', () => {
  test('directories on both sides, and standard input as one side', () => {
    const baseDir = path.join(work, 'dirs', 'base');
    const headDir = path.join(work, 'dirs', 'head');
    file('dirs/base/a.k8s.yaml', deployment('web', { containers: [app()] }));
    file('dirs/head/nested/a.k8s.yaml', deployment('web', { containers: [app()] }));
    file('dirs/head/b.yml', deployment('api', { containers: [app()] }));
    fs.writeFileSync(path.join(headDir, 'notes.txt'), 'not YAML: [');
    const result = diff(baseDir, headDir);
    expect(result.stdout).toMatch(/^Deployment shop\/api: added\n/);
    expect(result.stdout).toContain('\n0 workloads changed, 1 added, 0 removed, 1 unchanged; ');
    const stdin = fs.readFileSync(path.join(baseDir, 'a.k8s.yaml'), 'utf-8');
    expect(runCommand(['plan', '--diff', '-', baseDir], () => stdin).stdout).toBe(
      '0 workloads changed, 0 added, 0 removed, 1 unchanged; nothing got worse: no new error, no lower Pod Security level.\n');
  });

  test.each([
    [['plan', '--diff', 'a.yaml'], 'cdk8s-sidecars: --diff takes two inputs, BASE and HEAD (a file, a directory or -), not 1\n'],
    [['plan', '--diff', 'a', 'b', 'c'], 'cdk8s-sidecars: --diff takes two inputs, BASE and HEAD (a file, a directory or -), not 3\n'],
    [['plan', '--diff', '-', '-'], 'cdk8s-sidecars: standard input (-) is given more than once\n'],
    [['plan', '--diff', '/nonexistent', '-'], 'cdk8s-sidecars: /nonexistent: cannot be read (ENOENT)\n'],
  ])('%j: one line, exit 2', (args, stderr) => {
    expect(runCommand(args, () => '')).toEqual({ stdout: '', stderr, exitCode: 2 });
  });

  test('a workload twice on one side cannot be matched: exit 2, both places named', () => {
    const twice = file('twice.yaml', deployment('web', { containers: [app()] }), deployment('web', { containers: [app()] }));
    expect(diff(twice, twice)).toEqual({
      stdout: '',
      stderr: `cdk8s-sidecars: ${twice}, document 2: Deployment "web" of namespace "shop" is also at ${twice}, document 1; `
        + 'a diff matches workloads by kind, namespace and name: give each one once\n',
      exitCode: 2,
    });
  });
});

describe('markdown and JSON', () => {
  const README_BLOCK = /<!-- plan-diff-example: begin -->\n````markdown\n([\s\S]*?)````\n<!-- plan-diff-example: end -->/;

  test('the README shows what the command prints for the bring-your-own-manifests example', () => {
    const example = path.join('examples', 'bring-your-own-manifests');
    const result = runCommand(['plan', '--diff', path.join(example, 'vendor', 'inventory.yaml'), path.join(example, 'dist'), '--format', 'markdown'], () => '');
    expect(result.exitCode).toBe(0);
    const block = README_BLOCK.exec(fs.readFileSync('README.md', 'utf-8'));
    expect(block).not.toBeNull();
    expect(result.stdout).toBe(block![1]);
    // the parts that matter, explicitly
    expect(result.stdout).toContain('| containers | inventory (app) | **log-shipper** (sidecar), **netshoot** (sidecar), inventory (app) |');
    expect(result.stdout).toContain('| Pod Security | baseline | restricted |');
    expect(result.stdout).toContain('```mermaid\nflowchart LR\n');
    expect(result.stdout).toContain('  class s0,s1,t1,t2 added\n');
  });

  test('a worse change leads the comment; removed workloads are headed only', () => {
    const base = file('md-base.yaml', deployment('web', { containers: [app()] }), deployment('old', { containers: [app()] }));
    const head = file('md-head.yaml', deployment('web', { containers: [app({ securityContext: { ...restricted, privileged: true } })] }));
    const result = diff(base, head, '--format', 'markdown');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe([
      '## Pod plan diff',
      '',
      ':x: **This change makes things worse**:',
      '',
      '- Deployment `shop/web`: Pod Security restricted → privileged',
      '',
      '### Deployment `shop/web`: changed',
      '',
      '| | before | after |',
      '|---|---|---|',
      '| containers | web (app) | web (app) |',
      '| Pod Security | restricted | privileged |',
      '',
      '- :unlock: fails baseline now: container web: Privileged Containers (spec.containers[web].securityContext.privileged)',
      '',
      '### Deployment `shop/old`: removed',
      '',
      '1 workload changed, 0 added, 1 removed, 0 unchanged.',
      '',
    ].join('\n'));
  });

  test('an added Job: every row, its verdict, and two app containers in one step of the diagram', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'db' },
      spec: { template: { spec: { restartPolicy: 'Never', initContainers: [shipper()], containers: [app({ name: 'migrate', command: ['migrate'] }), app({ name: 'seed', command: ['seed'] })] } } },
    };
    const result = diff(file('empty.yaml', configMap), file('job.yaml', job), '--format', 'markdown');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain([
      '### Job `db/migrate`: added',
      '',
      '| | before | after |',
      '|---|---|---|',
      '| containers | — | **log-shipper** (sidecar), **migrate** (app), **seed** (app) |',
      '| start | — | log-shipper (sidecar, until process started) → migrate + seed (app, until running) |',
      '| stop | — | migrate + seed → log-shipper |',
      // by hand: 20m + 100m + 100m, 64Mi + 128Mi + 128Mi; limits 100m + 500m + 500m, 128Mi + 256Mi + 256Mi
      '| requests | — | cpu 220m (+220m), memory 320Mi (+320Mi) |',
      '| limits | — | cpu 1100m (+1100m), memory 640Mi (+640Mi) |',
      '| QoS | — | Burstable |',
      '| Pod Security | — | restricted |',
      '| completes | — | unknown |',
      '',
      '```mermaid',
      'flowchart LR',
      '  subgraph startOrder[start]',
      '    direction LR',
      '    s0["log-shipper<br/>sidecar, until process started"] --> s1["migrate + seed<br/>app, until running"]',
      '  end',
      '  subgraph stopOrder[stop]',
      '    direction LR',
      '    t0["migrate + seed<br/>app"] --> t1["log-shipper<br/>sidecar"]',
      '  end',
      '  class s0,s1,t0,t1 added',
      '  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px',
      '```',
    ].join('\n'));
  });

  test('the diagrams parse with Mermaid\'s own parser; a broken one does not', () => {
    const example = path.join('examples', 'bring-your-own-manifests');
    const outputs = [
      runCommand(['plan', '--diff', path.join(example, 'vendor', 'inventory.yaml'), path.join(example, 'dist'), '--format', 'markdown'], () => '').stdout,
      diff(file('m-base.yaml', configMap), file('m-head.yaml', deployment('web', { initContainers: [shipper()], containers: [app(), app({ name: 'b' })] })), '--format', 'markdown').stdout,
      diff(file('m-base2.yaml', deployment('web', { initContainers: [shipper()], containers: [app()] })), file('m-head2.yaml', deployment('web', { containers: [app()] })), '--format', 'markdown').stdout,
    ];
    const diagrams = outputs.flatMap(out => [...out.matchAll(/```mermaid\n([\s\S]*?)```/g)].map(m => m[1]));
    expect(diagrams).toHaveLength(3);
    // the negative control: the parser does reject, and names the line
    diagrams.push('flowchart LR\n  subgraph startOrder[start]\n    s0["a"] --> \n');
    const parsed = spawnSync(process.execPath, [path.join(__dirname, '..', 'mermaid-parse.mjs')], { input: JSON.stringify(diagrams), encoding: 'utf-8' });
    expect(parsed.stderr).toBe('');
    const results = JSON.parse(parsed.stdout);
    expect(results.slice(0, 3)).toEqual([null, null, null]);
    expect(results[3]).toMatch(/^Parse error on line \d+:/);
  });

  test('--json: the same content for machines', () => {
    const base = file('json-base.yaml', deployment('web', { containers: [app()] }));
    const head = file('json-head.yaml', deployment('web', { initContainers: [shipper()], containers: [app()] }));
    const result = diff(base, head, '--json');
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['workloads', 'changed', 'added', 'removed', 'unchanged', 'worse']);
    expect(json).toMatchObject({ changed: 1, added: 0, removed: 0, unchanged: 0, worse: false });
    expect(json.workloads[0]).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      change: 'changed',
      containersAdded: [{ name: 'log-shipper', role: 'sidecar' }],
      containersRemoved: [],
      startOrder: {
        before: [{ containers: ['web'], role: 'app', until: 'running' }],
        after: [{ containers: ['log-shipper'], role: 'sidecar', until: 'process started' }, { containers: ['web'], role: 'app', until: 'running' }],
      },
      stopOrder: {
        before: [{ containers: ['web'], role: 'app', until: 'exited' }],
        after: [{ containers: ['web'], role: 'app', until: 'exited' }, { containers: ['log-shipper'], role: 'sidecar', until: 'exited' }],
      },
      resources: [
        { kind: 'requests', resource: 'cpu', before: '100m', after: '120m', delta: '+20m' },
        { kind: 'requests', resource: 'memory', before: '128Mi', after: '192Mi', delta: '+64Mi' },
        { kind: 'limits', resource: 'cpu', before: '500m', after: '600m', delta: '+100m' },
        { kind: 'limits', resource: 'memory', before: '256Mi', after: '384Mi', delta: '+128Mi' },
      ],
      violationsNew: [],
      violationsGone: [],
      findingsNew: [],
      findingsGone: [],
      worse: [],
    });
  });
});
