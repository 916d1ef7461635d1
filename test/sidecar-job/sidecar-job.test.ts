import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KubernetesVersion, SharedVolume, Sidecar, SidecarCronJob, SidecarJob, SidecarMode } from '../../src';
import { newChart, only, podSpec, synth } from '../util';

const ALPINE = 'alpine:3.21.0';

/** Seed 001's Job: `myjob` writes a log line, `logshipper` follows the file. */
function seedJob(chart: Chart, mode?: SidecarMode) {
  const job = new SidecarJob(chart, 'myjob', {
    mode,
    containers: [{ name: 'myjob', image: ALPINE, command: ['sh', '-c', 'echo "logging" > /opt/logs.txt'] }],
  });
  const data = new SharedVolume(chart, 'data', { workload: job });
  data.mount(job.containers[0], '/opt');
  const shipper = new Sidecar(chart, 'logshipper', { workload: job, image: ALPINE, command: Sidecar.exitOnSigterm(['tail', '-F', '/opt/logs.txt']) });
  shipper.mount(data, '/opt');
  return { job, shipper };
}

describe('seed 001: myjob + logshipper', () => {
  test('native: the sidecar is a restartable init container and the main command is untouched', () => {
    const { app, chart } = newChart();
    const { job, shipper } = seedJob(chart);
    expect(job.sidecarMode).toBe(SidecarMode.NATIVE);
    expect(shipper.mode).toBe(SidecarMode.NATIVE);
    const manifest = only(synth(app), 'Job');
    const spec = podSpec(manifest);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['logshipper', 'Always']]);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['myjob']);
    expect(spec.containers[0].command).toEqual(['sh', '-c', 'echo "logging" > /opt/logs.txt']);
    expect(spec.initContainers[0].command).toEqual(Sidecar.exitOnSigterm(['tail', '-F', '/opt/logs.txt']));
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['data']);
    expect(manifest.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 });
    expect(manifest).toMatchSnapshot();
  });

  test('classic: both commands wrapped around the completion signal', () => {
    const { app, chart } = newChart();
    const { shipper } = seedJob(chart, SidecarMode.CLASSIC);
    expect(shipper.mode).toBe(SidecarMode.CLASSIC);
    const manifest = only(synth(app), 'Job');
    const spec = podSpec(manifest);
    expect(spec.initContainers).toBeUndefined();
    const [main, sidecar] = spec.containers;
    expect([main.name, sidecar.name]).toEqual(['myjob', 'logshipper']);
    expect(main.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(main.command.slice(3)).toEqual(['myjob', 'sh', '-c', 'echo "logging" > /opt/logs.txt']);
    expect(main.args).toBeUndefined();
    expect(sidecar.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(sidecar.command[2]).toContain('if [ -e "/run/sidecar-job/myjob.exit" ]; then break; fi');
    expect(sidecar.command.slice(3)).toEqual(['logshipper', ...Sidecar.exitOnSigterm(['tail', '-F', '/opt/logs.txt'])]);
    expect(main.volumeMounts).toContainEqual({ name: 'sidecar-job-signal', mountPath: '/run/sidecar-job', readOnly: false });
    expect(sidecar.volumeMounts).toContainEqual({ name: 'sidecar-job-signal', mountPath: '/run/sidecar-job', readOnly: true });
    expect(spec.volumes).toContainEqual({ name: 'sidecar-job-signal', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    expect(manifest).toMatchSnapshot();
  });

  test('a target version before 1.29 makes the Job and its sidecars classic', () => {
    const { chart } = newChart();
    const job = new SidecarJob(chart, 'job', { kubernetesVersion: KubernetesVersion.V1_28, containers: [{ image: ALPINE, command: ['true'] }] });
    expect(job.sidecarMode).toBe(SidecarMode.CLASSIC);
    expect(new Sidecar(chart, 'tail', { workload: job, image: ALPINE, command: ['sleep', 'infinity'] }).mode).toBe(SidecarMode.CLASSIC);
  });

  test('main containers added after the sidecar are waited for too', () => {
    const { app, chart } = newChart();
    const { job } = seedJob(chart, SidecarMode.CLASSIC);
    job.addContainer({ name: 'report', image: ALPINE, command: ['sh', '-c', 'echo done'] });
    const sidecar = podSpec(only(synth(app), 'Job')).containers.find((c: any) => c.name === 'logshipper');
    expect(sidecar.command[2]).toContain('if [ -e "/run/sidecar-job/myjob.exit" ] && [ -e "/run/sidecar-job/report.exit" ]; then break; fi');
  });

  test('Job defaults can be overridden', () => {
    const { app, chart } = newChart();
    new SidecarJob(chart, 'job', {
      backoffLimit: 0,
      activeDeadline: Duration.minutes(5),
      ttlAfterFinished: Duration.minutes(10),
      containers: [{ image: ALPINE, command: ['true'] }],
    });
    expect(only(synth(app), 'Job').spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 600 });
  });
});

describe('SidecarCronJob', () => {
  test.each([SidecarMode.NATIVE, SidecarMode.CLASSIC])('%s, with the CronJob defaults', (mode) => {
    const { app, chart } = newChart();
    const cron = new SidecarCronJob(chart, 'nightly', {
      mode,
      schedule: Cron.daily(),
      containers: [{ name: 'report', image: ALPINE, command: ['sh', '-c', 'echo report > /opt/logs.txt'] }],
    });
    new Sidecar(chart, 'logshipper', { workload: cron, image: ALPINE, command: Sidecar.exitOnSigterm(['tail', '-F', '/opt/logs.txt']) });
    const manifest = only(synth(app), 'CronJob');
    expect(manifest.spec).toMatchObject({
      concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
    });
    expect(manifest.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 3600 });
    expect(manifest.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    const spec = podSpec(manifest);
    if (mode === SidecarMode.NATIVE) {
      expect(spec.initContainers[0].restartPolicy).toBe('Always');
    } else {
      expect(spec.containers.map((c: any) => c.command[3])).toEqual(['report', 'logshipper']);
    }
    expect(manifest).toMatchSnapshot();
  });

  test.each([
    [kplus.ConcurrencyPolicy.REPLACE, 5, 2],
    [kplus.ConcurrencyPolicy.ALLOW, 0, 0],
  ])('each CronJob default gives way to the value set (%s, history %d and %d)', (policy, successful, failed) => {
    const { app, chart } = newChart();
    new SidecarCronJob(chart, 'nightly', {
      schedule: Cron.daily(),
      concurrencyPolicy: policy,
      startingDeadline: Duration.minutes(1),
      successfulJobsRetained: successful,
      failedJobsRetained: failed,
      containers: [{ name: 'report', image: ALPINE, command: ['true'] }],
    });
    expect(only(synth(app), 'CronJob').spec).toMatchObject({
      concurrencyPolicy: policy, startingDeadlineSeconds: 60, successfulJobsHistoryLimit: successful, failedJobsHistoryLimit: failed,
    });
  });
});

describe('the classic-mode wrappers, run with sh against a real signal directory', () => {
  function wrappers() {
    const { app, chart } = newChart();
    seedJob(chart, SidecarMode.CLASSIC);
    const [main, sidecar] = podSpec(only(synth(app), 'Job')).containers;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-job-'));
    const relocate = (script: string) => script.split('/run/sidecar-job').join(dir);
    return { dir, main: relocate(main.command[2]), sidecar: relocate(sidecar.command[2]) };
  }

  test.each([0, 3])('the main container exits with its command\'s code (%d) and writes it', (code) => {
    const { dir, main } = wrappers();
    const result = spawnSync('sh', ['-c', main, 'myjob', 'sh', '-c', `echo working; exit ${code}`], { encoding: 'utf-8' });
    expect(result.status).toBe(code);
    expect(result.stdout).toBe('working\n');
    expect(fs.readFileSync(path.join(dir, 'myjob.exit'), 'utf-8')).toBe(`${code}\n`);
    expect(fs.existsSync(path.join(dir, 'myjob.exit.tmp'))).toBe(false);
  });

  test('the sidecar runs until the main container is done, then stops and exits 0', async () => {
    const { dir, sidecar } = wrappers();
    const child = spawn('sh', ['-c', sidecar, 'logshipper', 'sleep', '60']);
    const exited = new Promise<number | null>(resolve => child.on('exit', resolve));
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(child.exitCode).toBeNull();
    fs.writeFileSync(path.join(dir, 'myjob.exit'), '3\n');
    const started = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a sidecar that dies on its own exits with its own code', () => {
    const { sidecar } = wrappers();
    expect(spawnSync('sh', ['-c', sidecar, 'logshipper', 'sh', '-c', 'exit 5']).status).toBe(5);
  });

  test('both scripts are valid POSIX sh', () => {
    const { main, sidecar } = wrappers();
    execFileSync('sh', ['-n', '-c', main]);
    execFileSync('sh', ['-n', '-c', sidecar]);
  });
});

describe('this Job will never complete', () => {
  test('a plain kplus Job with a tail -F container beside the main one', () => {
    const { app, chart } = newChart();
    new kplus.Job(chart, 'myjob', {
      containers: [
        { name: 'myjob', image: ALPINE, command: ['sh', '-c', 'echo "logging" > /opt/logs.txt'] },
        { name: 'logshipper', image: ALPINE, command: ['sh', '-c', 'tail -F /opt/logs.txt'] },
      ],
    });
    // any construct of this library in the chart turns the check on
    new SidecarJob(chart, 'other', { containers: [{ image: ALPINE, command: ['true'] }] });
    expect(() => app.synthYaml()).toThrow(
      '[test/myjob] containers[logshipper].command: "sh -c tail -F /opt/logs.txt" does not exit by itself, and runs beside the main container, so this Job will never complete');
  });

  test('a classic Sidecar on a plain kplus Job, and on a plain CronJob', () => {
    const { app, chart } = newChart();
    const job = new kplus.Job(chart, 'job', { containers: [{ name: 'main', image: ALPINE, command: ['true'] }] });
    new Sidecar(chart, 'shipper', { workload: job, mode: SidecarMode.CLASSIC, image: ALPINE, command: ['cat'] });
    const cron = new kplus.CronJob(chart, 'cron', { schedule: Cron.daily(), containers: [{ name: 'main', image: ALPINE, command: ['true'] }] });
    new Sidecar(chart, 'cron-shipper', { workload: cron, mode: SidecarMode.CLASSIC, image: ALPINE, command: ['cat'] });
    expect(() => app.synthYaml()).toThrow(/\[test\/job\] containers\[shipper\]: is a classic sidecar beside the main container, so this Job will never complete[^\n]*Make it a native sidecar[\s\S]*\[test\/cron\] containers\[cron-shipper\]/);
  });

  test('native sidecars on a plain kplus Job are fine', () => {
    const { app, chart } = newChart();
    const job = new kplus.Job(chart, 'job', { containers: [{ name: 'main', image: ALPINE, command: ['true'] }] });
    new Sidecar(chart, 'shipper', { workload: job, image: ALPINE, command: Sidecar.exitOnSigterm(['tail', '-F', '/x']) });
    expect(() => synth(app)).not.toThrow();
  });
});

describe('bad input', () => {
  // found by test/properties: a fraction of a second failed deep in the rendering, without the construct or the field
  test.each([
    [{ activeDeadline: Duration.seconds(0.5) }, '[test/job] activeDeadline: "0.5s" is not a whole number of seconds.'],
    [{ ttlAfterFinished: Duration.millis(1500) }, '[test/job] ttlAfterFinished: "1.5s" is not a whole number of seconds.'],
  ])('a Job duration that is not whole seconds %#', (props, message) => {
    const { chart } = newChart();
    expect(() => new SidecarJob(chart, 'job', props)).toThrow(message);
  });

  test.each([
    [{ activeDeadline: Duration.seconds(0.5) }, '[test/cron] activeDeadline: "0.5s" is not a whole number of seconds.'],
    [{ startingDeadline: Duration.millis(100) }, '[test/cron] startingDeadline: "0.1s" is not a whole number of seconds.'],
  ])('a CronJob duration that is not whole seconds %#', (props, message) => {
    const { chart } = newChart();
    expect(() => new SidecarCronJob(chart, 'cron', { schedule: Cron.daily(), ...props })).toThrow(message);
  });

  test('a main container name with a line break, in classic mode: the field quotes it on one line', () => {
    const { chart } = newChart();
    expect(() => new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC, containers: [{ name: 'a\nb', image: ALPINE }] }))
      .toThrow('[test/job] containers["a\\nb"].command: (not set) is needed');
  });

  test('a main container without a name, in classic mode: "main" in the container, its wrapper and the sidecar\'s wait', () => {
    const { app, chart } = newChart();
    const job = new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC, containers: [{ image: ALPINE, command: ['true'] }] });
    new Sidecar(chart, 'helper', { workload: job, image: ALPINE, command: ['cat'] });
    const [main, helper] = podSpec(only(synth(app), 'Job')).containers;
    expect(main.name).toBe('main');
    expect(main.command.slice(3)).toEqual(['main', 'true']);
    expect(helper.command[2]).toContain('[ -e "/run/sidecar-job/main.exit" ]');
  });

  test('a main container without a command in classic mode', () => {
    const { chart } = newChart();
    expect(() => new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC, containers: [{ name: 'migrate', image: 'migrate/migrate:v4.18.1', args: ['up'] }] }))
      .toThrow('[test/job] containers[migrate].command: (not set) is needed: in classic mode the command is wrapped so that the container reports its exit code to the sidecars. Give the container its full command (the image entrypoint and arguments), or use native mode on Kubernetes 1.29 or newer.');
  });

  test('a classic sidecar without a command', () => {
    const { chart } = newChart();
    const job = new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC, containers: [{ image: ALPINE, command: ['true'] }] });
    expect(() => new Sidecar(chart, 'shipper', { workload: job, image: 'fluent/fluent-bit:3.2.10' }))
      .toThrow('[test/shipper] command: (not set) is needed: a classic sidecar of a Job is wrapped so that it stops when the main containers are done. Give the sidecar its full command, or use native mode on Kubernetes 1.29 or newer.');
  });

  test('a classic sidecar image without a shell', () => {
    const { chart } = newChart();
    const job = new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC, containers: [{ image: ALPINE, command: ['true'] }] });
    expect(() => new Sidecar(chart, 'shipper', { workload: job, image: 'fluent/fluent-bit:3.2.10', command: ['/fluent-bit/bin/fluent-bit'], shell: false }))
      .toThrow('[test/shipper] image: "an image without /bin/sh" cannot be wrapped: a classic sidecar of a Job needs a shell to watch for the end of the main containers. Use an image variant with a shell (for example a "-debug" tag), or native mode on Kubernetes 1.29 or newer.');
  });

  test.each(['fluent/fluent-bit:4.0.7', 'gcr.io/distroless/static:nonroot', 'envoyproxy/envoy:distroless-v1.37.6'])('%s is known to have no shell: with shell unset, the same error at synth, not a failing wrapper at runtime', image => {
    const { chart } = newChart();
    const job = new SidecarJob(chart, 'job', { mode: SidecarMode.CLASSIC, containers: [{ image: ALPINE, command: ['true'] }] });
    expect(() => new Sidecar(chart, 'shipper', { workload: job, image, command: ['/bin/agent'] }))
      .toThrow('[test/shipper] image: "an image without /bin/sh" cannot be wrapped');
    // an image with a shell, and one the library does not know, are wrapped
    for (const [id, other] of [['a', 'fluent/fluent-bit:4.0.7-debug'], ['b', 'example.com/agent:1.0']]) {
      expect(() => new Sidecar(chart, id, { workload: job, image: other, command: ['/bin/agent'] })).not.toThrow();
    }
  });

  test('a classic sidecar on a native SidecarJob', () => {
    const { chart } = newChart();
    const job = new SidecarJob(chart, 'job', { containers: [{ image: ALPINE }] });
    expect(() => new Sidecar(chart, 'shipper', { workload: job, mode: SidecarMode.CLASSIC, image: ALPINE, command: ['cat'] }))
      .toThrow('[test/shipper] mode: "classic" is not the mode of its test/job, which is native, so nothing would stop this sidecar and the Job would never complete. Leave the sidecar\'s mode unset (it follows the Job\'s), or set mode: SidecarMode.CLASSIC on the Job.');
  });

  test('a native SidecarJob on Kubernetes 1.28', () => {
    const { chart } = newChart();
    expect(() => new SidecarJob(chart, 'job', { mode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_28 }))
      .toThrow('[test/job] mode: "native" needs Kubernetes 1.29 or newer');
  });
});
