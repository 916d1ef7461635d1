// Child of bench/run.ts: builds and synthesizes one variant of bench/apps.ts once and
// prints, as JSON, the heap the synthesized app retains and this process's peak RSS.
// Every variant's modules are loaded before the first measure, so that the figures
// differ only by what the variant builds, and the variant runs once on a few workloads
// first, so that compiled code and caches do not count as the app's.
import * as apps from './apps';

const [variant, workloads] = [process.argv[2] as 'library' | 'handwritten' | 'raw', Number(process.argv[3])];
function gc(): void {
  for (let i = 0; i < 3; i++) {
    (global as any).gc();
  }
}
apps[variant](10).synthYaml();
gc();
const before = process.memoryUsage().heapUsed;
const app = apps[variant](workloads);
app.synthYaml();
gc();
const retained = process.memoryUsage().heapUsed - before;
// the app is still referenced here, so the GC above could not collect it
process.stdout.write(JSON.stringify({ retained, peakRss: process.resourceUsage().maxRSS * 1024, objects: app.node.findAll().length }));
