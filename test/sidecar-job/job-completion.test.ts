import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { JobCompletion, KubernetesVersion, Sidecar, SidecarJob, SidecarMode } from '../../src';
import { newChart, only, podSpec, synth } from '../util';

const BUSYBOX = 'busybox:1.37.0';
const TAIL = Sidecar.exitOnSigterm(['tail', '-F', '/var/log/app/app.log']);

/** A Job as YAML brought in from elsewhere gives it. */
function rawJob(scope: Construct, container: any = { name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate'], args: ['up'] }): ApiObject {
  return new ApiObject(scope, 'migrate', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } },
  });
}

describe('JobCompletion', () => {
  test('classic: the main container\'s command and args are wrapped at render time, and the sidecar stops when it is done', () => {
    const { app, chart } = newChart();
    const job = rawJob(chart);
    const completion = new JobCompletion(chart, 'completion', { job, mode: SidecarMode.CLASSIC });
    const sidecar = new Sidecar(chart, 'tail', { workload: job, image: BUSYBOX, command: TAIL });
    expect(completion.sidecarMode).toBe(SidecarMode.CLASSIC);
    expect(sidecar.mode).toBe(SidecarMode.CLASSIC);
    const spec = podSpec(only(synth(app), 'Job'));
    const [main, tail] = spec.containers;
    expect(main.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(main.command.slice(3)).toEqual(['migrate', 'migrate', 'up']);
    expect(main.args).toBeUndefined();
    expect(main.volumeMounts).toEqual([{ mountPath: '/run/sidecar-job', name: 'sidecar-job-signal', readOnly: false }]);
    expect(tail.command[2]).toContain('if [ -e "/run/sidecar-job/migrate.exit" ]; then break; fi');
    expect(tail.volumeMounts).toEqual([{ mountPath: '/run/sidecar-job', name: 'sidecar-job-signal', readOnly: true }]);
    expect(spec.volumes).toEqual([{ emptyDir: { medium: 'Memory', sizeLimit: '1Mi' }, name: 'sidecar-job-signal' }]);
  });

  test('native: the main containers stay as they are; the mode follows the target version', () => {
    const { app, chart } = newChart();
    const job = rawJob(chart);
    expect(new JobCompletion(chart, 'completion', { job }).sidecarMode).toBe(SidecarMode.NATIVE);
    new Sidecar(chart, 'tail', { workload: job, image: BUSYBOX, command: TAIL });
    const spec = podSpec(only(synth(app), 'Job'));
    expect(spec.containers).toEqual([{ name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate'], args: ['up'] }]);
    expect(spec.initContainers[0].restartPolicy).toBe('Always');

    const old = new App();
    old.node.setContext(KubernetesVersion.CONTEXT_KEY, '1.28');
    const oldChart = new Chart(old, 'test');
    expect(new JobCompletion(oldChart, 'completion', { job: rawJob(oldChart) }).sidecarMode).toBe(SidecarMode.CLASSIC);
  });

  test('classic, a main container without a command: named at synth, with the fix', () => {
    const { app, chart } = newChart();
    const job = rawJob(chart, { name: 'migrate', image: 'migrate/migrate:v4.18.1' });
    new JobCompletion(chart, 'completion', { job, mode: SidecarMode.CLASSIC });
    new Sidecar(chart, 'tail', { workload: job, image: BUSYBOX, command: TAIL });
    expect(() => app.synthYaml()).toThrow('[test/completion] containers[migrate].command: (not set) is needed: in classic mode the command of every main container of test/migrate is wrapped '
      + 'so that it reports its exit code to the sidecars. Give the container its full command (the image entrypoint and arguments) in the manifest, or use native mode on Kubernetes 1.29 or newer.');
  });

  test('classic, a main container with an empty command: the same error', () => {
    const { app, chart } = newChart();
    const job = rawJob(chart, { name: 'migrate', image: 'migrate/migrate:v4.18.1', command: [] });
    new JobCompletion(chart, 'completion', { job, mode: SidecarMode.CLASSIC });
    expect(() => app.synthYaml()).toThrow('[test/completion] containers[migrate].command: [] is needed');
  });

  test('classic, a main container with a command and no args: the wrapper runs exactly the command', () => {
    const { app, chart } = newChart();
    const job = rawJob(chart, { name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate', 'up'] });
    new JobCompletion(chart, 'completion', { job, mode: SidecarMode.CLASSIC });
    new Sidecar(chart, 'tail', { workload: job, image: BUSYBOX, command: TAIL });
    const [main] = podSpec(only(synth(app), 'Job')).containers;
    expect(main.command.slice(3)).toEqual(['migrate', 'migrate', 'up']);
    expect(main.args).toBeUndefined();
  });

  test('a workload that is no Job, a Job that has one already, sidecars created first: errors with the fix', () => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    expect(() => new JobCompletion(chart, 'c1', { job: web }))
      .toThrow('[test/c1] job: "test/web" is a Deployment, which runs until it is deleted, so there is nothing to complete. Give a Job or a CronJob; sidecars of other workloads need no JobCompletion.');

    const sidecarJob = new SidecarJob(chart, 'sj', { containers: [{ image: BUSYBOX, command: ['true'] }] });
    expect(() => new JobCompletion(chart, 'c2', { job: ApiObject.of(sidecarJob) }))
      .toThrow('[test/c2] job: "test/sj/Resource" already completes with its sidecars (a SidecarJob, a SidecarCronJob or another JobCompletion). Remove this JobCompletion: the Job has one already.');

    const late = rawJob(chart);
    new Sidecar(chart, 'tail', { workload: late, image: BUSYBOX, command: TAIL });
    expect(() => new JobCompletion(chart, 'c3', { job: late }))
      .toThrow('[test/c3] job: "test/migrate" already has the sidecars tail, created before this JobCompletion. Create the JobCompletion first, then the sidecars, so that they follow its mode.');
  });
});
