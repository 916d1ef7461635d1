import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { KubernetesVersion, LogShipperEngine, LogShipperSidecar, LogShipperSidecarProps, SidecarJob, SidecarMode } from '../../src';
import { drainSleep, drainWrapper } from '../../src/core/drain';
import { newChart, only, podSpec, synth } from '../util';
import { parseFluentBitClassic } from './config-parsers';

const APP = { name: 'app', image: 'alpine:3.21.0', command: ['sh', '-c', 'echo done > /var/log/app/app.log'] };

type Shape = 'deployment' | 'job';

/** The shipper container and its config files, for a workload of the given shape. */
function shipper(shape: Shape, props: Partial<LogShipperSidecarProps> = {}, workloadProps: any = {}) {
  const { app, chart } = newChart();
  const workload = shape === 'job'
    ? new SidecarJob(chart, 'work', { containers: [APP], mode: props.mode, kubernetesVersion: props.kubernetesVersion, ...workloadProps })
    : new kplus.Deployment(chart, 'work', { containers: [APP], ...workloadProps });
  const logs = new LogShipperSidecar(chart, 'logs', { workload, logDirectory: '/var/log/app', ...props });
  const manifests = synth(app);
  const spec = podSpec(only(manifests, shape === 'job' ? 'Job' : 'Deployment'));
  const container = [...spec.initContainers ?? [], ...spec.containers].find((c: any) => c.name === 'log-shipper');
  return { container, files: logs.configFiles, spec };
}

const ENGINES = [LogShipperEngine.FLUENT_BIT, LogShipperEngine.VECTOR, LogShipperEngine.FILEBEAT];

describe('engines find new files within a second, and bound their shutdown', () => {
  test('Fluent Bit: refresh_interval 1, grace 5', () => {
    const sections = parseFluentBitClassic(shipper('deployment').files['fluent-bit.conf']);
    const get = (name: string, key: string) => sections.find(s => s.name === name)!.entries.find(([k]) => k === key)?.[1];
    expect(get('INPUT', 'refresh_interval')).toBe('1');
    expect(get('SERVICE', 'grace')).toBe('5');
  });

  test('Vector: glob cooldown 1000 ms, graceful shutdown limited to 5 s', () => {
    const { container, files } = shipper('deployment', { engine: LogShipperEngine.VECTOR });
    expect(yaml.parse(files['vector.yaml']).sources.app_logs.glob_minimum_cooldown_ms).toBe(1000);
    expect(container.command.slice(4)).toEqual(['vector', '--config', '/etc/log-shipper/vector.yaml', '--graceful-shutdown-limit-secs', '5']);
  });

  test('Filebeat: scanner and harvester backoff 1 s, shutdown_timeout 5 s', () => {
    const config = yaml.parse(shipper('deployment', { engine: LogShipperEngine.FILEBEAT }).files['filebeat.yml']);
    expect(config['filebeat.inputs'][0]).toMatchObject({ 'prospector.scanner.check_interval': '1s', 'backoff.init': '1s', 'backoff.max': '1s' });
    expect(config['filebeat.shutdown_timeout']).toBe('5s');
  });
});

/** The command of a native sidecar inside the drain wrapper: sh -c SCRIPT NAME COMMAND... */
function unwrapped(container: any): string[] {
  expect(container.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  expect(container.command[2]).toBe(drainWrapper(3));
  expect(container.command[3]).toBe(container.name);
  return container.command.slice(4);
}

describe('the drain, counted from the app\'s exit', () => {
  test.each(ENGINES)('%s, native: the engine runs inside the drain wrapper, which drains 3 s after its SIGTERM; no preStop hook', (engine) => {
    const { container } = shipper('deployment', { engine });
    expect(container.restartPolicy).toBe('Always');
    expect(container.lifecycle).toBeUndefined();
    expect(container.args).toBeUndefined();
    expect(unwrapped(container)[0]).toMatch(/fluent-bit$|^vector$|^filebeat$/);
  });

  test('Fluent Bit drains through the wrapper, so its default image is the variant with a shell', () => {
    const { container } = shipper('deployment');
    expect(container.image).toBe('fluent/fluent-bit:4.0.7-debug');
    expect(unwrapped(container)).toEqual(['/fluent-bit/bin/fluent-bit', '-c', '/etc/log-shipper/fluent-bit.conf']);
  });

  test('the distroless Fluent Bit image, named as such: a preStop sleep action of appStopTime + drainTime (10 + 3 s)', () => {
    const { container } = shipper('deployment', { image: 'fluent/fluent-bit:4.0.7' });
    expect(container.command).toEqual(['/fluent-bit/bin/fluent-bit', '-c', '/etc/log-shipper/fluent-bit.conf']);
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 13 } } });
    expect(shipper('deployment', { image: 'fluent/fluent-bit:4.0.7', appStopTime: Duration.seconds(25) }, { terminationGracePeriod: Duration.seconds(60) })
      .container.lifecycle).toEqual({ preStop: { sleep: { seconds: 28 } } });
  });

  // the shell variant wherever a shell script runs: the drain wrapper or preStop sleep, or the classic Job's wrapper
  test.each([
    ['native Deployment', 'deployment', {}, 'fluent/fluent-bit:4.0.7-debug'],
    ['native Deployment, no drain', 'deployment', { drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7'],
    ['native Deployment on 1.29, no drain', 'deployment', { kubernetesVersion: KubernetesVersion.V1_29, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7'],
    ['classic Deployment, no drain', 'deployment', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7'],
    ['classic Deployment', 'deployment', { mode: SidecarMode.CLASSIC }, 'fluent/fluent-bit:4.0.7-debug'],
    ['native Job, no drain', 'job', { mode: SidecarMode.NATIVE, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7'],
    ['native Job', 'job', { mode: SidecarMode.NATIVE }, 'fluent/fluent-bit:4.0.7-debug'],
    ['classic Job, no drain', 'job', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7-debug'],
  ] as Array<[string, Shape, Partial<LogShipperSidecarProps>, string]>)('Fluent Bit\'s image, %s', (_case, shape, props, image) => {
    expect(shipper(shape, props).container.image).toBe(image);
  });

  test.each(ENGINES)('%s, native on Kubernetes 1.29: the drain wrapper too (it needs no sleep action)', (engine) => {
    const { container } = shipper('deployment', { engine, kubernetesVersion: KubernetesVersion.V1_29 });
    expect(container.lifecycle).toBeUndefined();
    expect(unwrapped(container).length).toBeGreaterThan(0);
  });

  test('native on 1.29 without a shell: sleep in the image cannot run, and the error says so', () => {
    expect(() => shipper('deployment', { image: 'fluent/fluent-bit:4.0.7', kubernetesVersion: KubernetesVersion.V1_29 }))
      .toThrow('[test/logs/Sidecar] drainTime: "3s" needs a sleep program in the image, and shell is false: the target version 1.29 has no sleep action for preStop hooks');
  });

  test.each(ENGINES)('%s, classic Deployment: the wrapper holds SIGTERM appStopTime + drainTime (it comes with the app\'s)', (engine) => {
    const { container, spec } = shipper('deployment', { engine, mode: SidecarMode.CLASSIC });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-shipper']);
    expect(container.command[2]).toBe(drainWrapper(13));
    expect(container.lifecycle).toBeUndefined();
  });

  test('classic Deployment without a shell: a preStop sleep cannot run, and the error says so', () => {
    expect(() => shipper('deployment', { mode: SidecarMode.CLASSIC, image: 'fluent/fluent-bit:4.0.7' }))
      .toThrow('[test/logs/Sidecar] drainTime: "3s" needs a sleep program in the image, and shell is false: a classic sidecar gets its SIGTERM together with the app containers, and only a shell script or a preStop hook can hold it back');
  });

  test.each(ENGINES)('%s, classic Job: the completion wrapper drains 3 s after the main containers, also on SIGTERM; no preStop', (engine) => {
    const { container } = shipper('job', { engine, mode: SidecarMode.CLASSIC });
    expect(container.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(container.command[2]).toContain('trap : TERM INT\n');
    expect(container.command[2]).toContain(`done\n${drainSleep(3)}kill -TERM "$child"`);
    expect(container.lifecycle).toBeUndefined();
  });

  test('tail: no drain where SIGTERM comes after the app (native, or the classic Job\'s wrapper); 1 s after appStopTime in a classic Deployment', () => {
    const tail = { engine: LogShipperEngine.TAIL, containerName: 'log-shipper' };
    const native = shipper('deployment', tail).container;
    expect(native.lifecycle).toBeUndefined();
    expect(native.command.slice(0, 2)).toEqual(['sh', '-c']);
    const job = shipper('job', { ...tail, mode: SidecarMode.CLASSIC }).container;
    expect(job.command[2]).toContain('done\nkill -TERM "$child"');
    expect(job.lifecycle).toBeUndefined();
    const classic = shipper('deployment', { ...tail, mode: SidecarMode.CLASSIC }).container;
    expect(classic.command.slice(2, 6)).toEqual([drainWrapper(11), 'log-shipper', 'sh', '-c']);
    expect(classic.lifecycle).toBeUndefined();
  });

  test('drainTime is the prop; 0 turns the drain off', () => {
    expect(shipper('deployment', { drainTime: Duration.seconds(10) }).container.command[2]).toBe(drainWrapper(10));
    const off = shipper('deployment', { drainTime: Duration.seconds(0) }).container;
    expect(off.lifecycle).toBeUndefined();
    expect(off.command).toEqual(['/fluent-bit/bin/fluent-bit', '-c', '/etc/log-shipper/fluent-bit.conf']);
  });
});

describe('the app\'s stop, drain and stop must fit the grace period; drain and stop the deadline', () => {
  test('a grace period that does not hold the app\'s stop (10 s) and the shipper\'s drain and stop (3 + 6 s)', () => {
    expect(() => shipper('deployment', {}, { terminationGracePeriod: Duration.seconds(19) }))
      .toThrow('[test/work] terminationGracePeriodSeconds: 19 cannot hold the app\'s stop and the sidecars\': 10s for the app containers to exit (appStopTime), then 9s for the sidecars to drain and stop');
    expect(() => shipper('deployment', {}, { terminationGracePeriod: Duration.seconds(20) })).not.toThrow();
    expect(() => shipper('deployment', { appStopTime: Duration.seconds(2) }, { terminationGracePeriod: Duration.seconds(12) })).not.toThrow();
  });

  test.each([
    // the app's 10 s, then drain + the engine's shutdown limit and a second: Vector 3 + 6, Filebeat 3 + 6; tail has no
    // drain and stops within 4 s (a second PID 1 may be sleeping, one each follower may be, the read, and slack)
    [LogShipperEngine.VECTOR, 19], [LogShipperEngine.FILEBEAT, 19], [LogShipperEngine.TAIL, 14],
  ])('%s: the app and the sidecars need %is of the grace period', (engine, need) => {
    expect(() => shipper('deployment', { engine }, { terminationGracePeriod: Duration.seconds(need) }))
      .toThrow(`[test/work] terminationGracePeriodSeconds: ${need} cannot hold the app's stop and the sidecars': 10s for the app containers to exit (appStopTime), then ${need - 10}s`);
    expect(() => shipper('deployment', { engine }, { terminationGracePeriod: Duration.seconds(need + 1) })).not.toThrow();
  });

  test('native sidecars add up (they stop one after the other); classic ones stop together; the largest appStopTime counts', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [APP], terminationGracePeriod: Duration.seconds(25) });
    new LogShipperSidecar(chart, 'a', { workload: web, logDirectory: '/var/log/app', containerName: 'a', appStopTime: Duration.seconds(5) });
    new LogShipperSidecar(chart, 'b', { workload: web, logDirectory: '/var/log/b', containerName: 'b', engine: LogShipperEngine.FILEBEAT, appStopTime: Duration.seconds(7) });
    expect(() => synth(app)).toThrow('7s for the app containers to exit (appStopTime), then 18s for the sidecars to drain and stop');
    const classic = newChart();
    const web2 = new kplus.Deployment(classic.chart, 'web', { containers: [APP], terminationGracePeriod: Duration.seconds(20) });
    new LogShipperSidecar(classic.chart, 'a', { workload: web2, logDirectory: '/var/log/app', containerName: 'a', mode: SidecarMode.CLASSIC });
    new LogShipperSidecar(classic.chart, 'b', { workload: web2, logDirectory: '/var/log/b', containerName: 'b', engine: LogShipperEngine.FILEBEAT, mode: SidecarMode.CLASSIC });
    expect(() => synth(classic.app)).not.toThrow();
  });

  test('a Job deadline that the drain alone would use up', () => {
    expect(() => shipper('job', {}, { activeDeadline: Duration.seconds(9) }))
      .toThrow('[test/work] activeDeadlineSeconds: 9 is not above the 9s the sidecars need to drain and stop after the main containers');
  });

  test('a drain of a fraction of a second', () => {
    expect(() => shipper('deployment', { drainTime: Duration.millis(1500) }))
      .toThrow('[test/logs/Sidecar] drainTime: "1.5s" is not a whole number of seconds');
  });
});
