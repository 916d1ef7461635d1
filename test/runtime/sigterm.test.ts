// Every command this library generates, run as the kubelet runs it: PID 1 of its own
// PID namespace, its files where the Pod mounts them, SIGTERM sent from outside. PID 1
// gets only the signals it has a handler for, so a command that sets none would keep
// the Pod for its whole grace period.
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CheckProtocol, LogShipperEngine, LogShipperSidecar, NetshootDebugSidecar, Sidecar, SidecarJob, SidecarMode } from '../../src';
import { drainWrapper } from '../../src/core/drain';
import { Container, emptyDir, sleep } from '../container';
import { newChart, only, podSpec, synth } from '../util';

// no container outlives its test, failed or not
afterEach(() => Container.killAll());

const POD_ENV = { POD_NAMESPACE: 'shop', POD_NAME: 'web-1' };

/** How long after SIGTERM a command that handles it may take to exit (scheduling slack included). */
const PROMPT_MS = 1000;

function backend(chart: Chart): kplus.Deployment {
  return new kplus.Deployment(chart, 'backend', { containers: [{ name: 'backend', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080 }] });
}

/** The sidecar container of the synthesized workload, by name. */
function container(build: (chart: Chart) => void, name: string): any {
  const { app, chart } = newChart();
  build(chart);
  const manifest = synth(app).find(m => ['Deployment', 'Job'].includes(m.kind));
  const spec = podSpec(manifest);
  return [...spec.initContainers ?? [], ...spec.containers].find((c: any) => c.name === name);
}

/** Waits until the container runs its command, a while more (or for `ready`), sends SIGTERM and returns the exit. */
async function terminate(c: Container, ready?: string) {
  await c.waitForExec();
  if (ready) {
    await c.waitFor(ready);
  } else {
    await sleep(700);
  }
  c.terminate();
  return c.exited;
}

describe('the harness reproduces PID 1', () => {
  test('plain sleep infinity as PID 1 ignores SIGTERM (what the library must not generate)', async () => {
    const c = Container.start({ argv: ['sleep', 'infinity'] });
    await sleep(500);
    c.terminate();
    const race = await Promise.race([c.exited, sleep(2000).then(() => 'still running')]);
    expect(race).toBe('still running');
    c.kill();
    await c.exited;
  });
});

describe('Sidecar.exitOnSigterm', () => {
  test.each([
    ['sleep infinity', ['sleep', 'infinity']],
    ['tail -F of a file', ['tail', '-n+1', '-F', '/logs/app.log']],
  ])('%s exits 0 within a second of SIGTERM, under busybox sh and under dash', async (_name, command) => {
    for (const busybox of [true, false]) {
      const logs = emptyDir();
      fs.writeFileSync(path.join(logs, 'app.log'), 'started\n');
      const c = Container.start({ argv: Sidecar.exitOnSigterm(command), busybox, volumes: { '/logs': logs } });
      const exit = await terminate(c);
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.ms).toBeLessThan(PROMPT_MS);
    }
  }, 20000);

  test('a command that ends by itself keeps its exit code', async () => {
    const c = Container.start({ argv: Sidecar.exitOnSigterm(['sh', '-c', 'exit 7']), busybox: true });
    expect((await c.exited).code).toBe(7);
  });
});

describe('NetshootDebugSidecar', () => {
  test('without checks: the idle toolbox exits 0 at once on SIGTERM', async () => {
    const netshoot = container(chart => new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart) }), 'netshoot');
    const c = Container.start({ argv: netshoot.command, busybox: true });
    const exit = await terminate(c);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(PROMPT_MS);
  });

  // stand-ins for the netshoot image's nc, dig and curl; this nc takes 3 s, as a check of
  // an unreachable host does until its timeout
  const STAND_INS = {
    '/stand-ins/nc': '#!/bin/sh\nsleep 3\nexit 1\n',
    '/stand-ins/dig': '#!/bin/sh\necho 10.0.0.7\n',
    '/stand-ins/curl': '#!/bin/sh\nprintf 200\n',
  };

  test.each([
    ['between two rounds', 'dns://db.shop.svc ok'],
    ['in the middle of a slow check', 'dns://db.shop.svc ok'],
  ])('with checks: SIGTERM %s ends the script within a second', async (when, ready) => {
    const checks = when === 'between two rounds'
      ? [{ host: 'db.shop.svc', protocol: CheckProtocol.DNS }]
      : [{ host: 'db.shop.svc', protocol: CheckProtocol.DNS }, { host: 'db.shop.svc', port: 5432 }];
    let script = '';
    const netshoot = container(chart => {
      script = new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), checks }).checkScript!;
    }, 'netshoot');
    const c = Container.start({
      argv: netshoot.command,
      busybox: true,
      path: ['/stand-ins'],
      files: { '/etc/netshoot/checks.sh': script, ...STAND_INS },
    });
    const exit = await terminate(c, ready);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(PROMPT_MS);
    expect(c.output).not.toContain('tcp://db.shop.svc:5432');
  }, 15000);
});

describe('LogShipperSidecar, tail engine', () => {
  const tail = () => container(chart => new LogShipperSidecar(chart, 'logs', {
    workload: backend(chart), engine: LogShipperEngine.TAIL, logDirectory: '/var/log/app', files: ['*.log'],
  }), 'log-tail');

  test.each([
    ['a file that exists at start', true, 'before'],
    ['a file created after start', false, 'before'],
    ['a file created just before SIGTERM', false, 'at'],
    ['no file at all', false, 'never'],
  ])('with %s: every line written before SIGTERM is printed, and it exits 0 within 3.5 s', async (_name, existing, write) => {
    const logs = emptyDir();
    const file = path.join(logs, 'app.log');
    if (existing) {
      fs.writeFileSync(file, 'first\n');
    }
    const c = Container.start({ argv: tail().command, env: POD_ENV, busybox: true, volumes: { '/var/log/app': logs, '/var/lib/log-shipper': emptyDir() } });
    await sleep(1500);
    if (write === 'before') {
      fs.appendFileSync(file, 'second\n');
      await sleep(1500);
    } else if (write === 'at') {
      fs.appendFileSync(file, 'second\n');
    }
    c.terminate();
    const exit = await c.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(3500);
    const expected = [...existing ? ['[shop/web-1] first'] : [], ...write !== 'never' ? ['[shop/web-1] second'] : []];
    expect(c.output.split('\n').filter(l => l)).toEqual(expected);
  }, 15000);
});

describe('the classic Job wrappers', () => {
  function classicJob() {
    const { app, chart } = newChart();
    const job = new SidecarJob(chart, 'job', {
      mode: SidecarMode.CLASSIC,
      containers: [{ name: 'main', image: 'alpine:3.21.0', command: ['sleep', '30'] }],
    });
    new Sidecar(chart, 'helper', { workload: job, image: 'busybox:1.37.0', command: Sidecar.exitOnSigterm(['sleep', 'infinity']) });
    const spec = podSpec(only(synth(app), 'Job'));
    return { main: spec.containers[0], helper: spec.containers[1] };
  }

  test('the main container\'s wrapper passes SIGTERM on, records the code and exits with it', async () => {
    const signal = emptyDir();
    const c = Container.start({ argv: classicJob().main.command, busybox: true, volumes: { '/run/sidecar-job': signal } });
    const exit = await terminate(c);
    expect(exit.code).toBe(143);
    expect(exit.ms).toBeLessThan(PROMPT_MS);
    expect(fs.readFileSync(path.join(signal, 'main.exit'), 'utf-8')).toBe('143\n');
  });

  // On deletion the main containers get SIGTERM too; the sidecar must outlive them and
  // drain after their exit, as at the Job's end.
  test('the sidecar\'s wrapper holds on through a SIGTERM, and stops the sidecar once the main containers have exited', async () => {
    const signal = emptyDir();
    const c = Container.start({ argv: classicJob().helper.command, busybox: true, volumes: { '/run/sidecar-job': signal } });
    await c.waitForProcess('sleep infinity');
    c.terminate();
    await sleep(2500);
    await c.waitForProcess('sleep infinity', 100);
    const mainDone = Date.now();
    fs.writeFileSync(path.join(signal, 'main.exit'), '143\n');
    const exit = await c.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - mainDone).toBeLessThan(1500);
  }, 15000);

  // A SIGTERM at any point of the wrapper's loop (during a sleep or between two) neither
  // ends it nor delays it: each stops its sidecar within a poll of the main container's
  // exit (a second), with a second to spare for the load of the harness. 16 wrappers, 4
  // at a time, each signalled at another point of its loop (once it runs: a shell PID 1
  // signalled before it has set its trap ignores the signal).
  test('the sidecar\'s wrapper stops its sidecar within a poll of the main containers\' exit, wherever in its loop the SIGTERM came', async () => {
    const command = classicJob().helper.command;
    for (let batch = 0; batch < 4; batch++) {
      const exits = await Promise.all(Array.from({ length: 4 }, async (_, i) => {
        const signal = emptyDir();
        const c = Container.start({ argv: command, busybox: true, volumes: { '/run/sidecar-job': signal } });
        await c.waitForProcess('sleep infinity');
        await sleep(1000 + (batch * 4 + i) * 61);
        c.terminate();
        await sleep(300);
        const mainDone = Date.now();
        fs.writeFileSync(path.join(signal, 'main.exit'), '0\n');
        const exit = await c.exited;
        return { code: exit.code, ms: Date.now() - mainDone };
      }));
      for (const exit of exits) {
        expect(exit.code).toBe(0);
        expect(exit.ms).toBeLessThan(2000);
      }
    }
  }, 60_000);
});

describe('the drain wrapper of a native sidecar', () => {
  // as Sidecar writes it: sh -c SCRIPT NAME COMMAND...
  const wrapped = (seconds: number, command: string[]) => ['/bin/sh', '-c', drainWrapper(seconds), 'helper', ...command];
  // a command that prints when it gets SIGTERM, and exits 0
  const reporter = ['sh', '-c', 'trap \'echo "got SIGTERM"; exit 0\' TERM; echo up; while :; do sleep 1 & wait $!; done'];

  test('SIGTERM: the command runs on for the drain, then gets SIGTERM; the wrapper exits with its code', async () => {
    const c = Container.start({ argv: wrapped(2, reporter), busybox: true });
    await c.waitFor('up\n');
    c.terminate();
    await sleep(1500);
    expect(c.output).toBe('up\n');
    const exit = await c.exited;
    expect(c.output).toBe('up\ngot SIGTERM\n');
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeGreaterThanOrEqual(2000);
    expect(exit.ms).toBeLessThan(3000);
  }, 10000);

  test('a command killed by the SIGTERM passed on (tail -F as a child) counts as stopped: exit 0', async () => {
    const c = Container.start({ argv: wrapped(1, ['tail', '-F', '/tmp/x']), busybox: true });
    await c.waitForProcess('tail -F');
    const exit = await terminate(c);
    expect(exit.code).toBe(0);
  }, 10000);

  test('a second SIGTERM does not cut the drain short', async () => {
    const c = Container.start({ argv: wrapped(2, reporter), busybox: true });
    await c.waitFor('up\n');
    c.terminate();
    await sleep(500);
    process.kill(c.pid1(), 'SIGTERM');
    const exit = await c.exited;
    expect(exit.ms).toBeGreaterThanOrEqual(2000);
    expect(c.output).toBe('up\ngot SIGTERM\n');
  }, 10000);

  test('a command that ends by itself ends the wrapper with its code, at once', async () => {
    const c = Container.start({ argv: wrapped(5, ['sh', '-c', 'sleep 0.3; exit 3']), busybox: true });
    const exit = await c.exited;
    expect(exit.code).toBe(3);
    expect(exit.ms).toBeLessThan(1500);
  }, 10000);
});
