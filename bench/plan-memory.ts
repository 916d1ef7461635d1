// Child of bench/run.ts: runs the plan over one YAML file, its text output to standard
// output, and prints this process's peak RSS as JSON on standard error at the end.
//   streamed: the command itself (src/cli/main.ts): a document read, planned and
//             written at a time;
//   whole:    the baseline, as the command was before it streamed: the whole file
//             read, every document parsed, every plan made, then the same text written
//             at once.
// run.ts compares the two outputs byte for byte before it reports the figures.
import * as fs from 'fs';
import * as yaml from 'yaml';
import { main } from '../src/cli/main';
import { planOutput } from '../src/cli/plan-output';
import { PodPlan } from '../src/plan/pod-plan';

const [mode, file] = [process.argv[2], process.argv[3]];
if (mode === 'streamed') {
  main(['plan', file]);
} else {
  const documents = yaml.parseAllDocuments(fs.readFileSync(file, 'utf-8'))
    .map((d, i) => ({ manifest: d.toJS({ maxAliasCount: 100 }), where: `${file}, document ${i + 1}` }));
  const plans = documents.filter(d => d.manifest !== null && PodPlan.isWorkload(d.manifest))
    .map(d => ({ plan: PodPlan.fromManifest(d.manifest), where: d.where }));
  const output = planOutput('text');
  const text = output.begin() + plans.map((p, i) => output.workload(p.plan, p.where, i)).join('') + output.end({
    workloads: plans.length,
    skipped: documents.filter(d => d.manifest !== null).length - plans.length,
    withErrors: plans.filter(p => p.plan.errors.length > 0).length,
    withWarnings: plans.filter(p => p.plan.warnings.length > 0).length,
  });
  fs.writeSync(1, text);
}
process.on('exit', () => process.stderr.write(JSON.stringify({ peakRss: process.resourceUsage().maxRSS * 1024 })));
