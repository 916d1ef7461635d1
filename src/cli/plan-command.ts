import * as fs from 'fs';
import * as path from 'path';
import { diffOutput } from './diff-output';
import { InputError, inputDocuments } from './inputs';
import { planOutput } from './plan-output';
import { WorkloadDiff, diffWorkload, workloadKey } from '../plan/plan-diff';
import { PodPlan, PodPlanOptions } from '../plan/pod-plan';
import { policyVersion } from '../plan/pod-security/policy';

/** What `cdk8s-sidecars plan` prints and how it exits. @internal */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Where the command reads and writes. @internal */
export interface CommandIo {
  /** Standard input, in chunks, read only when it is an input. */
  readonly stdin: () => Iterable<string>;
  /** Writes to standard output, as soon as there is something to write. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
}

const USAGE = 'usage: cdk8s-sidecars plan [--json | --format text|markdown|json] [--kubernetes-version 1.30] [--pss-version latest|v1.N] [--diff BASE HEAD | INPUT... | -]';

const HELP = `${USAGE}

Prints what each Pod of the manifests will do, before anything is applied: the order in
which its containers start and stop, the requests and limits the scheduler counts, the
QoS class, the Pod Security Standards level with every control it fails, volumes,
ports, whether a Job completes, and the errors and warnings of the rules (docs/RULES.md).
INPUT is a YAML file of one or more manifests, or a directory whose .yaml and .yml files
are read (sorted, with subdirectories); - or no INPUT reads standard input. Documents are
read and printed one at a time, so a file of any size takes little memory; on bad input,
the plans of the documents before it have been printed.

Options:
  --format text|markdown|json  the output: text (default), a pull-request comment, or JSON
  --json                       the same as --format json
  --diff BASE HEAD             what a change does: the workloads of BASE and HEAD (each a
                               file, a directory or -) matched by kind, namespace and name,
                               with what changed in containers, start and stop order,
                               requests and limits, QoS, Pod Security, completion, errors
                               and warnings; markdown draws the start and stop as Mermaid
  --kubernetes-version 1.N     the Kubernetes version the manifests are for (native sidecars
                               before 1.29 are warned about)
  --pss-version latest|v1.N    the Pod Security policy version to judge by, as the namespace
                               label pod-security.kubernetes.io/enforce-version gives it
                               (default: latest)
  -h, --help                   this help
  -V, --version                the version of cdk8s-sidecars

Exit status: 0 no workload has an error (with --diff: the change makes nothing worse);
1 a workload has an error (with --diff: a new error, or a lower Pod Security level);
2 bad usage or input (one line on stderr).
`;

/** The version of this package, from its package.json. */
function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
}

/** The command line, read. */
interface Arguments {
  readonly format: string;
  readonly options: PodPlanOptions;
  readonly inputs: string[];
  readonly diff: boolean;
}

/**
 * Runs the command line, writing as it goes: `plan` over YAML files, directories or
 * standard input, printing a plan per workload as text, JSON or Markdown, or with
 * `--diff` what a change does. Returns the exit code: 0, 1 when a workload has an
 * error (with --diff: when the change makes one worse), 2 for a usage or input problem
 * (one line on stderr, never a stack trace).
 *
 * @internal
 */
export function executeCommand(argv: string[], io: CommandIo): number {
  try {
    if (argv.some(arg => arg === '--help' || arg === '-h')) {
      io.stdout(HELP);
      return 0;
    }
    if (argv.some(arg => arg === '--version' || arg === '-V')) {
      io.stdout(`${packageVersion()}\n`);
      return 0;
    }
    const args = parse(argv);
    return args.diff ? diffCommand(args, io) : planCommand(args, io);
  } catch (e) {
    const message = e instanceof InputError ? e.message : `cdk8s-sidecars: ${(e as Error)?.message ?? String(e)}`;
    io.stderr(`${message.split('\n')[0]}\n`);
    return 2;
  }
}

/**
 * {@link executeCommand} with standard input given as one string and the output
 * collected: what the tests run.
 *
 * @internal
 */
export function runCommand(argv: string[], readStdin: () => string): CommandResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exitCode = executeCommand(argv, {
    stdin: () => [readStdin()],
    stdout: text => stdout.push(text),
    stderr: text => stderr.push(text),
  });
  return { stdout: stdout.join(''), stderr: stderr.join(''), exitCode };
}

function parse(argv: string[]): Arguments {
  const [command, ...rest] = argv;
  if (command !== 'plan') {
    throw new InputError(command === undefined ? USAGE : `cdk8s-sidecars: unknown command "${command}"; ${USAGE}`);
  }
  let format = 'text';
  let kubernetesVersion: string | undefined;
  let podSecurityVersion: string | undefined;
  let diff = false;
  const inputs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') {
      format = 'json';
    } else if (arg === '--diff') {
      diff = true;
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
      inputs.push(arg);
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
  if (inputs.filter(input => input === '-').length > 1) {
    throw new InputError('cdk8s-sidecars: standard input (-) is given more than once');
  }
  if (diff && inputs.length !== 2) {
    throw new InputError(`cdk8s-sidecars: --diff takes two inputs, BASE and HEAD (a file, a directory or -), not ${inputs.length}`);
  }
  return { format, options: { kubernetesVersion, podSecurityVersion }, inputs, diff };
}

/**
 * The plans of the workloads of some inputs, one at a time, with where each stands;
 * `skipped` is called for each object that is not a workload.
 */
function* plansOf(inputs: string[], io: CommandIo, options: PodPlanOptions, skipped: () => void): Generator<{ plan: PodPlan; where: string }> {
  for (const { manifest, where } of inputDocuments(inputs, io.stdin)) {
    if (manifest === null) {
      continue;
    }
    // a number, string or list has no kind either
    if (typeof manifest.kind !== 'string') {
      throw new InputError(`cdk8s-sidecars: ${where}: not a Kubernetes object (no kind)`);
    }
    if (!PodPlan.isWorkload(manifest)) {
      skipped();
      continue;
    }
    let plan: PodPlan;
    try {
      plan = PodPlan.fromManifest(manifest, options);
    } catch (e) {
      throw new InputError(`cdk8s-sidecars: ${where}: ${(e as Error).message}`);
    }
    yield { plan, where };
  }
}

function planCommand(args: Arguments, io: CommandIo): number {
  const output = planOutput(args.format);
  const totals = { workloads: 0, skipped: 0, withErrors: 0, withWarnings: 0 };
  // the opening goes out with the first workload, so that input bad from its first
  // document prints nothing on stdout
  for (const { plan: p, where } of plansOf(args.inputs, io, args.options, () => totals.skipped++)) {
    io.stdout((totals.workloads === 0 ? output.begin() : '') + output.workload(p, where, totals.workloads));
    totals.workloads++;
    totals.withErrors += p.errors.length > 0 ? 1 : 0;
    totals.withWarnings += p.warnings.length > 0 ? 1 : 0;
  }
  io.stdout((totals.workloads === 0 ? output.begin() : '') + output.end(totals));
  return totals.withErrors > 0 ? 1 : 0;
}

/** The workloads of one side of a diff by their key; a key twice is an input error. */
function side(input: string, io: CommandIo, options: PodPlanOptions): Map<string, { plan: PodPlan; where: string }> {
  const plans = new Map<string, { plan: PodPlan; where: string }>();
  for (const entry of plansOf([input], io, options, () => undefined)) {
    const key = workloadKey(entry.plan);
    const seen = plans.get(key);
    if (seen) {
      throw new InputError(`cdk8s-sidecars: ${entry.where}: ${entry.plan.kind} "${entry.plan.name}" of namespace "${entry.plan.namespace ?? ''}" is also at ${seen.where}; `
        + 'a diff matches workloads by kind, namespace and name: give each one once');
    }
    plans.set(key, entry);
  }
  return plans;
}

function diffCommand(args: Arguments, io: CommandIo): number {
  const [base, head] = args.inputs.map(input => side(input, io, args.options));
  const diffs: WorkloadDiff[] = [];
  let unchanged = 0;
  for (const [key, { plan: after }] of head) {
    const d = diffWorkload(base.get(key)?.plan, after);
    if (d) {
      diffs.push(d);
    } else {
      unchanged++;
    }
  }
  for (const [key, { plan: before }] of base) {
    if (!head.has(key)) {
      diffs.push(diffWorkload(before, undefined)!);
    }
  }
  const count = (change: string) => diffs.filter(d => d.change === change).length;
  io.stdout(diffOutput(args.format, diffs, { changed: count('changed'), added: count('added'), removed: count('removed'), unchanged }));
  return diffs.some(d => d.worse.length > 0) ? 1 : 0;
}
