// Seed 001's Job, run the way the kubelet runs it: `myjob` writes one line to a new
// file and exits at once; the shipper must print that line before it stops. Each
// container is PID 1 of its own PID and mount namespace, the Pod's volumes bound where
// the manifest mounts them, the commands, env and hooks taken from the synthesized
// manifests of the examples.
import * as fs from 'fs';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { build as nativeJob } from '../../examples/job-with-logshipper/main';
import { build as classicJob } from '../../examples/job-with-logshipper-classic/main';
import { build as webWithLogReader } from '../../examples/web-with-log-reader/main';
import { LogShipperEngine, LogShipperSidecar } from '../../src';
import { Container, emptyDir, sleep } from '../container';
import { newChart, only, podSpec, synth } from '../util';

// no container outlives its test, failed or not
afterEach(() => Container.killAll());

const POD_ENV = { POD_NAMESPACE: 'default', POD_NAME: 'myjob-x7k2p' };
// five runs each, to catch a race; one under mutation testing (RUNTIME_RUNS=1), where each mutant runs them again
const RUNS = Number(process.env.RUNTIME_RUNS ?? 5);

/** The Pod's volumes: one host directory per volume name, bound at each container's mount paths. */
function volumesOf(container: any, dirs: { [volume: string]: string }): { [path: string]: string } {
  const volumes: { [path: string]: string } = {};
  for (const mount of container.volumeMounts ?? []) {
    volumes[mount.mountPath] = dirs[mount.name] ??= emptyDir();
  }
  return volumes;
}

/** What the kubelet does with a preStop hook before it sends SIGTERM. */
async function runPreStop(container: any, running: Container): Promise<void> {
  const preStop = container.lifecycle?.preStop;
  if (preStop?.sleep) {
    await sleep(preStop.sleep.seconds * 1000);
  } else if (preStop?.exec) {
    running.exec(preStop.exec.command);
  }
}

describe('seed 001: the line written just before the Job ends is shipped', () => {
  test.each(Array.from({ length: RUNS }, (_, i) => i + 1))('native, tail engine (run %i)', async () => {
    const spec = podSpec(only(synth(nativeJob(new App())), 'Job'));
    const [shipper, main] = [spec.initContainers[0], spec.containers[0]];
    const dirs = {};
    // the kubelet starts the native sidecar first, then the main container
    const shipperC = Container.start({ argv: shipper.command, env: POD_ENV, busybox: true, volumes: volumesOf(shipper, dirs) });
    await sleep(300);
    const mainC = Container.start({ argv: main.command, busybox: true, volumes: volumesOf(main, dirs) });
    expect((await mainC.exited).code).toBe(0);
    // main containers done: preStop of the sidecar (none for the tail engine), then SIGTERM
    await runPreStop(shipper, shipperC);
    shipperC.terminate();
    const exit = await shipperC.exited;
    expect(shipperC.output).toBe('[default/myjob-x7k2p] logging\n');
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(3500);
  }, 15000);

  test.each(Array.from({ length: RUNS }, (_, i) => i + 1))('classic, tail engine, stopped by the completion signal (run %i)', async () => {
    const spec = podSpec(only(synth(classicJob(new App())), 'Job'));
    const [main, shipper] = spec.containers;
    const dirs = {};
    // classic: both start together, and nothing but the completion signal stops the shipper
    const shipperC = Container.start({ argv: shipper.command, env: POD_ENV, busybox: true, volumes: volumesOf(shipper, dirs) });
    const mainC = Container.start({ argv: main.command, busybox: true, volumes: volumesOf(main, dirs) });
    expect((await mainC.exited).code).toBe(0);
    const mainDone = Date.now();
    const exit = await shipperC.exited;
    expect(shipperC.output).toBe('[default/myjob-x7k2p] logging\n');
    expect(exit.code).toBe(0);
    // one poll of the signal file (1 s), the script's final read (2 s), and slack
    expect(Date.now() - mainDone).toBeLessThan(6000);
  }, 15000);
});

describe('a plain Sidecar with drainTime: the preStop sleep lets tail -F print the app\'s last line', () => {
  test.each(Array.from({ length: RUNS }, (_, i) => i + 1))('web-with-log-reader (run %i)', async () => {
    const spec = podSpec(only(synth(webWithLogReader(new App())), 'Deployment'));
    const reader = spec.initContainers[0];
    expect(reader.lifecycle).toEqual({ preStop: { sleep: { seconds: 2 } } });
    const dirs: { [volume: string]: string } = {};
    const readerC = Container.start({ argv: reader.command, busybox: true, volumes: volumesOf(reader, dirs) });
    await sleep(1500);
    // nginx writes its last line as it stops; the kubelet then stops the sidecar
    fs.appendFileSync(`${dirs['shared-logs']}/access.log`, 'GET /last\n');
    await runPreStop(reader, readerC);
    readerC.terminate();
    const exit = await readerC.exited;
    expect(readerC.output).toContain('GET /last\n');
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(1000);
  }, 15000);
});

describe('the tail engine with two patterns, run as PID 1', () => {
  test('it follows every matching file, files created late included, and nothing else; SIGTERM prints what is left', async () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.27.3' }] });
    new LogShipperSidecar(chart, 'logs', { workload: web, engine: LogShipperEngine.TAIL, logDirectory: '/var/log/app', files: ['app.log', 'audit-*.log'] });
    const shipper = podSpec(only(synth(app), 'Deployment')).initContainers[0];
    const logs = emptyDir();
    fs.writeFileSync(`${logs}/app.log`, 'app one\n');
    fs.writeFileSync(`${logs}/other.txt`, 'not shipped\n');
    const shipperC = Container.start({ argv: shipper.command, env: POD_ENV, busybox: true, volumes: volumesOf(shipper, { 'log-tail-logs': logs }) });
    await shipperC.waitFor('[default/myjob-x7k2p] app one\n');
    // created after the start, found at the next scan
    fs.writeFileSync(`${logs}/audit-1.log`, 'audit one\n');
    await shipperC.waitFor('[default/myjob-x7k2p] audit one\n');
    // written and created just before the stop: the last scan and the final read get them
    fs.appendFileSync(`${logs}/app.log`, 'app two\n');
    fs.writeFileSync(`${logs}/audit-2.log`, 'audit two\n');
    shipperC.terminate();
    const exit = await shipperC.exited;
    expect(exit.code).toBe(0);
    expect(shipperC.output.split('\n').filter(Boolean).sort()).toEqual([
      '[default/myjob-x7k2p] app one', '[default/myjob-x7k2p] app two', '[default/myjob-x7k2p] audit one', '[default/myjob-x7k2p] audit two',
    ]);
    // no preStop: the script's own final read (2 s) after SIGTERM, and slack
    expect(shipper.lifecycle).toBeUndefined();
    expect(exit.ms).toBeLessThan(3500);
  }, 20000);
});
