import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';
import { PodPlan } from '../plan/pod-plan';
import { policyVersion } from '../plan/pod-security/policy';

/** What `cdk8s-sidecars plan` prints and how it exits. @internal */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const USAGE = 'usage: cdk8s-sidecars plan [--json | --format text|markdown|json] [--kubernetes-version 1.30] [--pss-version latest|v1.N] [FILE... | -]';

const HELP = `${USAGE}

Prints what each Pod of the manifests will do, before anything is applied: the order in
which its containers start and stop, the requests and limits the scheduler counts, the
QoS class, the Pod Security Standards level with every control it fails, volumes,
ports, whether a Job completes, and the errors and warnings of the rules (docs/RULES.md).
FILE is a YAML file of one or more manifests; - or no FILE reads standard input.

Options:
  --format text|markdown|json  the output: text (default), a pull-request comment, or JSON
  --json                       the same as --format json
  --kubernetes-version 1.N     the Kubernetes version the manifests are for (native sidecars
                               before 1.29 are warned about)
  --pss-version latest|v1.N    the Pod Security policy version to judge by, as the namespace
                               label pod-security.kubernetes.io/enforce-version gives it
                               (default: latest)
  -h, --help                   this help
  -V, --version                the version of cdk8s-sidecars

Exit status: 0 no workload has an error; 1 one has; 2 bad usage or input (one line on stderr).
`;

/** The version of this package, from its package.json. */
function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
}

/** A problem with the command's input: one line for stderr, exit code 2. */
class InputError extends Error {}

/**
 * Runs the command line: `plan` over YAML files (or standard input), printing a plan
 * per workload as text, JSON or Markdown. Exit code 0, 1 when a workload has an
 * error, 2 for a usage or input problem (one line on stderr, never a stack trace).
 *
 * @internal
 */
export function runCommand(argv: string[], readStdin: () => string): CommandResult {
  try {
    return plan(argv, readStdin);
  } catch (e) {
    const message = e instanceof InputError ? e.message : `cdk8s-sidecars: ${(e as Error)?.message ?? String(e)}`;
    return { stdout: '', stderr: `${message.split('\n')[0]}\n`, exitCode: 2 };
  }
}

function plan(argv: string[], readStdin: () => string): CommandResult {
  const [command, ...rest] = argv;
  if (argv.some(arg => arg === '--help' || arg === '-h')) {
    return { stdout: HELP, stderr: '', exitCode: 0 };
  }
  if (argv.some(arg => arg === '--version' || arg === '-V')) {
    return { stdout: `${packageVersion()}\n`, stderr: '', exitCode: 0 };
  }
  if (command !== 'plan') {
    throw new InputError(command === undefined ? USAGE : `cdk8s-sidecars: unknown command "${command}"; ${USAGE}`);
  }
  let format = 'text';
  let kubernetesVersion: string | undefined;
  let podSecurityVersion: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') {
      format = 'json';
    } else if (arg === '--format' || arg === '--kubernetes-version' || arg === '--pss-version') {
      const value = rest[++i];
      if (value === undefined) {
        throw new InputError(`cdk8s-sidecars: ${arg} needs a value; ${USAGE}`);
      }
      if (arg === '--format') {
        format = value;
      } else if (arg === '--pss-version') {
        podSecurityVersion = value;
      } else {
        kubernetesVersion = value;
      }
    } else if (arg.startsWith('--')) {
      throw new InputError(`cdk8s-sidecars: unknown option ${arg}; ${USAGE}`);
    } else {
      files.push(arg);
    }
  }
  if (!['text', 'json', 'markdown'].includes(format)) {
    throw new InputError(`cdk8s-sidecars: --format ${format} is not text, markdown or json`);
  }
  if (kubernetesVersion !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(kubernetesVersion)) {
    throw new InputError(`cdk8s-sidecars: --kubernetes-version ${kubernetesVersion} is not a version such as 1.30`);
  }
  try {
    policyVersion(podSecurityVersion);
  } catch (e) {
    throw new InputError(`cdk8s-sidecars: --pss-version: ${(e as Error).message}`);
  }

  const plans: PodPlan[] = [];
  const sources = new Map<PodPlan, string>();
  let skipped = 0;
  for (const file of files.length > 0 ? files : ['-']) {
    const name = file === '-' ? 'standard input' : file;
    let content: string;
    try {
      content = file === '-' ? readStdin() : fs.readFileSync(file, 'utf-8');
    } catch (e) {
      throw new InputError(`cdk8s-sidecars: ${name}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    yaml.parseAllDocuments(content).forEach((document, index) => {
      const where = `${name}, document ${index + 1}`;
      if (document.errors.length > 0) {
        throw new InputError(`cdk8s-sidecars: ${where}: not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
      }
      const manifest = document.toJS({ maxAliasCount: 100 });
      if (manifest === null || manifest === undefined) {
        return;
      }
      // a number, string or list has no kind either
      if (typeof manifest.kind !== 'string') {
        throw new InputError(`cdk8s-sidecars: ${where}: not a Kubernetes object (no kind)`);
      }
      if (!PodPlan.isWorkload(manifest)) {
        skipped++;
        return;
      }
      try {
        const workload = PodPlan.fromManifest(manifest, { kubernetesVersion, podSecurityVersion });
        plans.push(workload);
        sources.set(workload, where);
      } catch (e) {
        throw new InputError(`cdk8s-sidecars: ${where}: ${(e as Error).message}`);
      }
    });
  }

  const failed = plans.some(p => p.errors.length > 0);
  const stdout = format === 'json'
    ? JSON.stringify({ workloads: plans.map(p => p.toJson()), skipped }, null, 2) + '\n'
    : format === 'markdown' ? markdown(plans, skipped) : text(plans, skipped, sources);
  return { stdout, stderr: '', exitCode: failed ? 1 : 0 };
}

function resources(r: { [name: string]: string }): string {
  const entries = Object.entries(r);
  return entries.length === 0 ? 'none' : entries.map(([name, value]) => `${name} ${value}`).join(', ');
}

function steps(list: PodPlan['startOrder']): string {
  return list.map(s => `${s.containers.join(' + ')} (${s.role}, until ${s.until})`).join(' → ');
}

function workloadName(p: PodPlan): string {
  return `${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
}

function stopLine(p: PodPlan): string {
  return p.stopOrder.map(s => s.containers.join(' + ')).join(' → ');
}

function securityLine(p: PodPlan): string {
  const next = p.podSecurity.level === 'privileged' ? 'baseline' : 'restricted';
  const failing = p.podSecurity.violations.filter(v => p.podSecurity.level === 'privileged' ? v.profile === 'baseline' : true);
  if (failing.length === 0) {
    return p.podSecurity.level;
  }
  return `${p.podSecurity.level}, not ${next}: ${failing.map(v => `${v.container ? `container ${v.container}: ` : ''}${v.control} (${v.field})`).join('; ')}`;
}

function summary(plans: PodPlan[], skipped: number): string {
  return `${plans.length} workload${plans.length === 1 ? '' : 's'} planned, ${skipped} other object${skipped === 1 ? '' : 's'} skipped`;
}

function text(plans: PodPlan[], skipped: number, sources: Map<PodPlan, string>): string {
  const out: string[] = [];
  for (const p of plans) {
    out.push(`${p.kind} ${workloadName(p)} (${sources.get(p)})`);
    out.push(`  start:        ${steps(p.startOrder)}`);
    out.push(`  stop:         ${stopLine(p)}`);
    out.push(`  requests:     ${resources(p.effective.requests)} (steady state: ${resources(p.steadyState.requests)})`);
    out.push(`  limits:       ${resources(p.effective.limits)}${p.unboundedLimits.length > 0 ? ` (no real bound for ${p.unboundedLimits.join(', ')}: a container has no limit)` : ''}`);
    out.push(`  QoS:          ${p.qos}`);
    out.push(`  Pod Security: ${securityLine(p)}`);
    for (const v of p.volumes) {
      out.push(`  volume:       ${v.name} (${v.type}) read-write: ${v.readWrite.join(', ') || '-'}; read-only: ${v.readOnly.join(', ') || '-'}`);
    }
    if (p.ports.length > 0) {
      out.push(`  ports:        ${p.ports.map(port => `${port.container} ${port.port}/${port.protocol}`).join(', ')}`);
    }
    if (p.completes !== undefined) {
      out.push(`  completes:    ${p.completes}`);
    }
    for (const f of p.findings.filter(x => x.level === 'warning')) {
      out.push(`  warning:      [${f.rule}] ${f.message}`);
    }
    for (const f of p.findings.filter(x => x.level === 'error')) {
      out.push(`  error:        [${f.rule}] ${f.message}`);
    }
    for (const s of p.suppressed) {
      out.push(`  suppressed:   [${s.rule}] ${s.message} (${s.level}, suppressed because: ${s.reason})`);
    }
    out.push('');
  }
  out.push(`${summary(plans, skipped)}; ${plans.filter(p => p.errors.length > 0).length} with errors, ${plans.filter(p => p.warnings.length > 0).length} with warnings.`);
  return out.join('\n') + '\n';
}

function markdown(plans: PodPlan[], skipped: number): string {
  const out: string[] = ['## Pod plan', ''];
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  for (const p of plans) {
    out.push(`### ${p.kind} \`${workloadName(p)}\``, '', '| | |', '|---|---|');
    out.push(`| start | ${cell(steps(p.startOrder))} |`);
    out.push(`| stop | ${cell(stopLine(p))} |`);
    out.push(`| requests | ${resources(p.effective.requests)} |`);
    out.push(`| limits | ${resources(p.effective.limits)}${p.unboundedLimits.length > 0 ? ` (no real bound for ${p.unboundedLimits.join(', ')})` : ''} |`);
    out.push(`| QoS | ${p.qos} |`, `| Pod Security | ${cell(securityLine(p))} |`);
    if (p.completes !== undefined) {
      out.push(`| completes | ${p.completes === 'yes' ? 'yes' : `**${p.completes}**`} |`);
    }
    out.push('');
    for (const f of p.findings.filter(x => x.level === 'error')) {
      out.push(`- :x: \`${f.rule}\` ${f.message}`);
    }
    for (const f of p.findings.filter(x => x.level === 'warning')) {
      out.push(`- :warning: \`${f.rule}\` ${f.message}`);
    }
    for (const s of p.suppressed) {
      out.push(`- :mute: \`${s.rule}\` (${s.level}, suppressed because: ${s.reason}) ${s.message}`);
    }
    if (p.findings.length + p.suppressed.length > 0) {
      out.push('');
    }
  }
  out.push(`${summary(plans, skipped)}.`);
  return out.join('\n') + '\n';
}
