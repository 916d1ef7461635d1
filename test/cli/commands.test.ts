// The command and the validation plugin in this process: `runCommand` is what the bin
// runs (test/cli/cli.test.ts runs the bin itself, and the plugin inside the real cdk8s
// CLI); the plugin gets cdk8s-cli's own ValidationContext, report and logger.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { PlanValidation } from '../../src';
import { runCommand } from '../../src/cli/plan-command';

const EXAMPLE_FILES = fs.readdirSync('examples')
  .filter(name => fs.existsSync(path.join('examples', name, 'dist')))
  .flatMap(name => fs.readdirSync(path.join('examples', name, 'dist')).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join('examples', name, 'dist', f)))
  .sort();

const NO_STDIN = () => {
  throw new Error('standard input is not read when files are given');
};

function run(args: string[], stdin?: string) {
  return runCommand(args, stdin === undefined ? NO_STDIN : () => stdin);
}

/** A hand-written Pod: a privileged app, a native sidecar without limits that requests more than the app, two volumes, ports. */
const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata: {name: tools, namespace: ops}
spec:
  volumes:
  - {name: scratch, emptyDir: {}}
  - {name: config, configMap: {name: tools}}
  initContainers:
  - name: helper
    image: busybox:1.37.0
    restartPolicy: Always
    command: [sh, -c, 'trap "exit 0" TERM; sleep infinity & wait']
    resources: {requests: {cpu: 200m}}
    volumeMounts:
    - {name: scratch, mountPath: /scratch}
  containers:
  - name: tools
    image: busybox:1.37.0
    command: [sh, -c, 'trap "exit 0" TERM; while :; do sleep 1; done']
    ports: [{containerPort: 8080}, {containerPort: 53, protocol: UDP}]
    securityContext: {privileged: true}
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m}}
    volumeMounts:
    - {name: config, mountPath: /etc/tools, readOnly: true}
    - {name: scratch, mountPath: /scratch}
---
apiVersion: v1
kind: Service
metadata: {name: tools}
spec: {ports: [{port: 80}]}
`;
const NO_LIMITS = 'initContainers[helper].resources.limits: has no cpu or memory limit, so the sidecar may take what the app needs. Give the sidecar cpu and memory limits (the resources prop).';
const REQUESTS_MORE = 'initContainers[*].resources.requests.cpu: "200m" is what the sidecars request together, more than the app containers\' 100m. Check the sidecars\' requests: they are usually a fraction of the app\'s.';
const PRIVILEGED = 'Privileged Containers (spec.containers[tools].securityContext.privileged)';

/** Seed 001's Job with a plain container following a file: it never completes. */
const NEVER_COMPLETING_JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: myjob}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: myjob, image: alpine:3.21.0, command: [sh, -c, "echo x > /opt/logs.txt"]}
      - {name: logshipper, image: busybox:1.37.0, command: [sh, -c, "tail -F /opt/logs.txt | grep a|b"]}
`;

/** Pod-level host networking, three app containers: one without limits, one read-only volume shared by two. */
const HOST_POD = `apiVersion: v1
kind: Pod
metadata: {name: net}
spec:
  hostNetwork: true
  volumes:
  - {name: conf, configMap: {name: net}}
  containers:
  - {name: a, image: busybox:1.37.0, command: [sh, -c, 'trap "exit 0" TERM; sleep 5 & wait'], volumeMounts: [{name: conf, mountPath: /conf, readOnly: true}]}
  - {name: b, image: busybox:1.37.0, command: [sh, -c, 'trap "exit 0" TERM; sleep 5 & wait'], resources: {limits: {cpu: 100m}}, volumeMounts: [{name: conf, mountPath: /conf, readOnly: true}]}
  - {name: c, image: busybox:1.37.0, command: [sh, -c, 'trap "exit 0" TERM; sleep 5 & wait'], resources: {limits: {memory: 64Mi}}}
`;

describe('plan, text', () => {
  test('every example: exit 0, a plan per workload, the summary line', () => {
    const result = run(['plan', ...EXAMPLE_FILES]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Job myjob (examples/job-with-logshipper/dist/myjob.k8s.yaml, document 1)\n'
      + '  start:        logshipper (sidecar, until process started) → myjob (app, until running)\n'
      + '  stop:         myjob → logshipper\n');
    expect(result.stdout).toContain('  completes:    yes\n');
    expect(result.stdout).toMatch(/\n\d+ workloads planned, \d+ other objects skipped; 0 with errors, \d+ with warnings\.\n$/);
    expect(result.stdout).toMatchSnapshot();
  });

  test('a privileged Pod of a namespace: every line of its plan', () => {
    const result = run(['plan', '-'], PRIVILEGED_POD);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'Pod ops/tools (standard input, document 1)',
      '  start:        helper (sidecar, until process started) → tools (app, until running)',
      '  stop:         tools → helper',
      '  requests:     cpu 300m, memory 64Mi (steady state: cpu 300m, memory 64Mi)',
      '  limits:       cpu 200m (no real bound for cpu: a container has no limit)',
      '  QoS:          Burstable',
      `  Pod Security: privileged, not baseline: container tools: ${PRIVILEGED}`,
      '  volume:       scratch (emptyDir) read-write: helper, tools; read-only: -',
      '  volume:       config (configMap) read-write: -; read-only: tools',
      '  ports:        tools 8080/TCP, tools 53/UDP',
      `  warning:      [sidecar-without-limits] ${NO_LIMITS}`,
      `  warning:      [sidecars-request-more-than-app] ${REQUESTS_MORE}`,
      '',
      '1 workload planned, 1 other object skipped; 0 with errors, 1 with warnings.',
      '',
    ]);
  });

  test('a Pod-level violation, two unbounded limits, a volume two containers read', () => {
    expect(run(['plan', '-'], HOST_POD).stdout.split('\n')).toEqual([
      'Pod net (standard input, document 1)',
      '  start:        a + b + c (app, until running)',
      '  stop:         a + b + c',
      '  requests:     cpu 100m, memory 64Mi (steady state: cpu 100m, memory 64Mi)',
      '  limits:       cpu 100m, memory 64Mi (no real bound for cpu, memory: a container has no limit)',
      '  QoS:          Burstable',
      '  Pod Security: privileged, not baseline: Host Namespaces (spec.hostNetwork)',
      '  volume:       conf (configMap) read-write: -; read-only: a, b',
      '',
      '1 workload planned, 0 other objects skipped; 0 with errors, 0 with warnings.',
      '',
    ]);
    const markdown = run(['plan', '--format', 'markdown', '-'], HOST_POD).stdout;
    expect(markdown).toContain('| limits | cpu 100m, memory 64Mi (no real bound for cpu, memory) |\n');
    expect(markdown).toContain('| Pod Security | privileged, not baseline: Host Namespaces (spec.hostNetwork) |\n');
  });

  test('a Job that never completes: exit 1, the error and "never"', () => {
    const result = run(['plan', '-'], NEVER_COMPLETING_JOB);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('  completes:    never\n');
    expect(result.stdout).toContain('  requests:     none (steady state: none)\n  limits:       none\n');
    expect(result.stdout).toContain('  error:        [job-never-completes] containers[logshipper].command: "sh -c tail -F /opt/logs.txt | grep a|b" does not exit by itself');
    expect(result.stdout).toContain('1 workload planned, 0 other objects skipped; 1 with errors, ');
  });

  test('a native sidecar that ignores SIGTERM is an error under its rule id', () => {
    const result = run(['plan', '-'], PRIVILEGED_POD.replace('command: [sh, -c, \'trap "exit 0" TERM; sleep infinity & wait\']', 'command: [sleep, infinity]'));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('  error:        [sidecar-ignores-sigterm] initContainers[helper].command: "sleep infinity" ');
  });

  test('suppressed rules: not errors, printed with their reason in every format', () => {
    const suppressed = NEVER_COMPLETING_JOB.replace('metadata: {name: myjob}', `metadata:
  name: myjob
  annotations:
    cdk8s-sidecars/suppressed-rules: '{"job-never-completes":"the CronJob controller deletes it after activeDeadlineSeconds"}'`);
    const result = run(['plan', '-'], suppressed);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain('  error:');
    expect(result.stdout).toContain('  completes:    never\n');
    expect(result.stdout).toContain('  suppressed:   [job-never-completes] containers[logshipper].command: "sh -c tail -F /opt/logs.txt | grep a|b" does not exit by itself');
    expect(result.stdout).toContain(' (error, suppressed because: the CronJob controller deletes it after activeDeadlineSeconds)\n');
    expect(result.stdout).toContain('1 workload planned, 0 other objects skipped; 0 with errors, 0 with warnings.');
    expect(run(['plan', '--format', 'markdown', '-'], suppressed).stdout)
      .toContain('- :mute: `job-never-completes` (error, suppressed because: the CronJob controller deletes it after activeDeadlineSeconds) containers[logshipper].command: ');
    const json = JSON.parse(run(['plan', '--json', '-'], suppressed).stdout);
    expect(json.workloads[0].errors).toEqual([]);
    expect(json.workloads[0].suppressed).toEqual([expect.objectContaining({
      rule: 'job-never-completes', level: 'error', reason: 'the CronJob controller deletes it after activeDeadlineSeconds',
    })]);
  });

  test('no input at all: nothing planned', () => {
    expect(run(['plan'], '')).toEqual({ stdout: '0 workloads planned, 0 other objects skipped; 0 with errors, 0 with warnings.\n', stderr: '', exitCode: 0 });
    expect(run(['plan', '-'], '---\n---\n').stdout).toBe('0 workloads planned, 0 other objects skipped; 0 with errors, 0 with warnings.\n');
    expect(run(['plan', '-'], 'null\n---\n~\n')).toEqual({ stdout: '0 workloads planned, 0 other objects skipped; 0 with errors, 0 with warnings.\n', stderr: '', exitCode: 0 });
  });

  test('--kubernetes-version reaches the plan: native sidecars before 1.29 are a warning', () => {
    const file = 'examples/job-with-logshipper/dist/myjob.k8s.yaml';
    const warning = '  warning:      [native-sidecars-unsupported] initContainers: "logshipper" are native sidecars (restartPolicy: Always), which need Kubernetes 1.29 or newer; 1.28 rejects or ignores them. Use classic sidecars (SidecarMode.CLASSIC) on clusters before 1.29, or upgrade the cluster.\n';
    expect(run(['plan', '--kubernetes-version', '1.28', file]).stdout).toContain(warning);
    expect(run(['plan', '--kubernetes-version', 'v1.30.12', file]).stdout).not.toContain('warning:');
    expect(run(['plan', '--kubernetes-version', '10.0', file]).exitCode).toBe(0);
    expect(run(['plan', file]).stdout).not.toContain('warning:');
  });
});

describe('plan, markdown and JSON', () => {
  test('markdown of every example', () => {
    const result = run(['plan', '--format', 'markdown', ...EXAMPLE_FILES]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith('## Pod plan\n\n### ')).toBe(true);
    expect(result.stdout).toContain('### Job `myjob`\n\n| | |\n|---|---|\n| start | logshipper (sidecar, until process started) → myjob (app, until running) |\n'
      + '| stop | myjob → logshipper |\n');
    expect(result.stdout).toContain('| completes | yes |\n');
    expect(result.stdout).toMatch(/\n\d+ workloads planned, \d+ other objects skipped\.\n$/);
    expect(result.stdout).toMatchSnapshot();
  });

  test('markdown: "never" in bold, errors and warnings as list items, pipes escaped in cells', () => {
    const result = run(['plan', '--format', 'markdown', '-'], NEVER_COMPLETING_JOB);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('| completes | **never** |\n');
    expect(result.stdout).toContain('- :x: `job-never-completes` containers[logshipper].command: "sh -c tail -F /opt/logs.txt | grep a|b"');
    expect(result.stdout).toMatch(/\n1 workload planned, 0 other objects skipped\.\n$/);
    expect(run(['plan', '--format', 'markdown', '-'], PRIVILEGED_POD).stdout).toBe([
      '## Pod plan', '',
      '### Pod `ops/tools`', '',
      '| | |', '|---|---|',
      '| start | helper (sidecar, until process started) → tools (app, until running) |',
      '| stop | tools → helper |',
      '| requests | cpu 300m, memory 64Mi |',
      '| limits | cpu 200m (no real bound for cpu) |',
      '| QoS | Burstable |',
      `| Pod Security | privileged, not baseline: container tools: ${PRIVILEGED} |`,
      '',
      `- :warning: \`sidecar-without-limits\` ${NO_LIMITS}`,
      `- :warning: \`sidecars-request-more-than-app\` ${REQUESTS_MORE}`,
      '',
      '1 workload planned, 1 other object skipped.',
      '',
    ].join('\n'));
    // a pipe in a name (an invalid one, which the plan reports) is escaped in a table cell, not in the list
    const piped = NEVER_COMPLETING_JOB.replace('restartPolicy: Never\n', 'restartPolicy: Never\n      initContainers:\n      - {name: "in|it", image: busybox:1.37.0, command: [sh, -c, "true"]}\n');
    const table = run(['plan', '--format', 'markdown', '-'], piped).stdout;
    expect(table).toContain('| start | in\\|it (init, until exits 0) → myjob + logshipper (app, until running) |\n');
    expect(table).toContain('| Pod Security | baseline, not restricted: container in\\|it: Privilege Escalation (spec.initContainers["in\\|it"].securityContext.allowPrivilegeEscalation);');
    expect(table).toContain('- :x: `container-name` initContainers["in|it"].name: "in|it" is not a valid container name');
  });

  test('--json and --format json: the same document; the last format given counts', () => {
    const json = run(['plan', '--json', ...EXAMPLE_FILES]);
    expect(run(['plan', '--format', 'json', ...EXAMPLE_FILES])).toEqual(json);
    expect(run(['plan', '--json', '--format', 'text', ...EXAMPLE_FILES])).toEqual(run(['plan', ...EXAMPLE_FILES]));
    const parsed = JSON.parse(json.stdout);
    expect(Object.keys(parsed)).toEqual(['workloads', 'skipped']);
    expect(json.stdout.endsWith('}\n')).toBe(true);
    expect(json.stdout).toContain('\n  "workloads": [\n');
    expect(parsed.workloads.length).toBeGreaterThan(10);
    expect(parsed.workloads.map((w: any) => w.kind)).toContain('Job');
    expect(parsed.workloads.every((w: any) => typeof w.name === 'string' && Array.isArray(w.startOrder))).toBe(true);
  });
});

describe('--help and --version', () => {
  test.each([[['--help']], [['-h']], [['plan', '--help']], [['plan', '--json', '-h']]])('%j: every option on stdout, exit 0', args => {
    const result = run(args, '');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe('usage: cdk8s-sidecars plan [--json | --format text|markdown|json] [--kubernetes-version 1.30] [--pss-version latest|v1.N] [--diff BASE HEAD | INPUT... | -]');
    for (const option of ['--format text|markdown|json', '--json', '--diff BASE HEAD', '--kubernetes-version 1.N', '--pss-version latest|v1.N', '-h, --help', '-V, --version']) {
      expect(result.stdout).toContain(`  ${option} `);
    }
    expect(result.stdout).toContain('Exit status: 0 no workload has an error (with --diff: the change makes nothing worse);\n'
      + '1 a workload has an error (with --diff: a new error, or a lower Pod Security level);\n2 bad usage or input (one line on stderr).\n');
  });

  test.each([[['--version']], [['-V']], [['plan', '-V']]])('%j: the version of package.json', args => {
    const version = JSON.parse(fs.readFileSync('package.json', 'utf-8')).version;
    expect(run(args, '')).toEqual({ stdout: `${version}\n`, stderr: '', exitCode: 0 });
  });
});

describe('--pss-version', () => {
  const SYSCTL_POD = `apiVersion: v1
kind: Pod
metadata: {name: tuned}
spec:
  securityContext: {sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: "16384"}]}
  containers: [{name: app, image: "nginx:1.27.3"}]
`;
  test('a sysctl made safe in v1.37: baseline at the latest policy, privileged at v1.36', () => {
    const latest = JSON.parse(run(['plan', '--json'], SYSCTL_POD).stdout).workloads[0].podSecurity;
    expect([latest.level, latest.version]).toEqual(['baseline', 'v1.37']);
    const before = JSON.parse(run(['plan', '--json', '--pss-version', 'v1.36'], SYSCTL_POD).stdout).workloads[0].podSecurity;
    expect([before.level, before.version]).toEqual(['privileged', 'v1.36']);
    expect(before.violations[0]).toEqual({ control: 'Sysctls', profile: 'baseline', field: 'spec.securityContext.sysctls[net.ipv4.tcp_notsent_lowat]' });
  });
});

describe('usage and input problems: one line on stderr, exit 2', () => {
  const USAGE = 'usage: cdk8s-sidecars plan [--json | --format text|markdown|json] [--kubernetes-version 1.30] [--pss-version latest|v1.N] [--diff BASE HEAD | INPUT... | -]';
  test.each([
    [[], `${USAGE}\n`],
    [['plan', '--pss-version'], `cdk8s-sidecars: --pss-version needs a value; ${USAGE}\n`],
    [['plan', '--pss-version', '1.30'], 'cdk8s-sidecars: --pss-version: Pod Security version "1.30" is not "latest" or a version such as v1.37 (the form of the label pod-security.kubernetes.io/enforce-version).\n'],
    [['plan', '--pss-version', 'v1.21'], 'cdk8s-sidecars: --pss-version: Pod Security version v1.21 is older than v1.22, the first policy of Pod Security admission: give v1.22 or newer.\n'],
    [['deploy'], `cdk8s-sidecars: unknown command "deploy"; ${USAGE}\n`],
    [['plan', '--format'], `cdk8s-sidecars: --format needs a value; ${USAGE}\n`],
    [['plan', '--kubernetes-version'], `cdk8s-sidecars: --kubernetes-version needs a value; ${USAGE}\n`],
    [['plan', '--format', 'html'], 'cdk8s-sidecars: --format html is not text, markdown or json\n'],
    [['plan', '--kubernetes-version', '1.30.'], 'cdk8s-sidecars: --kubernetes-version 1.30. is not a version such as 1.30\n'],
    [['plan', '--kubernetes-version', 'x1.30'], 'cdk8s-sidecars: --kubernetes-version x1.30 is not a version such as 1.30\n'],
    [['plan', '--kubernetes-version', '1'], 'cdk8s-sidecars: --kubernetes-version 1 is not a version such as 1.30\n'],
    [['plan', '--bogus'], `cdk8s-sidecars: unknown option --bogus; ${USAGE}\n`],
  ])('%j', (args, stderr) => {
    expect(run(args, '')).toEqual({ stdout: '', stderr, exitCode: 2 });
  });

  test.each([
    ['malformed YAML', 'kind: Pod\n  spec: [\n', /^cdk8s-sidecars: standard input, document 1: not valid YAML: [^\n]+\n$/],
    ['a list, not an object', '- a\n- b\n', /^cdk8s-sidecars: standard input, document 1: not a Kubernetes object \(no kind\)\n$/],
    ['a number', '42\n', /^cdk8s-sidecars: standard input, document 1: not a Kubernetes object \(no kind\)\n$/],
    ['an object without kind', 'metadata: {name: x}\n', /^cdk8s-sidecars: standard input, document 1: not a Kubernetes object \(no kind\)\n$/],
    ['a workload without a pod spec, second document', 'kind: ConfigMap\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n',
      /^cdk8s-sidecars: standard input, document 2: Deployment "d" has no pod spec where its kind keeps it\.\n$/],
    ['too many aliases', `a: &a [x]\nb: [${Array(200).fill('*a').join(', ')}]\nkind: Pod\n`, /^cdk8s-sidecars: [^\n]*[Aa]lias[^\n]*\n$/],
  ])('%s', (_name, input, stderr) => {
    const result = run(['plan', '-'], input);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(stderr);
  });

  test('a file that cannot be read, and standard input that cannot', () => {
    expect(run(['plan', '/nonexistent.yaml'])).toEqual({ stdout: '', stderr: 'cdk8s-sidecars: /nonexistent.yaml: cannot be read (ENOENT)\n', exitCode: 2 });
    expect(runCommand(['plan'], () => {
      throw new Error('stdin closed');
    })).toEqual({ stdout: '', stderr: 'cdk8s-sidecars: standard input: cannot be read (stdin closed)\n', exitCode: 2 });
  });
});

describe('PlanValidation in cdk8s-cli\'s ValidationContext', () => {
  const logged: string[] = [];
  let log: jest.SpyInstance;
  beforeEach(() => {
    logged.length = 0;
    log = jest.spyOn(console, 'log').mockImplementation((message: string) => {
      logged.push(message);
    });
  });
  afterEach(() => log.mockRestore());

  function validate(properties: object, ...manifests: string[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-validation-'));
    const files = manifests.map((text, i) => {
      const file = path.join(dir, `m${i}.k8s.yaml`);
      fs.writeFileSync(file, text);
      return file;
    });
    const context = new ValidationContext(files, 'cdk8s-sidecars', '0.0.0');
    new PlanValidation(properties).validate(context);
    fs.rmSync(dir, { recursive: true, force: true });
    return { json: context.report.toJson(), success: context.report.success, files };
  }

  test('the default level is baseline: a privileged container fails it; warnings are logged', () => {
    const { json, success, files } = validate({}, PRIVILEGED_POD);
    expect(success).toBe(false);
    expect(json.violations).toEqual([{
      ruleName: 'pod-security-baseline',
      recommendation: 'container tools: Privileged Containers: spec.containers[tools].securityContext.privileged',
      fix: 'Meet the baseline Pod Security Standard: https://kubernetes.io/docs/concepts/security/pod-security-standards/',
      violatingConstructs: [{ resourceName: 'tools', locations: ['document 1: Pod tools'], manifestPath: files[0], constructPath: undefined }],
    }]);
    expect(logged).toEqual([`Pod tools: warning (sidecar-without-limits): ${NO_LIMITS}`, `Pod tools: warning (sidecars-request-more-than-app): ${REQUESTS_MORE}`]);
  });

  test('a Pod-level violation has no container in its recommendation; the report\'s status says failure', () => {
    const { json } = validate({}, HOST_POD);
    expect(json.violations.map(v => v.recommendation)).toEqual(['Host Namespaces: spec.hostNetwork']);
    expect(json.summary.status).toBe('failure');
    expect(validate({ podSecurityLevel: 'privileged' }, HOST_POD).json.summary.status).toBe('success');
  });

  test('privileged: no Pod Security check at all', () => {
    const { success, json } = validate({ podSecurityLevel: 'privileged' }, PRIVILEGED_POD);
    expect(json.violations).toEqual([]);
    expect(success).toBe(true);
  });

  test('restricted: the restricted controls too, each with its container', () => {
    const { json } = validate({ podSecurityLevel: 'restricted' }, PRIVILEGED_POD);
    const recommendations = json.violations.map(v => v.recommendation);
    expect(json.violations.every(v => v.ruleName === 'pod-security-restricted')).toBe(true);
    expect(recommendations).toContain('container tools: Privileged Containers: spec.containers[tools].securityContext.privileged');
    expect(recommendations).toContain('container tools: Running as Non-root: spec.containers[tools].securityContext.runAsNonRoot');
    expect(recommendations.some(r => r.startsWith('container tools: Seccomp'))).toBe(true);
  });

  test('a restricted Pod passes restricted; a Pod above baseline passes baseline without restricted\'s controls', () => {
    expect(validate({ podSecurityLevel: 'restricted' }, fs.readFileSync('examples/netshoot-debug/dist/backend.k8s.yaml', 'utf-8')).success).toBe(true);
    const plainPod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: busybox:1.37.0, command: [true], resources: {limits: {cpu: 100m, memory: 64Mi}}}\n';
    expect(validate({ podSecurityLevel: 'baseline' }, plainPod).json.violations).toEqual([]);
    expect(validate({ podSecurityLevel: 'restricted' }, plainPod).success).toBe(false);
  });

  test('errors of the plan fail at any level, with the document number among several manifests', () => {
    const { json, files } = validate({ podSecurityLevel: 'privileged' }, 'kind: ConfigMap\nmetadata: {name: c}\n', `kind: ConfigMap\n---\n${NEVER_COMPLETING_JOB}`);
    expect(json.violations.map(v => v.ruleName)).toEqual(['job-never-completes']);
    expect(json.violations[0].recommendation).toMatch(/^containers\[logshipper\]\.command: "sh -c tail -F/);
    expect(json.violations[0].fix).toBe('Fix the pod template as the message says, or suppress the rule for this workload with a reason (docs/RULES.md).');
    expect(json.violations[0].violatingConstructs).toEqual([{ resourceName: 'myjob', locations: ['document 2: Job myjob'], manifestPath: files[1], constructPath: undefined }]);
  });

  test('failOnWarnings: the rules named fail the synth, the others are logged; "*" fails on all', () => {
    const named = validate({ podSecurityLevel: 'privileged', failOnWarnings: ['sidecars-request-more-than-app'] }, PRIVILEGED_POD);
    expect(named.success).toBe(false);
    expect(named.json.violations.map(v => [v.ruleName, v.recommendation, v.fix])).toEqual([
      ['sidecars-request-more-than-app', REQUESTS_MORE, 'Fix it, or remove the rule from failOnWarnings.'],
    ]);
    expect(logged).toEqual([`Pod tools: warning (sidecar-without-limits): ${NO_LIMITS}`]);
    logged.length = 0;
    const all = validate({ podSecurityLevel: 'privileged', failOnWarnings: ['*'] }, PRIVILEGED_POD);
    expect(all.json.violations.map(v => v.ruleName)).toEqual(['sidecar-without-limits', 'sidecars-request-more-than-app']);
    expect(logged).toEqual([]);
    const other = validate({ podSecurityLevel: 'privileged', failOnWarnings: ['readiness-without-traffic'] }, PRIVILEGED_POD);
    expect(other.success).toBe(true);
  });

  test('a suppressed error does not fail the synth and is logged with its reason', () => {
    const suppressed = NEVER_COMPLETING_JOB.replace('metadata: {name: myjob}', `metadata:
  name: myjob
  annotations: {cdk8s-sidecars/suppressed-rules: '{"job-never-completes":"deleted by its CronJob"}'}`);
    const { success } = validate({ podSecurityLevel: 'privileged' }, suppressed);
    expect(success).toBe(true);
    expect(logged).toEqual([expect.stringMatching(/^Job myjob: suppressed error \(job-never-completes, because: deleted by its CronJob\): containers\[logshipper\]\.command: /)]);
  });

  test('kubernetesVersion reaches the plan', () => {
    const job = fs.readFileSync('examples/job-with-logshipper/dist/myjob.k8s.yaml', 'utf-8');
    const old = validate({ kubernetesVersion: '1.28', failOnWarnings: ['native-sidecars-unsupported'] }, job);
    expect(old.json.violations.map(v => v.ruleName)).toEqual(['native-sidecars-unsupported']);
    expect(validate({ kubernetesVersion: '1.29', failOnWarnings: ['native-sidecars-unsupported'] }, job).success).toBe(true);
  });

  test('podSecurityExceptions: the controls named pass and are logged per workload; every other control is still judged', () => {
    const hostPathPod = `apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  volumes: [{name: node-logs, hostPath: {path: /var/log/agent, type: Directory}}]
  containers:
  - name: agent
    image: busybox:1.37.0
    command: [sleep, infinity]
    resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 10m, memory: 16Mi}}
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsUser: 65532}
    volumeMounts: [{name: node-logs, mountPath: /logs, readOnly: true}]
`;
    const strict = validate({ podSecurityLevel: 'restricted' }, hostPathPod);
    expect(strict.json.violations.map(v => v.recommendation)).toEqual(['HostPath Volumes: spec.volumes[node-logs].hostPath', 'Volume Types: spec.volumes[node-logs].hostPath']);
    logged.length = 0;
    const excepted = validate({ podSecurityLevel: 'restricted', podSecurityExceptions: ['HostPath Volumes', 'Volume Types'] }, hostPathPod);
    expect(excepted.success).toBe(true);
    expect(logged).toEqual([
      'Pod agent: Pod Security exception (HostPath Volumes): spec.volumes[node-logs].hostPath',
      'Pod agent: Pod Security exception (Volume Types): spec.volumes[node-logs].hostPath',
    ]);
    // the baseline control alone leaves the restricted one
    expect(validate({ podSecurityLevel: 'restricted', podSecurityExceptions: ['HostPath Volumes'] }, hostPathPod).json.violations.map(v => v.recommendation))
      .toEqual(['Volume Types: spec.volumes[node-logs].hostPath']);
    // an exception for one control lets no other pass
    const privileged = validate({ podSecurityLevel: 'baseline', podSecurityExceptions: ['HostPath Volumes'] }, PRIVILEGED_POD);
    expect(privileged.json.violations.map(v => v.recommendation)).toEqual(['container tools: Privileged Containers: spec.containers[tools].securityContext.privileged']);
    // a control of a container: the log names the container
    logged.length = 0;
    expect(validate({ podSecurityLevel: 'baseline', podSecurityExceptions: ['Privileged Containers'] }, PRIVILEGED_POD).success).toBe(true);
    expect(logged[0]).toBe('Pod tools: Pod Security exception (Privileged Containers): container tools: spec.containers[tools].securityContext.privileged');
  });

  test.each([
    [{ podSecurityExceptions: ['HostPath'] }, 'PlanValidation: podSecurityExceptions names "HostPath", which is not a Pod Security control: use one of "HostProcess", "Host Namespaces", "Privileged Containers", '],
    [{ podSecurityLevel: 'strict' }, 'PlanValidation: podSecurityLevel "strict" is not privileged, baseline or restricted.'],
    [{ failOnWarnings: ['*', 'no-such-rule'] }, 'PlanValidation: failOnWarnings names "no-such-rule", which is not a warning rule: use "*" or native-sidecars-unsupported, '],
    [{ failOnWarnings: ['job-never-completes'] }, 'PlanValidation: failOnWarnings names "job-never-completes", which is not a warning rule: use "*" or native-sidecars-unsupported, '],
  ])('bad properties %j', (properties, message) => {
    expect(() => new PlanValidation(properties)).toThrow(message);
  });
});

test('PlanValidation: podSecurityVersion is checked when the plugin is loaded, with the forms that work', () => {
  expect(() => new PlanValidation({ podSecurityVersion: 'v2' }))
    .toThrow('PlanValidation: podSecurityVersion: Pod Security version "v2" is not "latest" or a version such as v1.37');
  expect(() => new PlanValidation({ podSecurityVersion: 'v1.36' })).not.toThrow();
});
