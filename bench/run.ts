// `npm run bench`: what this library costs over writing the same manifests by hand.
// Not part of the tests; nothing is asserted, every figure is printed.
//
//  1. synthesis: N Deployments (see apps.ts) built and synthesized to one YAML string
//     by the library (a), hand-written cdk8s-plus (b) and raw ApiObjects (c); the three
//     outputs are compared byte for byte first, then timed in interleaved rounds in
//     this process (medians, so that drift and one slow run hit every variant alike);
//  2. memory: each variant built once in a child process of its own: the heap the
//     synthesized app retains (after a full GC) and the process's peak RSS;
//  3. the plan command over the 10,000-workload YAML against parsing that YAML with
//     the same parser and nothing else;
//  4. the plan command's peak RSS at 1,000 and 10,000 workloads (every size of
//     BENCH_SIZES from 1,000 up), streamed as it is against the whole file read and
//     parsed at once, each in a process of its own, outputs compared byte for byte;
//  5. `cdk8s synth` of examples/all-sidecars with the real cdk8s CLI, per route.
//
// Environment: BENCH_SIZES (default 100,1000,10000), BENCH_ROUNDS (default 5; 3 at
// 10,000 workloads), BENCH_ONLY (synth, memory, plan, plan-memory, cli: a
// comma-separated subset).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as yaml from 'yaml';
import { handwritten, library, raw } from './apps';
import { withPackageLink } from '../scripts/package-link';
import { PodPlan } from '../src';
import { runCommand } from '../src/cli/plan-command';

const gc = (global as any).gc as () => void;
if (typeof gc !== 'function') {
  console.error('bench: run with node --expose-gc (npm run bench does)');
  process.exit(2);
}

const VARIANTS = { library, handwritten, raw };
type Variant = keyof typeof VARIANTS;

const root = path.resolve(__dirname, '..');
const sizes = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const only = new Set((process.env.BENCH_ONLY ?? 'synth,memory,plan,plan-memory,cli').split(','));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-sidecars-bench-'));

function roundsFor(workloads: number): number {
  return Number(process.env.BENCH_ROUNDS ?? (workloads >= 10000 ? 3 : 5));
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function millis(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function synthesize(variant: Variant, workloads: number): string {
  return VARIANTS[variant](workloads).synthYaml();
}

function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  return `line ${line + 1}: ${JSON.stringify(left[line])} against ${JSON.stringify(right[line])}`;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  rows.forEach(r => console.log(line(r)));
}

/** Section 1: a/b/c compared byte for byte, then timed; returns ms per workload. */
function synthesisSection(): Map<number, Record<Variant, number>> {
  const perWorkload = new Map<number, Record<Variant, number>>();
  const rows: string[][] = [];
  for (const workloads of sizes) {
    const outputs = (Object.keys(VARIANTS) as Variant[]).map(v => synthesize(v, workloads));
    for (let i = 1; i < outputs.length; i++) {
      if (outputs[i] !== outputs[0]) {
        throw new Error(`${Object.keys(VARIANTS)[i]} does not produce the library's YAML at ${workloads} workloads: ${firstDifference(outputs[0], outputs[i])}`);
      }
    }
    if (workloads === Math.max(...sizes)) {
      fs.writeFileSync(path.join(work, 'workloads.k8s.yaml'), outputs[0]);
    }
    const bytes = outputs[0].length;
    outputs.length = 0;
    const times: Record<Variant, number[]> = { library: [], handwritten: [], raw: [] };
    const order: Variant[] = ['library', 'handwritten', 'raw'];
    for (let round = 0; round < roundsFor(workloads); round++) {
      // each round starts with another variant, so that none always runs after a given one
      for (const variant of [...order.slice(round % 3), ...order.slice(0, round % 3)]) {
        gc();
        const started = process.hrtime.bigint();
        synthesize(variant, workloads);
        times[variant].push(millis(started));
      }
    }
    process.stderr.write(`synthesis: ${workloads} workloads done\n`);
    const m = { library: median(times.library), handwritten: median(times.handwritten), raw: median(times.raw) };
    perWorkload.set(workloads, { library: m.library / workloads, handwritten: m.handwritten / workloads, raw: m.raw / workloads });
    rows.push([
      workloads.toLocaleString('en-US'), String(roundsFor(workloads)), mib(bytes),
      (m.library / workloads).toFixed(3), (m.handwritten / workloads).toFixed(3), (m.raw / workloads).toFixed(3),
      (m.library / m.handwritten).toFixed(2), (m.library / m.raw).toFixed(2), (m.handwritten / m.raw).toFixed(2),
    ]);
  }
  console.log('\n## Synthesis: build the app and synthesize it to YAML (outputs byte-identical, checked first)\n');
  table(['workloads', 'rounds', 'YAML MiB', '(a) library ms/wl', '(b) cdk8s-plus ms/wl', '(c) ApiObject ms/wl', 'a/b', 'a/c', 'b/c'], rows);
  const big = Math.max(...sizes);
  const small = sizes.filter(n => n < big).pop();
  if (small !== undefined) {
    const at = (n: number, v: Variant) => perWorkload.get(n)![v];
    console.log(`\nscaling, cost per workload at ${big.toLocaleString('en-US')} over ${small.toLocaleString('en-US')}: `
      + `library ${(at(big, 'library') / at(small, 'library')).toFixed(2)}, `
      + `cdk8s-plus ${(at(big, 'handwritten') / at(small, 'handwritten')).toFixed(2)}, `
      + `ApiObject ${(at(big, 'raw') / at(small, 'raw')).toFixed(2)}`);
  }
  return perWorkload;
}

/** Section 2: one child process per variant and size. */
function memorySection(): void {
  const rows: string[][] = [];
  for (const workloads of sizes) {
    const figures = {} as Record<Variant, { retained: number; peakRss: number }>;
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'memory.ts'), variant, String(workloads)],
        { cwd: root, encoding: 'utf-8' });
      figures[variant] = JSON.parse(out);
    }
    rows.push([
      workloads.toLocaleString('en-US'),
      mib(figures.library.retained), mib(figures.handwritten.retained), mib(figures.raw.retained),
      (figures.library.retained / figures.handwritten.retained).toFixed(2),
      mib(figures.library.peakRss), mib(figures.handwritten.peakRss), mib(figures.raw.peakRss),
      (figures.library.peakRss / figures.handwritten.peakRss).toFixed(2),
    ]);
  }
  console.log('\n## Memory: each variant built and synthesized once in a process of its own\n');
  table(['workloads', '(a) retained MiB', '(b) retained MiB', '(c) retained MiB', 'a/b', '(a) peak RSS MiB', '(b) peak RSS MiB', '(c) peak RSS MiB', 'a/b'], rows);
  console.log('\nretained: heap in use after a full GC with the synthesized app alive, less the heap before it was built');
}

/** Section 3: the plan command against bare parsing of the same file. */
function planSection(): void {
  const file = path.join(work, 'workloads.k8s.yaml');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, synthesize('library', Math.max(...sizes)));
  }
  const documents = () => yaml.parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJS({ maxAliasCount: 100 }));
  const plan = () => {
    const result = runCommand(['plan', file], () => '');
    if (result.exitCode !== 0) {
      throw new Error(`the plan command failed on the benchmark's YAML: ${result.stderr}${result.stdout.slice(0, 2000)}`);
    }
    return result;
  };
  const parsed = documents();
  const workloads = parsed.filter(d => d.kind === 'Deployment').length;
  // the plans alone, of documents parsed beforehand: what the command adds to parsing
  const planOnly = () => parsed.filter(d => PodPlan.isWorkload(d)).map(d => PodPlan.fromManifest(d));
  const parse: number[] = [];
  const planned: number[] = [];
  const alone: number[] = [];
  for (let round = 0; round < roundsFor(workloads); round++) {
    const steps: Array<[() => unknown, number[]]> = [[documents, parse], [plan, planned], [planOnly, alone]];
    for (const [run, times] of round % 2 === 0 ? steps : steps.reverse()) {
      gc();
      const started = process.hrtime.bigint();
      run();
      times.push(millis(started));
    }
  }
  console.log(`\n## The plan command over ${workloads.toLocaleString('en-US')} workloads (${mib(fs.statSync(file).size)} MiB of YAML)\n`);
  table(['step', 'median ms', 'ms/workload', 'ratio'], [
    ['read + parse (yaml.parseAllDocuments, toJS)', median(parse).toFixed(0), (median(parse) / workloads).toFixed(3), '1.00'],
    ['cdk8s-sidecars plan (read, parse, plan, text output)', median(planned).toFixed(0), (median(planned) / workloads).toFixed(3), (median(planned) / median(parse)).toFixed(2)],
    ['of which PodPlan.fromManifest of the parsed workloads', median(alone).toFixed(0), (median(alone) / workloads).toFixed(3), (median(alone) / median(parse)).toFixed(2)],
  ]);
}

/** Section 4: the plan command's peak RSS, streamed against the whole file at once. */
function planMemorySection(): void {
  const rows: string[][] = [];
  for (const workloads of sizes.filter(n => n >= 1000)) {
    const file = path.join(work, `plan-memory-${workloads}.k8s.yaml`);
    fs.writeFileSync(file, synthesize('library', workloads));
    const figures: Record<string, number> = {};
    const outputs: Record<string, string> = {};
    // streamed-capped: the same command with a V8 heap of 64 MiB, a third of the 1,000
    // workloads' YAML: it completes only if what it keeps does not grow with the input
    for (const [name, mode, heap] of [['streamed', 'streamed', 8192], ['capped', 'streamed', 64], ['whole', 'whole', 8192]] as const) {
      const output = path.join(work, `plan-memory-${name}.txt`);
      const fd = fs.openSync(output, 'w');
      const child = spawnSync(process.execPath, [`--max-old-space-size=${heap}`, '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'plan-memory.ts'), mode, file],
        { cwd: root, stdio: ['ignore', fd, 'pipe'], encoding: 'utf-8' });
      fs.closeSync(fd);
      if (child.status !== 0) {
        throw new Error(`plan-memory.ts ${mode} with a heap of ${heap} MiB failed (${child.status}): ${child.stderr}`);
      }
      figures[name] = JSON.parse(child.stderr).peakRss;
      outputs[name] = fs.readFileSync(output, 'utf-8');
    }
    if (outputs.streamed !== outputs.whole || outputs.capped !== outputs.whole) {
      throw new Error(`the streamed plan printed other text than the whole-file plan at ${workloads} workloads: ${firstDifference(outputs.streamed, outputs.whole)}`);
    }
    rows.push([workloads.toLocaleString('en-US'), mib(fs.statSync(file).size), mib(figures.streamed), mib(figures.capped), mib(figures.whole),
      (figures.streamed / figures.whole).toFixed(2)]);
    fs.rmSync(file);
  }
  console.log('\n## The plan command\'s peak RSS: a document at a time against the whole file at once (the same text output, checked)\n');
  table(['workloads', 'YAML MiB', 'streamed peak RSS MiB', 'streamed, 64 MiB heap', 'whole-file peak RSS MiB', 'streamed/whole'], rows);
}

/** Section 5: the real cdk8s CLI on one example, per route from source to app. */
function cliSection(): void {
  const example = path.join(root, 'examples', 'all-sidecars');
  if (!fs.existsSync(path.join(root, 'lib', 'index.js'))) {
    throw new Error('cdk8s synth needs the compiled package: run `npx projen compile` first');
  }
  // what `tsc` writes for main.ts; in the example's folder, so that imports resolve as from main.ts
  const compiled = path.join(example, '.bench-main.js');
  const source = fs.readFileSync(path.join(example, 'main.ts'), 'utf-8');
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true };
  fs.writeFileSync(compiled, ts.transpileModule(source, { compilerOptions }).outputText);
  const cdk8s = path.join(root, 'node_modules', '.bin', 'cdk8s');
  const routes: Array<[string, string]> = [
    ['npx ts-node main.ts (what `cdk8s init` sets up)', 'npx ts-node main.ts'],
    ['node -r ts-node/register/transpile-only main.ts', 'node -r ts-node/register/transpile-only main.ts'],
    ['node main.js (compiled with tsc beforehand)', `node ${path.basename(compiled)}`],
  ];
  const times = routes.map(() => [] as number[]);
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 5);
  withPackageLink(root, () => {
    try {
      for (let round = -1; round < runs; round++) {
        routes.forEach(([, app], i) => {
          const outdir = path.join(work, `synth-${i}`);
          const started = process.hrtime.bigint();
          const result = spawnSync(cdk8s, ['synth', '--no-check-upgrade', '--app', app, '--output', outdir], { cwd: example, encoding: 'utf-8' });
          const elapsed = millis(started);
          if (result.status !== 0) {
            throw new Error(`cdk8s synth --app "${app}" failed: ${result.stderr}`);
          }
          if (round >= 0) {
            times[i].push(elapsed);
          }
        });
      }
    } finally {
      fs.rmSync(compiled, { force: true });
    }
  });
  const expected = fs.readFileSync(path.join(example, 'dist', 'shop.k8s.yaml'), 'utf-8');
  routes.forEach((_, i) => {
    if (fs.readFileSync(path.join(work, `synth-${i}`, 'shop.k8s.yaml'), 'utf-8') !== expected) {
      throw new Error(`route ${routes[i][0]} wrote other YAML than examples/all-sidecars/dist`);
    }
  });
  console.log(`\n## cdk8s synth of examples/all-sidecars with the real cdk8s CLI and the PlanValidation plugin (${runs} runs after one warm-up)\n`);
  table(['app command', 'median wall s', 'min', 'max'], routes.map(([name], i) =>
    [name, (median(times[i]) / 1000).toFixed(2), (Math.min(...times[i]) / 1000).toFixed(2), (Math.max(...times[i]) / 1000).toFixed(2)]));
}

console.log(`# cdk8s-sidecars benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${mib(os.totalmem())} MiB`);
try {
  if (only.has('synth')) {
    synthesisSection();
  }
  if (only.has('memory')) {
    memorySection();
  }
  if (only.has('plan')) {
    planSection();
  }
  if (only.has('plan-memory')) {
    planMemorySection();
  }
  if (only.has('cli')) {
    cliSection();
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
