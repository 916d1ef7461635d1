// Synthesis benchmark: the cost of this library's constructs over hand-written
// cdk8s-plus YAML of the same shape, as ratios measured in one process (so machine
// speed cancels out). Run with `npx projen bench`; nothing is asserted.
//
//   baseline: N Deployments, each with an app container and a plain cdk8s-plus
//             container and emptyDir standing in for a sidecar
//   library:  N Deployments, each with a LogShipperSidecar (Fluent Bit, generated
//             config, ConfigMap, checksum) and a NetshootDebugSidecar with two checks
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogOutput, LogShipperSidecar, NetshootDebugSidecar } from '../src';

const WORKLOADS = Number(process.env.BENCH_WORKLOADS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

function app(): kplus.ContainerProps {
  return { name: 'app', image: 'nginx:1.27.3', portNumber: 8080 };
}

function baseline(): App {
  const root = new App();
  const chart = new Chart(root, 'bench');
  for (let i = 0; i < WORKLOADS; i++) {
    const web = new kplus.Deployment(chart, `web${i}`, { containers: [app()] });
    const logs = kplus.Volume.fromEmptyDir(chart, `logs${i}`, 'logs', { sizeLimit: Size.mebibytes(256) });
    web.containers[0].mount('/var/log/app', logs);
    web.addInitContainer({ name: 'shipper', image: 'fluent/fluent-bit:4.0.7', restartPolicy: kplus.ContainerRestartPolicy.ALWAYS, volumeMounts: [{ path: '/var/log/app', volume: logs, readOnly: true }] });
    web.addInitContainer({ name: 'netshoot', image: 'nicolaka/netshoot:v0.15', restartPolicy: kplus.ContainerRestartPolicy.ALWAYS, command: ['sleep', 'infinity'] });
  }
  return root;
}

function library(): App {
  const root = new App();
  const chart = new Chart(root, 'bench');
  for (let i = 0; i < WORKLOADS; i++) {
    const web = new kplus.Deployment(chart, `web${i}`, { containers: [app()] });
    new LogShipperSidecar(chart, `logs${i}`, { workload: web, logDirectory: '/var/log/app', output: LogOutput.elasticsearch({ host: 'es.logging.svc', index: 'web' }) });
    new NetshootDebugSidecar(chart, `debug${i}`, { workload: web, checks: [{ host: 'db.svc', port: 5432 }, { host: 'api.svc', port: 80 }] });
  }
  return root;
}

function timeOnce(build: () => App): number {
  const started = process.hrtime.bigint();
  build().synthYaml();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function heapOf(build: () => App): number {
  const gc = (global as any).gc as (() => void) | undefined;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const built = build();
  built.synthYaml();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  // keep the app alive until measured
  return built.node.children.length > 0 ? after - before : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// warm up both paths, then interleave so drift hits both alike
timeOnce(baseline);
timeOnce(library);
const base: number[] = [];
const lib: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  base.push(timeOnce(baseline));
  lib.push(timeOnce(library));
}
const baseHeap = median(Array.from({ length: 5 }, () => heapOf(baseline)));
const libHeap = median(Array.from({ length: 5 }, () => heapOf(library)));

console.log(`workloads: ${WORKLOADS}, rounds: ${ROUNDS}${(global as any).gc ? '' : ' (run with --expose-gc for steadier memory figures)'}`);
console.log(`synth time, median: baseline ${median(base).toFixed(1)} ms, library ${median(lib).toFixed(1)} ms, ratio ${(median(lib) / median(base)).toFixed(2)}`);
console.log(`heap retained by one synthesized app: baseline ${(baseHeap / 2 ** 20).toFixed(1)} MiB, library ${(libHeap / 2 ** 20).toFixed(1)} MiB, ratio ${(libHeap / baseHeap).toFixed(2)}`);
