import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { KubernetesVersion, LogShipperEngine, LogShipperSidecar, LogShipperSidecarProps, SidecarJob, SidecarMode } from '../../src';
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
    expect(container.command).toEqual(['vector', '--config', '/etc/log-shipper/vector.yaml', '--graceful-shutdown-limit-secs', '5']);
  });

  test('Filebeat: scanner and harvester backoff 1 s, shutdown_timeout 5 s', () => {
    const config = yaml.parse(shipper('deployment', { engine: LogShipperEngine.FILEBEAT }).files['filebeat.yml']);
    expect(config['filebeat.inputs'][0]).toMatchObject({ 'prospector.scanner.check_interval': '1s', 'backoff.init': '1s', 'backoff.max': '1s' });
    expect(config['filebeat.shutdown_timeout']).toBe('5s');
  });
});

describe('the drain before SIGTERM', () => {
  test.each(ENGINES)('%s, native: a 3 s preStop sleep action, no program needed', (engine) => {
    const { container } = shipper('deployment', { engine });
    expect(container.restartPolicy).toBe('Always');
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 3 } } });
  });

  test('Fluent Bit keeps its distroless image when the sleep action drains it', () => {
    expect(shipper('deployment').container.image).toBe('fluent/fluent-bit:4.0.7');
  });

  // the shell variant only where a shell runs: the classic Job's wrapper, or a drain without the sleep action
  test.each([
    ['native Deployment', 'deployment', {}, 'fluent/fluent-bit:4.0.7'],
    ['native Deployment on 1.29, no drain', 'deployment', { kubernetesVersion: KubernetesVersion.V1_29, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7'],
    ['classic Deployment, no drain', 'deployment', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7'],
    ['classic Deployment', 'deployment', { mode: SidecarMode.CLASSIC }, 'fluent/fluent-bit:4.0.7-debug'],
    ['native Job, no drain', 'job', { mode: SidecarMode.NATIVE, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7'],
    ['native Job', 'job', { mode: SidecarMode.NATIVE }, 'fluent/fluent-bit:4.0.7'],
    ['classic Job, no drain', 'job', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(0) }, 'fluent/fluent-bit:4.0.7-debug'],
  ] as Array<[string, Shape, Partial<LogShipperSidecarProps>, string]>)('Fluent Bit\'s image, %s', (_case, shape, props, image) => {
    expect(shipper(shape, props).container.image).toBe(image);
  });

  test.each(ENGINES)('%s, native on Kubernetes 1.29 (no sleep action): sleep run in the image', (engine) => {
    const { container } = shipper('deployment', { engine, kubernetesVersion: KubernetesVersion.V1_29 });
    expect(container.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '3'] } } });
    if (engine === LogShipperEngine.FLUENT_BIT) {
      expect(container.image).toBe('fluent/fluent-bit:4.0.7-debug');
    }
  });

  test.each(ENGINES)('%s, classic Deployment: sleep run in the image (SIGTERM comes with the app\'s)', (engine) => {
    const { container, spec } = shipper('deployment', { engine, mode: SidecarMode.CLASSIC });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-shipper']);
    expect(container.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '3'] } } });
  });

  test.each(ENGINES)('%s, classic Job: the completion wrapper waits 3 s before it stops the shipper', (engine) => {
    const { container } = shipper('job', { engine, mode: SidecarMode.CLASSIC });
    expect(container.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(container.command[2]).toContain('done\nsleep 3 & wait $!\nkill -TERM "$child"');
    expect(container.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '3'] } } });
  });

  test('tail: no preStop (the script drains itself after SIGTERM), and no sleep in the classic wrapper', () => {
    const tail = { engine: LogShipperEngine.TAIL, containerName: 'log-shipper' };
    expect(shipper('deployment', tail).container.lifecycle).toBeUndefined();
    const classic = shipper('job', { ...tail, mode: SidecarMode.CLASSIC }).container;
    expect(classic.command[2]).toContain('done\nkill -TERM "$child"');
    expect(classic.lifecycle).toBeUndefined();
  });

  test('drainTime is the prop; 0 turns the hook off', () => {
    expect(shipper('deployment', { drainTime: Duration.seconds(10) }).container.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(shipper('deployment', { drainTime: Duration.seconds(0) }).container.lifecycle).toBeUndefined();
  });
});

describe('the drain and stop must fit the grace period and the deadline', () => {
  test('a grace period shorter than drain + stop of the sidecars', () => {
    // Fluent Bit: 3 s drain + 6 s stop
    expect(() => shipper('deployment', {}, { terminationGracePeriod: Duration.seconds(9) }))
      .toThrow('[test/work] terminationGracePeriodSeconds: 9 leaves the app containers no time: the sidecars need 9s to drain and stop');
    expect(() => shipper('deployment', {}, { terminationGracePeriod: Duration.seconds(10) })).not.toThrow();
  });

  test.each([
    // drain + the engine's shutdown limit and a second: Vector 3 + 6, Filebeat 3 + 6; tail has no
    // drain and stops within its final read (2 s), a sleep of a second it may be in, and a second to spare
    [LogShipperEngine.VECTOR, 9], [LogShipperEngine.FILEBEAT, 9], [LogShipperEngine.TAIL, 4],
  ])('%s: the sidecars need %is of the grace period', (engine, need) => {
    expect(() => shipper('deployment', { engine }, { terminationGracePeriod: Duration.seconds(need) }))
      .toThrow(`[test/work] terminationGracePeriodSeconds: ${need} leaves the app containers no time: the sidecars need ${need}s to drain and stop`);
    expect(() => shipper('deployment', { engine }, { terminationGracePeriod: Duration.seconds(need + 1) })).not.toThrow();
  });

  test('native sidecars add up (they stop one after the other); classic ones stop together', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [APP], terminationGracePeriod: Duration.seconds(15) });
    new LogShipperSidecar(chart, 'a', { workload: web, logDirectory: '/var/log/app', containerName: 'a' });
    new LogShipperSidecar(chart, 'b', { workload: web, logDirectory: '/var/log/b', containerName: 'b', engine: LogShipperEngine.FILEBEAT });
    expect(() => synth(app)).toThrow('the sidecars need 18s to drain and stop');
    const classic = newChart();
    const web2 = new kplus.Deployment(classic.chart, 'web', { containers: [APP], terminationGracePeriod: Duration.seconds(15) });
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
