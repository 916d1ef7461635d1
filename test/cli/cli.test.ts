// The command line and the validation plugin, run as users run them: the library is
// compiled into a package of its own (package.json, lib/, bin/) in a temporary folder,
// the command is that package's bin run as a subprocess, and the plugin is loaded by
// the real cdk8s CLI from that package during `cdk8s synth`.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { ROOT, buildPackage, cdk8sConfig } from '../package';

let tmp: string;
let pkg: string;
let dist: string;

beforeAll(() => {
  pkg = buildPackage();
  tmp = path.dirname(pkg);
  // the examples' YAML, as `cdk8s synth` writes it
  dist = path.join(tmp, 'dist');
  for (const name of fs.readdirSync(path.join(ROOT, 'examples')).filter(n => fs.existsSync(path.join(ROOT, 'examples', n, 'cdk8s.yaml')))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(ROOT, 'examples', name, 'main')).build(new App({ outdir: path.join(dist, name) })).synth();
  }
}, 120000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[], input?: string) {
  const result = spawnSync('node', [path.join(pkg, 'bin', 'cdk8s-sidecars'), ...args], { input, encoding: 'utf-8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function exampleFiles(): string[] {
  return fs.readdirSync(dist).flatMap(name => fs.readdirSync(path.join(dist, name)).map(f => path.join(dist, name, f))).sort();
}

describe('cdk8s-sidecars plan', () => {
  test('prints a plan for every workload of every example, and exits 0', () => {
    const { stdout, stderr, status } = cli(['plan', ...exampleFiles()]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Job myjob \(.*job-with-logshipper\/myjob\.k8s\.yaml, document 1\)$/m);
    expect(stdout).toContain('  start:        logshipper (sidecar, until process started) → myjob (app, until running)');
    expect(stdout).toContain('  completes:    yes');
    expect(stdout).toMatch(/^\d+ workloads planned, \d+ other objects skipped; 0 with errors/m);
  });

  test('--json: the documented shape', () => {
    const { stdout, status } = cli(['plan', '--json', path.join(dist, 'netshoot-debug', 'backend.k8s.yaml')]);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.skipped).toBe(1);
    expect(json.workloads).toHaveLength(1);
    const backend = json.workloads[0];
    expect(Object.keys(backend)).toEqual(['kind', 'name', 'namespace', 'effective', 'steadyState', 'unboundedLimits', 'qos', 'podSecurity',
      'startOrder', 'stopOrder', 'volumes', 'ports', 'warnings', 'errors', 'findings', 'suppressed']);
    // by hand: backend 250m/256Mi + netshoot 10m/32Mi; limits 1000m/512Mi + 100m/128Mi
    expect(backend).toMatchObject({
      kind: 'Deployment',
      name: 'backend',
      namespace: 'ns-backend',
      effective: { requests: { cpu: '260m', memory: '288Mi' }, limits: { cpu: '1100m', memory: '640Mi' } },
      qos: 'Burstable',
      podSecurity: { level: 'restricted', violations: [] },
      startOrder: [{ containers: ['netshoot'], role: 'sidecar', until: 'process started' }, { containers: ['backend'], role: 'app', until: 'running' }],
    });
  });

  test('--format markdown, from standard input', () => {
    const { stdout, status } = cli(['plan', '--format', 'markdown'], fs.readFileSync(path.join(dist, 'mesh-proxy', 'orders.k8s.yaml'), 'utf-8'));
    expect(status).toBe(0);
    expect(stdout).toContain('### Deployment `shop/orders-');
    expect(stdout).toContain('| start | mesh-proxy (sidecar, until startupProbe succeeds) → orders (app, until running) |');
  });

  test('a workload with an error: the plan says so and the exit code is 1', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: myjob}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n'
      + '      - {name: myjob, image: alpine:3.21.0, command: [sh, -c, "echo x > /opt/logs.txt"]}\n'
      + '      - {name: logshipper, image: busybox:1.37.0, command: [sh, -c, "tail -F /opt/logs.txt"]}\n';
    const { stdout, status } = cli(['plan', '-'], job);
    expect(status).toBe(1);
    expect(stdout).toContain('  completes:    never');
    expect(stdout).toContain('error:        [job-never-completes] containers[logshipper].command: "sh -c tail -F /opt/logs.txt" does not exit by itself');
  });

  test.each([
    ['malformed YAML', 'kind: Pod\n  spec: [\n', /^cdk8s-sidecars: standard input, document 1: not valid YAML: .+\n$/],
    ['a document that is no object', '---\nkind: Pod\n---\n- a\n- b\n', /^cdk8s-sidecars: standard input, document 1: .+\n$/],
    ['a workload without a pod spec', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n',
      /^cdk8s-sidecars: standard input, document 1: Deployment "d" has no pod spec where its kind keeps it\.\n$/],
    ['a file that does not exist', undefined, /^cdk8s-sidecars: \/nonexistent\.yaml: cannot be read \(ENOENT\)\n$/],
  ])('%s: one line on stderr, exit 2, no stack trace', (_name, input, message) => {
    const { stdout, stderr, status } = cli(['plan', input === undefined ? '/nonexistent.yaml' : '-'], input);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test.each([
    [['deploy'], /^cdk8s-sidecars: unknown command "deploy"; usage: /],
    [['plan', '--format', 'html'], /^cdk8s-sidecars: --format html is not text, markdown or json\n$/],
    [['plan', '--kubernetes-version', 'latest'], /^cdk8s-sidecars: --kubernetes-version latest is not a version such as 1.30\n$/],
    [['plan', '--bogus'], /^cdk8s-sidecars: unknown option --bogus; usage: /],
  ])('usage errors: %j', (args, message) => {
    const { stderr, status } = cli(args, '');
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('a bad quantity is an error of the plan, named with the file and document', () => {
    const podYaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: busybox:1.37.0, resources: {requests: {memory: 100mi}}}\n';
    const { stdout, status } = cli(['plan', '-'], podYaml);
    expect(status).toBe(1);
    expect(stdout).toContain('Pod p (standard input, document 1)');
    expect(stdout).toContain('error:        [quantity] containers[a].resources.requests.memory: "100mi" is not a Kubernetes quantity');
  });
});

describe('the cdk8s validation plugin, run by the real cdk8s CLI', () => {
  /** A plain JavaScript cdk8s app, not built with this library: a native sidecar written by hand that requests more memory than the app. */
  const APP = `
const { App, Chart, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const app = new App();
const chart = new Chart(app, 'hand');
const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080 }] });
web.addInitContainer({ name: 'logs', image: 'busybox:1.37.0', restartPolicy: kplus.ContainerRestartPolicy.ALWAYS, command: ['sh', '-c', 'trap "exit 0" TERM; sleep infinity & wait'],
  resources: { memory: { request: Size.mebibytes(1024), limit: Size.mebibytes(2048) } } });
app.synth();
`;

  function synthWith(properties: object) {
    const dir = fs.mkdtempSync(path.join(tmp, 'app-'));
    fs.writeFileSync(path.join(dir, 'main.js'), APP);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sConfig('node main.js', pkg, properties));
    // no upgrade check: it would ask the npm registry for cdk8s-cli's latest version
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: dir, encoding: 'utf-8', env: { ...process.env, HOME: dir } });
    return { status: result.status, output: result.stdout + result.stderr, dir };
  }

  test('passes at the baseline level, logging the warnings', () => {
    const { status, output, dir } = synthWith({ podSecurityLevel: 'baseline' });
    expect(output).toMatch(/^Deployment hand-web-\w+: warning \(sidecars-request-more-than-app\): initContainers\[\*\]\.resources\.requests\.memory: "1Gi" is what the sidecars request together, more than the app containers' 512Mi/m);
    expect(output).toContain('Status  │ success');
    expect(status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'dist'))).toContain('hand.k8s.yaml');
  }, 60000);

  test('a property that names no rule stops the synth with what to write', () => {
    const { status, output } = synthWith({ failOnWarnings: ['no-such-rule'] });
    expect(status).not.toBe(0);
    expect(output).toContain('PlanValidation: failOnWarnings names "no-such-rule", which is not a warning rule');
  }, 60000);

  test('fails at the restricted level, and on the warnings chosen, naming the resource and the manifest', () => {
    const { status, output } = synthWith({ podSecurityLevel: 'restricted', failOnWarnings: ['sidecars-request-more-than-app'] });
    expect(status).not.toBe(0);
    expect(output).toContain('Status  │ failure');
    expect(output).toContain('pod-security-restricted');
    expect(output).toContain('Recommendation: container web: Capabilities: spec.containers[web].securityContext.capabilities.drop');
    expect(output).toContain('sidecars-request-more-than-app');
    expect(output).toMatch(/Manifest Path: dist\/hand.k8s.yaml\n\s+- Resource Name: hand-web-\w+/);
  }, 60000);
});

describe('an example, synthesized by the real cdk8s CLI as a user does, against the built package', () => {
  test('sidecar-demo: cdk8s synth with ts-node writes the YAML committed beside the example', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'example-'));
    fs.copyFileSync(path.join(ROOT, 'examples', 'sidecar-demo', 'main.ts'), path.join(dir, 'main.ts'));
    // node_modules: the repository's packages, and cdk8s-sidecars from the built package
    fs.mkdirSync(path.join(dir, 'node_modules'));
    for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules')).filter(e => e !== 'cdk8s-sidecars')) {
      fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(dir, 'node_modules', entry));
    }
    fs.symlinkSync(pkg, path.join(dir, 'node_modules', 'cdk8s-sidecars'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { esModuleInterop: true, strict: true, module: 'commonjs', target: 'ES2022' } }));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sConfig('npx ts-node main.ts', pkg, { podSecurityLevel: 'restricted' }));
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: dir, encoding: 'utf-8', env: { ...process.env, HOME: dir } });
    expect(result.stdout + result.stderr).toContain('Status  │ success');
    expect(result.status).toBe(0);
    const written = fs.readFileSync(path.join(dir, 'dist', 'sidecar-demo.k8s.yaml'), 'utf-8');
    expect(written).toBe(fs.readFileSync(path.join(ROOT, 'examples', 'sidecar-demo', 'dist', 'sidecar-demo.k8s.yaml'), 'utf-8'));
  }, 120000);
});
