import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KubernetesVersion, PodSpecPatches, Sidecar, SidecarMode } from '../../src';
import { sigtermProblem } from '../../src/core/validate';
import { newChart, only, podSpec, synth } from '../util';

const BUSYBOX = 'busybox:1.37.0';

function web() {
  const { app, chart } = newChart();
  const workload = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080 }] });
  return { app, chart, workload };
}

describe('commands that ignore SIGTERM as PID 1 are rejected, with the fix', () => {
  test.each([
    [['sleep', 'infinity'], 'sleep has no SIGTERM handler'],
    [['/bin/sleep', '3600'], 'sleep has no SIGTERM handler'],
    [['tail', '-F', '/logs/app.log'], 'tail has no SIGTERM handler'],
    [['sh', '-c', 'tail -F /logs/app.log'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['/bin/bash', '-c', 'while true; do date; sleep 5; done'], 'the bash script sets no trap'],
    [['sh', '-c', 'exec tail -F /logs/app.log'], 'the sh script sets no trap'],
    [['sh', '-c', 'cd /x && exec /bin/sleep infinity'], 'the sh script sets no trap'],
  ])('%j', (command, why) => {
    expect(sigtermProblem(command)).toBe(why === 'the sh script sets no trap' || why === 'the bash script sets no trap'
      ? `${why} and execs no program that handles SIGTERM` : why);
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command });
    expect(() => app.synthYaml()).toThrow(`[test/web] initContainers[helper].command: ${JSON.stringify(command.join(' '))} ignores SIGTERM as PID 1 of its container (${why}`);
    expect(() => app.synthYaml()).toThrow('Wrap it: command: Sidecar.exitOnSigterm([...]), or exec a program that handles SIGTERM, or trap TERM in the script.');
  });

  test.each([
    [['sh', '-c', 'trap "exit 0" TERM; tail -F /x & wait']],
    [['sh', '-c', 'envsubst < /t > /etc/envoy.yaml && exec envoy -c /etc/envoy.yaml']],
    [['envoy', '-c', '/etc/envoy.yaml']],
    [['sh', 'script.sh']],
    [['sh', '-c']],
  ])('%j may handle SIGTERM and passes', (command) => {
    expect(sigtermProblem(command)).toBeUndefined();
  });

  test('Sidecar.exitOnSigterm makes any of them pass', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: Sidecar.exitOnSigterm(['tail', '-F', '/logs/app.log']) });
    const helper = podSpec(only(synth(app), 'Deployment')).initContainers[0];
    expect(helper.command).toEqual(['/bin/sh', '-c', 'trap \'kill "$child" 2>/dev/null; exit 0\' TERM INT; "$@" & child=$!; wait "$child"', 'tail', 'tail', '-F', '/logs/app.log']);
  });

  test('with a shared process namespace the command is not PID 1, and passes', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: ['sleep', 'infinity'] });
    PodSpecPatches.shareProcessNamespace(workload);
    expect(podSpec(only(synth(app), 'Deployment')).shareProcessNamespace).toBe(true);
  });

  test('an empty command cannot be wrapped', () => {
    expect(() => Sidecar.exitOnSigterm([])).toThrow('Sidecar.exitOnSigterm: the command is empty.');
  });
});

describe('drainTime on a plain Sidecar', () => {
  test('native: the sleep action, kept beside a postStart hook', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', {
      workload,
      image: BUSYBOX,
      command: Sidecar.exitOnSigterm(['sleep', 'infinity']),
      drainTime: Duration.seconds(4),
      lifecycle: { postStart: kplus.Handler.fromCommand(['touch', '/tmp/up']) },
    });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers[0].lifecycle).toEqual({
      postStart: { exec: { command: ['touch', '/tmp/up'] } },
      preStop: { sleep: { seconds: 4 } },
    });
  });

  test('the Kubernetes version from the app context decides between the sleep action and sleep in the image', () => {
    const app = new App();
    app.node.setContext(KubernetesVersion.CONTEXT_KEY, '1.29');
    const chart = new Chart(app, 'test');
    const workload = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080 }] });
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: Sidecar.exitOnSigterm(['sleep', 'infinity']), drainTime: Duration.seconds(4) });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '4'] } } });
  });

  test('a preStop hook of its own and drainTime', () => {
    const { chart, workload } = web();
    expect(() => new Sidecar(chart, 'helper', {
      workload, image: BUSYBOX, command: ['cat'], drainTime: Duration.seconds(4), lifecycle: { preStop: kplus.Handler.fromCommand(['true']) },
    })).toThrow('[test/helper] lifecycle.preStop: "a preStop hook" is given together with drainTime, which makes the preStop hook. Keep one');
  });

  test.each([
    [SidecarMode.NATIVE, KubernetesVersion.V1_29, 'the target version 1.29 has no sleep action for preStop hooks (it is on by default from 1.30)'],
    [SidecarMode.CLASSIC, undefined, 'a classic sidecar gets its SIGTERM together with the app containers, and only a preStop hook can hold it back'],
  ])('%s on %s without a shell: the drain cannot be made, and the error says what to do', (mode, kubernetesVersion, why) => {
    const { chart, workload } = web();
    expect(() => new Sidecar(chart, 'helper', { workload, image: 'fluent/fluent-bit:4.0.7', shell: false, mode, kubernetesVersion, drainTime: Duration.seconds(3) }))
      .toThrow(`[test/helper] drainTime: "3s" needs a sleep program in the image, and shell is false: ${why}. Use an image with a shell`);
  });

  test('stopTime counts against the grace period too', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: Sidecar.exitOnSigterm(['sleep', 'infinity']), stopTime: Duration.seconds(30) });
    expect(() => app.synthYaml()).toThrow('terminationGracePeriodSeconds: 30 leaves the app containers no time: the sidecars need 30s');
  });
});

describe('sigtermProblem: the whole reason, and commands that may handle SIGTERM', () => {
  test.each([
    [['sh', '-c', 'sleep 10'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['/bin/bash', '-e', '-c', 'echo start; sleep 10'], 'the bash script sets no trap and execs no program that handles SIGTERM'],
    [['sh', '-c', 'mytrap=1; sleep 10'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['sh', '-c', 'executor --run'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['sh', '-c', 'echo ready; exec sleep infinity'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['sh', '-c', 'exec /usr/bin/tail -F x.log'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['sh', '-c', 'exec   sleep infinity'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['sh', '-c', 'exec\tsleep infinity'], 'the sh script sets no trap and execs no program that handles SIGTERM'],
    [['sh', '-c', 'trap "exit 0" TERM; sleep 10 & wait'], undefined],
    [['sh', '-c', 'echo start; exec fluent-bit -c /etc/fb.conf'], undefined],
    [['sh', '-c', 'exec sleeper'], undefined],
    [['sh', 'run.sh'], undefined],
    [['bash', '-c'], undefined],
    [['python3', '-c', 'import time; time.sleep(10)'], undefined],
    [['fluent-bit', '-c', 'sleep'], undefined],
  ])('%j', (command, problem) => {
    expect(sigtermProblem(command)).toBe(problem);
  });
});

describe('the stop times against the grace period and a Job\'s deadline, at their limits', () => {
  const helper = (chart: Chart, workload: kplus.AbstractPod, id: string, extra: object) =>
    new Sidecar(chart, id, { workload, image: BUSYBOX, command: Sidecar.exitOnSigterm(['sleep', 'infinity']), ...extra });

  test('native sidecars stop one after the other: their times add up; one second under the grace period is fine', () => {
    const { app, chart, workload } = web();
    helper(chart, workload, 'a', { drainTime: Duration.seconds(10), stopTime: Duration.seconds(5) });
    helper(chart, workload, 'b', { drainTime: Duration.seconds(10), stopTime: Duration.seconds(4) });
    expect(() => app.synthYaml()).not.toThrow();
    helper(chart, workload, 'c', { stopTime: Duration.seconds(1) });
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: 30 leaves the app containers no time: the sidecars need 30s to drain and stop (native ones one after the other, after the app), and the kubelet kills what is still running when the grace period ends. Raise terminationGracePeriod on the workload above 30s plus the app\'s own shutdown time, or shorten the sidecars\' drainTime.');
  });

  test('classic sidecars stop together with the app: the longest counts', () => {
    const { app, chart, workload } = web();
    helper(chart, workload, 'a', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(20), stopTime: Duration.seconds(9) });
    helper(chart, workload, 'b', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(20), stopTime: Duration.seconds(9) });
    expect(() => app.synthYaml()).not.toThrow();
    helper(chart, workload, 'c', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(20), stopTime: Duration.seconds(10) });
    expect(() => app.synthYaml()).toThrow('the sidecars need 30s to drain and stop');
  });

  test('a grace period of 0 is fine while no sidecar needs time to stop, and not once one does', () => {
    const { app, chart } = newChart();
    const workload = new kplus.Deployment(chart, 'web', { terminationGracePeriod: Duration.seconds(0), containers: [{ name: 'web', image: BUSYBOX }] });
    helper(chart, workload, 'a', { stopTime: Duration.seconds(0) });
    helper(chart, workload, 'b', { mode: SidecarMode.CLASSIC, stopTime: Duration.seconds(0) });
    expect(() => app.synthYaml()).not.toThrow();
    helper(chart, workload, 'c', { stopTime: Duration.seconds(1) });
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: 0 leaves the app containers no time: the sidecars need 1s to drain and stop');
  });

  test('a longer grace period makes room', () => {
    const { app, chart } = newChart();
    const workload = new kplus.Deployment(chart, 'web', { terminationGracePeriod: Duration.seconds(61), containers: [{ name: 'web', image: BUSYBOX }] });
    helper(chart, workload, 'a', { drainTime: Duration.seconds(58), stopTime: Duration.seconds(2) });
    expect(() => app.synthYaml()).not.toThrow();
  });

  // a fraction of a second failed with cdk8s's bare "'1500 millis' cannot be converted into a whole number of seconds."
  test('a grace period or a Job deadline of a fraction of a second is named', () => {
    const { app, chart } = newChart();
    const workload = new kplus.Deployment(chart, 'web', { terminationGracePeriod: Duration.millis(1500), containers: [{ name: 'web', image: BUSYBOX }] });
    helper(chart, workload, 'a', {});
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: "1.5s" is not a whole number of seconds. Use Duration.seconds(n) with a whole n: Kubernetes takes this field in whole seconds.');
    const other = newChart();
    const job = new kplus.Job(other.chart, 'job', { activeDeadline: Duration.millis(60500), containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }] });
    helper(other.chart, job, 'a', {});
    expect(() => other.app.synthYaml()).toThrow('[test/job] activeDeadlineSeconds: "60.5s" is not a whole number of seconds.');
  });

  test('a Job\'s activeDeadline must be above the sidecars\' stop time', () => {
    const { app, chart } = newChart();
    const job = new kplus.Job(chart, 'job', { activeDeadline: Duration.seconds(12), containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }] });
    helper(chart, job, 'a', { drainTime: Duration.seconds(9), stopTime: Duration.seconds(2) });
    expect(() => app.synthYaml()).not.toThrow();
    const other = newChart();
    const tight = new kplus.Job(other.chart, 'job', { activeDeadline: Duration.seconds(11), containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }] });
    helper(other.chart, tight, 'a', { drainTime: Duration.seconds(9), stopTime: Duration.seconds(2) });
    expect(() => other.app.synthYaml()).toThrow('[test/job] activeDeadlineSeconds: 11 is not above the 11s the sidecars need to drain and stop after the main containers, so the Job would always fail on its deadline. Raise activeDeadline well above the time the main containers and the drain take.');
  });
});
