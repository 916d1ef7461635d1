// Generators of the values users paste from other systems, and the check every
// generated app must pass: it synthesizes to manifests the Kubernetes schema and the
// Pod plan accept, byte for byte the same twice, or it is rejected with an Error that
// names the construct path and a field, and nothing is written.
//
// Runs are seeded (FC_SEED, default below) so that a failure is reproduced by running
// the test again; fast-check prints the seed and the counterexample's path on failure.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import fc from 'fast-check';
import * as yaml from 'yaml';
import { PodPlan } from '../../src';
import { SidecarValidationError } from '../../src/core/errors';
import { validateManifest } from '../util';

export const SEED = Number(process.env.FC_SEED ?? 20261122);

/** fast-check parameters: seeded, and a number of runs that FC_RUNS can scale. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * Number(process.env.FC_RUNS_SCALE ?? 1))) };
}

/** Strings that break naive code: quotes, command substitution, newlines, separators, non-ASCII. */
export const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'a b', "it's", 'say "hi"', '$(id)', '`id`', '${HOME}', 'a;b', 'a&&b', 'a|b', 'a\nb', 'a\r\nb', 'tab\there',
    '#comment', 'key: value', '[SERVICE]', '{{x}}', 'ünïcødé', '日本', '\u0000', '-rf', '--help', '..', '../etc', '*', '?', '\\', 'UPPER', 'x'.repeat(300)),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** DNS-1123 labels, the names Kubernetes wants. */
export const dnsLabel: fc.Arbitrary<string> = fc.stringMatching(/^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/);

/** A name as users write it: mostly good, sometimes not. */
export const name: fc.Arbitrary<string> = fc.oneof({ weight: 10, arbitrary: dnsLabel }, { weight: 1, arbitrary: nasty });

/** Mostly the given values, sometimes a nasty string. */
export function mostly(good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 10, arbitrary: good }, { weight: 1, arbitrary: nasty });
}

/** Host names and addresses, good and bad. */
export const host: fc.Arbitrary<string> = fc.oneof(
  { weight: 16, arbitrary: fc.tuple(dnsLabel, fc.array(dnsLabel, { maxLength: 3 })).map(([h, rest]) => [h, ...rest].join('.')) },
  { weight: 2, arbitrary: fc.ipV4() },
  { weight: 2, arbitrary: fc.ipV6() },
  { weight: 1, arbitrary: nasty },
  { weight: 1, arbitrary: fc.constantFrom('999.999.999.999', '1.2.3', 'db..svc', '-db.svc', 'db.svc.', 'Db.Svc', 'db_1.svc', '[::1]', 'localhost:5432') },
);

/** Ports: valid, out of range, fractional, not numbers (JavaScript and other jsii languages can pass those). */
export const port: fc.Arbitrary<number> = fc.oneof(
  { weight: 15, arbitrary: fc.integer({ min: 1, max: 65535 }) },
  { weight: 1, arbitrary: fc.constantFrom<any>(0, -1, 65536, 1.5, Number.NaN, Infinity, '8080', null) },
);

/** Whole and not-whole sizes, negative and zero included. */
export const mebibytes: fc.Arbitrary<Size> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 4096 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 0.5, 1.5, 100.25) },
).map(n => Size.mebibytes(n));

export const millicores: fc.Arbitrary<kplus.Cpu> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 4000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 0.5, 2.75) },
).map(n => kplus.Cpu.millis(n));

export const seconds: fc.Arbitrary<Duration> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 40 }).map(n => Duration.seconds(n)) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 2.5, 100000).map(n => Duration.seconds(n)) },
  // cdk8s converts seconds to seconds as they are, but throws for milliseconds that are no whole second
  { weight: 1, arbitrary: fc.constantFrom(999, 1500, 3000).map(n => Duration.millis(n)) },
);

export const resources: fc.Arbitrary<kplus.ContainerResources> = fc.record({
  cpu: fc.record({ request: millicores, limit: millicores }, { requiredKeys: [] }),
  memory: fc.record({ request: mebibytes, limit: mebibytes }, { requiredKeys: [] }),
}, { requiredKeys: [] });

/** Absolute paths, good and bad. */
export const absolutePath: fc.Arbitrary<string> = fc.oneof(
  { weight: 16, arbitrary: fc.array(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), { minLength: 1, maxLength: 4 }).map(parts => '/' + parts.join('/')) },
  { weight: 1, arbitrary: fc.constantFrom('relative/path', '/a/../b', '/a:b', '/', '//x', '/a/./b', '/var/log/', '/with space') },
  { weight: 1, arbitrary: nasty },
);

/** A workload for the sidecar under test, of a kind picked by the generator. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';
export const workloadKind: fc.Arbitrary<WorkloadKind> = fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Pod');

export function workload(chart: Chart, kind: WorkloadKind, containerName = 'app', appPort = 8080): kplus.AbstractPod {
  const container: kplus.ContainerProps = { name: containerName, image: 'ghcr.io/example/app:1.0.0', portNumber: appPort, securityContext: { user: 1000, group: 1000 } };
  switch (kind) {
    case 'Pod': return new kplus.Pod(chart, 'workload', { containers: [container] });
    case 'DaemonSet': return new kplus.DaemonSet(chart, 'workload', { containers: [container] });
    case 'StatefulSet': return new kplus.StatefulSet(chart, 'workload', {
      containers: [container],
      service: new kplus.Service(chart, 'headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    });
    default: return new kplus.Deployment(chart, 'workload', { containers: [container] });
  }
}

const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

export type Outcome = { readonly synthesized: true; readonly manifests: any[] } | { readonly synthesized: false; readonly message: string };

/**
 * Builds an app with `build`, synthesizes it to a new directory as `cdk8s synth` does,
 * and checks the outcome:
 * - rejected: the error is a plain Error (no TypeError or RangeError), its message names
 *   a construct path under the chart and a field (`[test/...] field: ...`), and the
 *   output directory holds no file;
 * - synthesized: every manifest matches the Kubernetes schema, every workload's Pod plan
 *   has no error, and a second app built from the same input gives the same bytes.
 */
export function synthOutcome(build: (chart: Chart) => void): Outcome {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-sidecars-property-'));
  try {
    let error: unknown;
    try {
      const app = new App({ outdir });
      build(new Chart(app, 'test'));
      app.synth();
    } catch (e) {
      error = e;
    }
    if (error !== undefined) {
      // the library's own errors are SidecarValidationErrors with a rule id or error code;
      // cdk8s-plus's are plain Errors; anything else (TypeError, RangeError) is a crash
      if (!(error instanceof Error) || ![Error, SidecarValidationError].includes(error.constructor as any)) {
        throw new Error(`rejected with ${(error as any)?.constructor?.name ?? typeof error} instead of an Error naming the field: ${(error as any)?.stack ?? String(error)}`);
      }
      if (error instanceof SidecarValidationError && !/^[a-z]+(-[a-z0-9]+)*$/.test(error.code)) {
        throw new Error(`rejected with the code ${JSON.stringify(error.code)}, which is no rule id or error code: ${error.message}`);
      }
      // "[test/logs] files[0]: ..." or "[test/shared] mount path in container \"app\": ..."
      if (!/\[test(\/[^\]\s]+)?\] [A-Za-z](?:[^\n":]|"(?:[^"\\\n]|\\.)*")*: /.test(error.message)) {
        throw new Error(`the error names no construct path and field: ${error.message}`);
      }
      const written = fs.readdirSync(outdir);
      if (written.length > 0) {
        throw new Error(`rejected, but wrote ${written.join(', ')}: ${error.message}`);
      }
      return { synthesized: false, message: error.message };
    }
    const files = fs.readdirSync(outdir).sort();
    const text = files.map(f => fs.readFileSync(path.join(outdir, f), 'utf-8')).join('\n---\n');
    const manifests = yaml.parseAllDocuments(text).map(d => d.toJS()).filter(m => m);
    for (const manifest of manifests) {
      validateManifest(manifest);
      if (WORKLOAD_KINDS.has(manifest.kind)) {
        const plan = PodPlan.fromManifest(manifest);
        if (plan.errors.length > 0) {
          throw new Error(`the Pod plan of ${manifest.kind} ${manifest.metadata?.name} has errors: ${plan.errors.join('; ')}`);
        }
      }
    }
    const second = new App();
    build(new Chart(second, 'test'));
    if (second.synthYaml() !== text) {
      throw new Error('the same input synthesized to different bytes');
    }
    return { synthesized: true, manifests };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The value or, as often as fast-check likes, undefined (a prop left out). */
export function opt<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined });
}
