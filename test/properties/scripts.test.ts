// Generated shell keeps its meaning whatever the values: each script is run by a real
// shell against stand-in programs that record the argv they get, and the recorded argv
// must be exactly what the user gave. Values the construct rejects are fine too; a
// value that reaches a script must never add a word or run code.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { dnsLabel, host, nasty, runs, synthOutcome, workload, opt } from './arbitraries';
import { CheckProtocol, LogShipperEngine, LogShipperSidecar, NetshootDebugSidecar, Sidecar, SidecarJob, SidecarMode } from '../../src';
import { Container, emptyDir } from '../container';
import { podSpec } from '../util';

// no container outlives its test, failed or not
afterEach(() => Container.killAll());

jest.setTimeout(300_000);

/**
 * A stand-in program: appends its path and arguments, each ended by NUL, and then an
 * end-of-call mark to $RECORD, and exits with $EXIT_CODE.
 */
const RECORDER = '#!/bin/sh\nfor a in "$0" "$@" END-OF-CALL; do printf \'%s\\0\' "$a"; done >> "$RECORD"\nexit "${EXIT_CODE:-0}"\n';

/** Arguments a process can be given (execve ends a string at NUL). */
const argument = nasty.filter(a => !a.includes('\u0000'));

function recorded(file: string): string[][] {
  if (!fs.existsSync(file)) {
    return [];
  }
  const calls: string[][] = [[]];
  for (const word of fs.readFileSync(file, 'utf-8').split('\0').slice(0, -1)) {
    if (word === 'END-OF-CALL') {
      calls.push([]);
    } else {
      calls[calls.length - 1].push(word);
    }
  }
  return calls.slice(0, -1);
}

let work: string;
let recorder: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-sidecars-scripts-'));
  recorder = path.join(work, 'record');
  fs.writeFileSync(recorder, RECORDER, { mode: 0o755 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('Sidecar.exitOnSigterm runs exactly the given argv and keeps its exit code', () => {
  fc.assert(fc.property(fc.array(argument, { maxLength: 6 }), fc.integer({ min: 0, max: 120 }), (args, code) => {
    const record = path.join(work, 'exit-on-sigterm');
    fs.rmSync(record, { force: true });
    const [program, ...rest] = Sidecar.exitOnSigterm([recorder, ...args]);
    const result = spawnSync(program, rest, { env: { PATH: process.env.PATH, RECORD: record, EXIT_CODE: String(code) } });
    expect(result.status).toBe(code);
    expect(recorded(record)).toEqual([[recorder, ...args]]);
  }), runs(500));
});

test('netshoot: the check script passes every host, port, path and name to nc, dig and curl as one argument each', () => {
  const check = fc.record({
    host,
    protocol: fc.constantFrom(CheckProtocol.TCP, CheckProtocol.DNS, CheckProtocol.HTTP),
    port: fc.integer({ min: 1, max: 65535 }),
    path: fc.oneof(fc.constantFrom('/', '/healthz', "/it's", '/$(id)', '/a;b', '/`id`', '/a&b=c', '/(x)*+,=:@%'), fc.stringMatching(/^\/[!-~]{0,20}$/)),
    name: opt(fc.oneof(dnsLabel, nasty)),
  });
  const stubs = path.join(work, 'netshoot-bin');
  fs.mkdirSync(stubs, { recursive: true });
  for (const tool of ['nc', 'dig', 'curl']) {
    fs.copyFileSync(recorder, path.join(stubs, tool));
    fs.chmodSync(path.join(stubs, tool), 0o755);
  }
  let ran = 0;
  fc.assert(fc.property(fc.array(check, { minLength: 1, maxLength: 3 }), checks => {
    const given = checks.map(c => ({
      host: c.host,
      protocol: c.protocol,
      port: c.protocol === CheckProtocol.DNS ? undefined : c.port,
      path: c.protocol === CheckProtocol.HTTP ? c.path : undefined,
      name: c.name,
    }));
    let script: string | undefined;
    const outcome = synthOutcome(chart => {
      const sidecar = new NetshootDebugSidecar(chart, 'debug', { workload: workload(chart, 'Deployment'), checks: given });
      script = sidecar.checkScript;
    });
    if (!outcome.synthesized) {
      return;
    }
    ran++;
    const record = path.join(work, 'netshoot-record');
    fs.rmSync(record, { force: true });
    const file = path.join(work, 'checks.sh');
    fs.writeFileSync(file, script!);
    const result = spawnSync('bash', [file, 'once'], { encoding: 'utf-8', env: { PATH: `${stubs}:${process.env.PATH}`, RECORD: record } });
    expect(result.status).toBe(0);
    const calls = recorded(record);
    expect(calls).toHaveLength(given.length);
    given.forEach((c, i) => {
      const call = calls[i];
      if (c.protocol === CheckProtocol.TCP) {
        expect(call).toEqual([path.join(stubs, 'nc'), '-z', '-v', '-w', '5', c.host, String(c.port)]);
      } else if (c.protocol === CheckProtocol.DNS) {
        expect(call).toEqual([path.join(stubs, 'dig'), '+search', '+short', '+time=5', '+tries=1', c.host]);
      } else {
        const hostPart = c.host.includes(':') ? `[${c.host}]` : c.host;
        expect(call[call.length - 1]).toBe(`http://${hostPart}:${c.port}${c.path}`);
      }
    });
    // one report line per check, with the check's name as its second word
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(given.length);
    given.forEach((c, i) => {
      const defaultName = `${c.protocol}://${c.host}${c.port !== undefined ? `:${c.port}` : c.protocol === CheckProtocol.HTTP ? ':80' : ''}`;
      expect(lines[i].split(' ')[1]).toBe(c.name ?? defaultName);
    });
  }), runs(400));
  expect(ran).toBeGreaterThan(runs(400).numRuns! / 4);
});

test('tail engine: every accepted log path stays one glob word, with nothing expanded but the glob', () => {
  const files = fc.array(fc.oneof(fc.constantFrom('app.log', '*.log', 'a?.log', '[ab].log', 'sub/x.log'), fc.stringMatching(/^[!-~]{1,12}$/), nasty), { minLength: 1, maxLength: 3 });
  let ran = 0;
  fc.assert(fc.property(files, list => {
    let sidecar: LogShipperSidecar | undefined;
    const outcome = synthOutcome(chart => {
      sidecar = new LogShipperSidecar(chart, 'logs', { workload: workload(chart, 'Deployment'), engine: LogShipperEngine.TAIL, logDirectory: '/nonexistent/logs', files: list });
    });
    if (!outcome.synthesized) {
      return;
    }
    ran++;
    const container = podSpec(outcome.manifests.find(m => m.kind === 'Deployment')).initContainers.find((c: any) => c.name === sidecar!.sidecar.containerName);
    const script: string = container.command[2];
    const loop = /^ {2}files=\$\(stat -L -c '%i %n' -- (.*) 2>\/dev\/null\)$/m.exec(script);
    expect(loop).not.toBeNull();
    // the scan's word list, expanded by a real shell in a directory where no file matches
    const result = spawnSync('sh', ['-c', `for file in ${loop![1]}; do printf '%s\\0' "$file"; done`], { encoding: 'utf-8', cwd: work });
    expect(result.status).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(list.map(f => `/nonexistent/logs/${f}`));
  }), runs(1000));
  expect(ran).toBeGreaterThan(runs(1000).numRuns! / 10);
});

describe('classic SidecarJob wrappers, run as PID 1 of their own container', () => {
  test('the main wrapper runs the exact argv, reports its exit code and exits with it', async () => {
    await fc.assert(fc.asyncProperty(dnsLabel, fc.array(argument, { maxLength: 5 }), fc.integer({ min: 0, max: 3 }), async (name, args, code) => {
      const app = new App();
      const chart = new Chart(app, 'test');
      const job = new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC });
      job.addContainer({ name, image: 'busybox:1.37.0', command: ['/stubs/record', ...args], securityContext: { user: 1000, group: 1000 } });
      const spec = podSpec(chart.toJson().find((m: any) => m.kind === 'Job'));
      const main = spec.containers.find((c: any) => c.name === name);
      const signal = emptyDir();
      const out = emptyDir();
      const container = Container.start({
        argv: main.command,
        volumes: { '/run/sidecar-job': signal, '/out': out },
        files: { '/stubs/record': RECORDER },
        env: { RECORD: '/out/argv', EXIT_CODE: String(code) },
      });
      const exit = await container.exited;
      expect(exit.code).toBe(code);
      expect(recorded(path.join(out, 'argv'))).toEqual([['/stubs/record', ...args]]);
      expect(fs.readFileSync(path.join(signal, `${name}.exit`), 'utf-8')).toBe(`${code}\n`);
    }), runs(40));
  });

  test('the sidecar wrapper runs the exact argv and stops it only when every main container is done', async () => {
    const mainNames = fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 3 });
    await fc.assert(fc.asyncProperty(mainNames, fc.array(argument, { maxLength: 4 }), async (names, args) => {
      const app = new App();
      const chart = new Chart(app, 'test');
      const job = new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC });
      for (const name of names) {
        job.addContainer({ name: `main-${name}`.slice(0, 63), image: 'busybox:1.37.0', command: ['true'], securityContext: { user: 1000, group: 1000 } });
      }
      // the recorder, then a wait that SIGTERM ends (the child the wrapper stops)
      const sidecar = new Sidecar(chart, 'side', { workload: job, image: 'busybox:1.37.0', command: ['/bin/sh', '-c', '/stubs/record "$@"; trap "exit 0" TERM; while :; do sleep 1 & wait $!; done', '/stubs/record', ...args] });
      const spec = podSpec(chart.toJson().find((m: any) => m.kind === 'Job'));
      const command = spec.containers.find((c: any) => c.name === sidecar.containerName).command;
      const signal = emptyDir();
      const out = emptyDir();
      const container = Container.start({
        argv: command, busybox: true, volumes: { '/run/sidecar-job': signal, '/out': out }, files: { '/stubs/record': RECORDER }, env: { RECORD: '/out/argv' },
      });
      let exited = false;
      void container.exited.then(() => exited = true);
      const mains = names.map(n => `main-${n}`.slice(0, 63));
      // every main container but the last is done: the sidecar keeps running
      for (const main of mains.slice(0, -1)) {
        fs.writeFileSync(path.join(signal, `${main}.exit`), '0\n');
      }
      await new Promise(resolve => setTimeout(resolve, 1300));
      expect(exited).toBe(false);
      fs.writeFileSync(path.join(signal, `${mains[mains.length - 1]}.exit`), '0\n');
      const exit = await container.exited;
      expect(exit.code).toBe(0);
      expect(recorded(path.join(out, 'argv'))).toEqual([['/stubs/record', ...args]]);
    }), runs(12));
  });
});
