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
import { build as myappLogshipper } from '../../examples/myapp-logshipper/main';
import { build as webWithLogReader } from '../../examples/web-with-log-reader/main';
import { build as webWithLogReaderClassic } from '../../examples/web-with-log-reader-classic/main';
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
    await running.execAsync(preStop.exec.command);
  }
}

/** A container of the Pod: its spec from the manifest, and the running process. */
interface Running {
  readonly spec: any;
  readonly c: Container;
}

/**
 * The kubelet's order when a Pod is deleted (kuberuntime's killContainer, 1.29+):
 * every container's preStop hook starts at once; an app container gets SIGTERM when
 * its own hook has ended; a native sidecar when its hook has ended and every app
 * container and every sidecar declared after it has exited (waitForTurn).
 */
async function deletePod(apps: Running[], sidecars: Running[]): Promise<void> {
  const hooks = new Map([...apps, ...sidecars].map(r => [r, runPreStop(r.spec, r.c)]));
  await Promise.all(apps.map(async r => {
    await hooks.get(r);
    r.c.terminate();
    await r.c.exited;
  }));
  for (const r of [...sidecars].reverse()) {
    await hooks.get(r);
    r.c.terminate();
    await r.c.exited;
  }
}

/**
 * An app that appends a line to `file` every second and, on SIGTERM, takes
 * `stopSeconds` to shut down, writes a last line and exits 0 (a graceful server, a
 * worker finishing its job).
 */
function slowApp(file: string, stopSeconds: number): string[] {
  return ['sh', '-c', `trap 'sleep ${stopSeconds}; echo "last line" >> ${file}; exit 0' TERM
i=0
while :; do i=$((i + 1)); echo "line $i" >> ${file}; sleep 1 & wait $!; done`];
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

// The app takes 0, 2 or 10 s to stop after SIGTERM, and writes its last line as it
// exits. The drain must start then, not when the Pod was deleted.
describe('Pod deletion in the kubelet\'s order: the line the app writes as it exits is shipped', () => {
  test.each([0, 2, 10])('web-with-log-reader (a plain Sidecar, tail -F in the drain wrapper), the app stopping in %i s', async (appStop) => {
    const spec = podSpec(only(synth(webWithLogReader(new App())), 'Deployment'));
    const [web, reader] = [spec.containers[0], spec.initContainers[0]];
    expect(reader.lifecycle).toBeUndefined();
    const dirs: { [volume: string]: string } = {};
    const readerC = Container.start({ argv: reader.command, busybox: true, volumes: volumesOf(reader, dirs) });
    await sleep(300);
    const webC = Container.start({ argv: slowApp('/var/log/nginx/access.log', appStop), busybox: true, volumes: volumesOf(web, dirs) });
    await readerC.waitFor('line 2\n');
    await deletePod([{ spec: web, c: webC }], [{ spec: reader, c: readerC }]);
    expect(readerC.output).toMatch(/line 1\nline 2\n(line \d+\n)*last line\n$/);
    expect((await readerC.exited).code).toBe(0);
    // the reader's SIGTERM came right after the app's exit; it then drained 2 s
    expect((await readerC.exited).ms).toBeGreaterThanOrEqual(2000);
    expect((await readerC.exited).ms).toBeLessThan(3000);
  }, 30000);

  // classic: no ordering, the reader is an app container for the kubelet and gets SIGTERM at once
  test.each([0, 2, 10])('web-with-log-reader-classic (tail -F in the wrapper, which holds SIGTERM appStopTime + drainTime), the app stopping in %i s', async (appStop) => {
    const spec = podSpec(only(synth(webWithLogReaderClassic(new App())), 'Deployment'));
    const [web, reader] = spec.containers;
    expect(reader.command[2]).toContain('sleep 12 &');
    const dirs: { [volume: string]: string } = {};
    const readerC = Container.start({ argv: reader.command, busybox: true, volumes: volumesOf(reader, dirs) });
    const webC = Container.start({ argv: slowApp('/var/log/nginx/access.log', appStop), busybox: true, volumes: volumesOf(web, dirs) });
    await readerC.waitFor('line 2\n');
    await deletePod([{ spec: web, c: webC }, { spec: reader, c: readerC }], []);
    // started together, tail may have looked before nginx made the file (its notes, and headers between files)
    expect(readerC.output).toMatch(/line 2\n[^]*last line\n$/);
    expect((await readerC.exited).code).toBe(0);
  }, 30000);

  test.each([0, 2, 10])('myapp-logshipper (the tail engine, which reads to the end after SIGTERM), the app stopping in %i s', async (appStop) => {
    const spec = podSpec(only(synth(myappLogshipper(new App())), 'Deployment'));
    const [myapp, shipper] = [spec.containers[0], spec.initContainers[0]];
    const dirs: { [volume: string]: string } = {};
    const shipperC = Container.start({ argv: shipper.command, env: POD_ENV, busybox: true, volumes: volumesOf(shipper, dirs) });
    await sleep(300);
    const myappC = Container.start({ argv: slowApp('/opt/logs.txt', appStop), busybox: true, volumes: volumesOf(myapp, dirs) });
    await shipperC.waitFor('line 2\n');
    await deletePod([{ spec: myapp, c: myappC }], [{ spec: shipper, c: shipperC }]);
    const lines = shipperC.output.split('\n').filter(Boolean);
    expect(lines[lines.length - 1]).toBe('[default/myjob-x7k2p] last line');
    expect(new Set(lines).size).toBe(lines.length);
    expect((await shipperC.exited).code).toBe(0);
  }, 30000);

  // Fluent Bit cannot be installed here. Its documented behaviour on SIGTERM (pause the
  // inputs, flush what was read within `grace`) is played by a stand-in at its path in
  // the image, which reads appended lines as Fluent Bit's tail input does (busybox tail
  // -F polls every second, like refresh_interval 1) and stops reading at once on SIGTERM.
  // The shipper's manifest, wrapper and timing are the library's own.
  const FLUENT_BIT_STAND_IN = `#!/bin/sh
trap 'kill "$reader"; echo "engine: SIGTERM"; exit 0' TERM
tail -n +1 -F /var/log/app/app.log 2>/dev/null &
reader=$!
while :; do sleep 1 & wait $!; done
`;

  test.each([0, 2, 10])('a Fluent Bit shipper in the drain wrapper, the app stopping in %i s: the engine gets SIGTERM 3 s after the app\'s exit', async (appStop) => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'alpine:3.21.0', command: ['app'] }] });
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app' });
    const spec = podSpec(only(synth(app), 'Deployment'));
    const [webSpec, shipper] = [spec.containers[0], spec.initContainers[0]];
    expect(shipper.command.slice(4, 5)).toEqual(['/fluent-bit/bin/fluent-bit']);
    const dirs: { [volume: string]: string } = {};
    const shipperC = Container.start({
      argv: shipper.command, busybox: true, volumes: volumesOf(shipper, dirs), files: { '/fluent-bit/bin/fluent-bit': FLUENT_BIT_STAND_IN },
    });
    await sleep(300);
    const webC = Container.start({ argv: slowApp('/var/log/app/app.log', appStop), busybox: true, volumes: volumesOf(webSpec, dirs) });
    await shipperC.waitFor('line 2\n');
    const started = Date.now();
    await deletePod([{ spec: webSpec, c: webC }], [{ spec: shipper, c: shipperC }]);
    expect(shipperC.output).toMatch(/last line\nengine: SIGTERM\n$/);
    const exit = await shipperC.exited;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeGreaterThanOrEqual(3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual((appStop + 3) * 1000);
  }, 30000);
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

describe('the tail engine\'s read positions, on its state volume', () => {
  /** myapp-logshipper's shipper with its two volumes, started as often as a test restarts it. */
  function tailPod() {
    const shipper = podSpec(only(synth(myappLogshipper(new App())), 'Deployment')).initContainers[0];
    const dirs: { [volume: string]: string } = {};
    const volumes = volumesOf(shipper, dirs);
    const start = () => Container.start({ argv: shipper.command, env: POD_ENV, busybox: true, volumes });
    return { logs: dirs['logshipper-logs'], state: dirs['logshipper-state'], start };
  }
  const stop = async (c: Container) => {
    c.terminate();
    return c.exited;
  };
  const lines = (c: Container) => c.output.split('\n').filter(Boolean).map(l => l.replace('[default/myjob-x7k2p] ', ''));
  const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
  const append = (dir: string, from: number, to: number) => fs.appendFileSync(`${dir}/logs.txt`, numbered(from, to).map(l => `${l}\n`).join(''));

  test('killed (SIGKILL) and restarted mid-file: the lines written meanwhile are printed once, none before them again', async () => {
    const pod = tailPod();
    append(pod.logs, 1, 7);
    const first = pod.start();
    await first.waitFor('line 7\n');
    await sleep(300);
    first.kill();
    await first.exited;
    append(pod.logs, 8, 13);
    const second = pod.start();
    await second.waitFor('line 13\n');
    expect((await stop(second)).code).toBe(0);
    expect(lines(first)).toEqual(numbered(1, 7));
    expect(lines(second)).toEqual(numbered(8, 13));
  }, 20000);

  test('stopped (SIGTERM) while the app writes 50 lines a second, and restarted: every line exactly once', async () => {
    const pod = tailPod();
    let written = 0;
    const writer = setInterval(() => append(pod.logs, written + 1, written += 5), 100);
    try {
      const first = pod.start();
      await first.waitFor('line 40\n');
      await stop(first);
      const second = pod.start();
      await sleep(1500);
      clearInterval(writer);
      await second.waitFor(`line ${written}\n`);
      await stop(second);
      expect([...lines(first), ...lines(second)]).toEqual(numbered(1, written));
    } finally {
      clearInterval(writer);
    }
  }, 20000);

  // the one window left: a line printed, its position not yet written
  test('SIGKILL in the middle of a long backlog: no line lost, at most the one being printed again', async () => {
    const pod = tailPod();
    append(pod.logs, 1, 3000);
    const first = pod.start();
    await first.waitFor('line 500\n');
    first.kill();
    await first.exited;
    const second = pod.start();
    await second.waitFor('line 3000\n', 20000);
    await stop(second);
    const all = [...lines(first), ...lines(second)];
    expect(new Set(all)).toEqual(new Set(numbered(1, 3000)));
    expect(all.length - 3000).toBeLessThanOrEqual(1);
    expect(lines(second)[0]).toMatch(/^line \d+$/);
  }, 40000);

  test('rotation by rename: the old file is read to its end (a line written after the rename too), the new one from its start', async () => {
    const pod = tailPod();
    const logs = pod.logs;
    append(logs, 1, 2);
    const c = pod.start();
    await c.waitFor('line 2\n');
    fs.renameSync(`${logs}/logs.txt`, `${logs}/logs.txt.1`);
    fs.writeFileSync(`${logs}/logs.txt`, 'new 1\n');
    fs.appendFileSync(`${logs}/logs.txt.1`, 'line 3\n');
    await c.waitFor('new 1\n');
    await c.waitFor('line 3\n');
    // the rotated file is let go after 5 s, and its position removed at the next scan
    await sleep(7000);
    expect(fs.readdirSync(pod.state).sort()).toEqual([String(fs.statSync(`${logs}/logs.txt`).ino)]);
    await stop(c);
    expect(lines(c).sort()).toEqual(['line 1', 'line 2', 'line 3', 'new 1']);
  }, 20000);

  test('a file truncated, or rewritten under the same inode with other content, while the shipper was down is read from its start', async () => {
    const pod = tailPod();
    const logs = pod.logs;
    append(logs, 1, 3);
    const first = pod.start();
    await first.waitFor('line 3\n');
    await stop(first);
    // same inode, longer than the recorded position, other first bytes
    fs.writeFileSync(`${logs}/logs.txt`, 'other 1\nother 2\nother 3\nother 4\n');
    const second = pod.start();
    await second.waitFor('other 4\n');
    await stop(second);
    expect(lines(second)).toEqual(['other 1', 'other 2', 'other 3', 'other 4']);
  }, 20000);

  test('a last line without a newline is printed on stop, and its end is not printed as a line of its own after a restart', async () => {
    const pod = tailPod();
    const logs = pod.logs;
    fs.writeFileSync(`${logs}/logs.txt`, 'one\ntwo, unfinished');
    const first = pod.start();
    await first.waitFor('one\n');
    await stop(first);
    expect(lines(first)).toEqual(['one', 'two, unfinished']);
    fs.appendFileSync(`${logs}/logs.txt`, '\nthree été\n');
    const second = pod.start();
    await second.waitFor('three été\n');
    await stop(second);
    expect(lines(second)).toEqual(['three été']);
    // positions count bytes: the next start prints nothing more
    const third = pod.start();
    await sleep(1500);
    await stop(third);
    expect(third.output).toBe('');
  }, 20000);
});
