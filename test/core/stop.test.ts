import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KubernetesVersion, PodSpecPatches, Sidecar, SidecarMode } from '../../src';
import { drainWrapper } from '../../src/core/drain';
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
  test('native with a command: the drain wrapper runs it, named $0; no preStop hook, a postStart hook kept', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', {
      workload,
      image: BUSYBOX,
      command: ['tail', '-F'],
      args: ['/logs/app.log'],
      drainTime: Duration.seconds(4),
      lifecycle: { postStart: kplus.Handler.fromCommand(['touch', '/tmp/up']) },
    });
    const helper = podSpec(only(synth(app), 'Deployment')).initContainers[0];
    expect(helper.command).toEqual(['/bin/sh', '-c', drainWrapper(4), 'helper', 'tail', '-F', '/logs/app.log']);
    expect(helper.args).toBeUndefined();
    expect(helper.lifecycle).toEqual({ postStart: { exec: { command: ['touch', '/tmp/up'] } } });
  });

  test('native without a command (the image\'s entrypoint), or without a shell: a preStop sleep of appStopTime + drainTime', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'entry', { workload, image: 'envoyproxy/envoy:v1.37.6', drainTime: Duration.seconds(4) });
    new Sidecar(chart, 'noshell', { workload, image: 'fluent/fluent-bit:4.0.7', shell: false, command: ['/fluent-bit/bin/fluent-bit'], drainTime: Duration.seconds(4), appStopTime: Duration.seconds(3) });
    const [entry, noshell] = podSpec(only(synth(app), 'Deployment')).initContainers;
    expect(entry.command).toBeUndefined();
    expect(entry.lifecycle).toEqual({ preStop: { sleep: { seconds: 14 } } });
    expect(noshell.command).toEqual(['/fluent-bit/bin/fluent-bit']);
    expect(noshell.lifecycle).toEqual({ preStop: { sleep: { seconds: 7 } } });
  });

  test('on 1.29 (from the app context), a sidecar without a command gets sleep run in the image; one with a command the wrapper', () => {
    const app = new App();
    app.node.setContext(KubernetesVersion.CONTEXT_KEY, '1.29');
    const chart = new Chart(app, 'test');
    const workload = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080 }] });
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, drainTime: Duration.seconds(4) });
    new Sidecar(chart, 'wrapped', { workload, image: BUSYBOX, command: ['cat'], drainTime: Duration.seconds(4) });
    const [helper, wrapped] = podSpec(only(synth(app), 'Deployment')).initContainers;
    expect(helper.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '14'] } } });
    expect(wrapped.lifecycle).toBeUndefined();
    expect(wrapped.command[2]).toBe(drainWrapper(4));
  });

  test('classic outside a Job: the wrapper holds SIGTERM appStopTime + drainTime; without a command, sleep in a preStop hook', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, mode: SidecarMode.CLASSIC, command: ['tail', '-F', '/x'], drainTime: Duration.seconds(2) });
    new Sidecar(chart, 'entry', { workload, image: BUSYBOX, mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(2), appStopTime: Duration.seconds(5) });
    const [, helper, entry] = podSpec(only(synth(app), 'Deployment')).containers;
    expect(helper.command).toEqual(['/bin/sh', '-c', drainWrapper(12), 'helper', 'tail', '-F', '/x']);
    expect(helper.lifecycle).toBeUndefined();
    expect(entry.command).toBeUndefined();
    expect(entry.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '7'] } } });
  });

  test('a command that ignores SIGTERM is not PID 1 inside the drain wrapper, and passes, native or classic; without a drain it is', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: ['tail', '-F', '/x'], drainTime: Duration.seconds(1) });
    new Sidecar(chart, 'classic', { workload, image: BUSYBOX, mode: SidecarMode.CLASSIC, command: ['tail', '-F', '/y'], drainTime: Duration.seconds(1) });
    expect(() => app.synthYaml()).not.toThrow();
    const other = web();
    new Sidecar(other.chart, 'helper', { workload: other.workload, image: BUSYBOX, mode: SidecarMode.CLASSIC, command: ['tail', '-F', '/x'] });
    expect(() => other.app.synthYaml()).toThrow('[test/web] containers[helper].command: "tail -F /x" ignores SIGTERM as PID 1');
  });

  test('appStopTime must be whole seconds', () => {
    const { chart, workload } = web();
    expect(() => new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: ['cat'], appStopTime: Duration.millis(2500) }))
      .toThrow('[test/helper] appStopTime: "2.5s" is not a whole number of seconds');
  });

  test('a preStop hook of its own and a drainTime that makes one', () => {
    const { chart, workload } = web();
    expect(() => new Sidecar(chart, 'helper', {
      workload, image: BUSYBOX, mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(4), lifecycle: { preStop: kplus.Handler.fromCommand(['true']) },
    })).toThrow('[test/helper] lifecycle.preStop: "a preStop hook" is given together with drainTime, which here makes the preStop hook (the sidecar has no shell or no command). Keep one');
    // the drain wrapper needs no hook: both stay
    const other = web();
    new Sidecar(other.chart, 'helper', {
      workload: other.workload, image: BUSYBOX, command: ['cat'], drainTime: Duration.seconds(4), lifecycle: { preStop: kplus.Handler.fromCommand(['true']) },
    });
    expect(podSpec(only(synth(other.app), 'Deployment')).initContainers[0].lifecycle).toEqual({ preStop: { exec: { command: ['true'] } } });
  });

  test.each([
    [SidecarMode.NATIVE, KubernetesVersion.V1_29, 'the target version 1.29 has no sleep action for preStop hooks (it is on by default from 1.30)'],
    [SidecarMode.CLASSIC, undefined, 'a classic sidecar gets its SIGTERM together with the app containers, and only a shell script or a preStop hook can hold it back'],
  ])('%s on %s without a shell: the drain cannot be made, and the error says what to do', (mode, kubernetesVersion, why) => {
    const { chart, workload } = web();
    expect(() => new Sidecar(chart, 'helper', { workload, image: 'fluent/fluent-bit:4.0.7', shell: false, mode, kubernetesVersion, drainTime: Duration.seconds(3) }))
      .toThrow(`[test/helper] drainTime: "3s" needs a sleep program in the image, and shell is false: ${why}. Use an image with a shell`);
  });

  test('stopTime and appStopTime count against the grace period too', () => {
    const { app, chart, workload } = web();
    new Sidecar(chart, 'helper', { workload, image: BUSYBOX, command: Sidecar.exitOnSigterm(['sleep', 'infinity']), stopTime: Duration.seconds(20) });
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: 30 cannot hold the app\'s stop and the sidecars\': 10s for the app containers to exit (appStopTime), then 20s for the sidecars to drain and stop');
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

  test('native sidecars stop one after the other, after the app: their times add up; one second under the grace period is fine', () => {
    const { app, chart, workload } = web();
    helper(chart, workload, 'a', { drainTime: Duration.seconds(5), stopTime: Duration.seconds(5) });
    helper(chart, workload, 'b', { drainTime: Duration.seconds(5), stopTime: Duration.seconds(4) });
    expect(() => app.synthYaml()).not.toThrow();
    helper(chart, workload, 'c', { stopTime: Duration.seconds(1) });
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: 30 cannot hold the app\'s stop and the sidecars\': 10s for the app containers to exit (appStopTime), then 20s for the sidecars to drain and stop (native ones one after the other, after the app), and the kubelet kills what is still running when the grace period ends. Raise terminationGracePeriod on the workload above 30s, or lower appStopTime to what the app really takes, or shorten the sidecars\' drainTime.');
  });

  test('classic sidecars stop together with the app: the longest counts', () => {
    const { app, chart, workload } = web();
    helper(chart, workload, 'a', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(10), stopTime: Duration.seconds(9) });
    helper(chart, workload, 'b', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(10), stopTime: Duration.seconds(9) });
    expect(() => app.synthYaml()).not.toThrow();
    helper(chart, workload, 'c', { mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(10), stopTime: Duration.seconds(10) });
    expect(() => app.synthYaml()).toThrow('then 20s for the sidecars to drain and stop');
  });

  test('the largest appStopTime of the workload\'s sidecars counts, native or classic', () => {
    const { app, chart, workload } = web();
    helper(chart, workload, 'a', { appStopTime: Duration.seconds(3) });
    helper(chart, workload, 'b', { mode: SidecarMode.CLASSIC, appStopTime: Duration.seconds(26) });
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: 30 cannot hold the app\'s stop and the sidecars\': 26s for the app containers to exit (appStopTime), then 4s');
    const other = web();
    helper(other.chart, other.workload, 'a', { appStopTime: Duration.seconds(26), stopTime: Duration.seconds(3) });
    expect(() => other.app.synthYaml()).not.toThrow();
  });

  test('a grace period of 0 is fine while no sidecar needs time to stop, and not once one does', () => {
    const { app, chart } = newChart();
    const workload = new kplus.Deployment(chart, 'web', { terminationGracePeriod: Duration.seconds(0), containers: [{ name: 'web', image: BUSYBOX }] });
    helper(chart, workload, 'a', { stopTime: Duration.seconds(0) });
    helper(chart, workload, 'b', { mode: SidecarMode.CLASSIC, stopTime: Duration.seconds(0) });
    expect(() => app.synthYaml()).not.toThrow();
    helper(chart, workload, 'c', { stopTime: Duration.seconds(1), appStopTime: Duration.seconds(0) });
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: 0 cannot hold the app\'s stop and the sidecars\': 10s for the app containers to exit (appStopTime), then 1s');
  });

  test('a longer grace period makes room', () => {
    const { app, chart } = newChart();
    const workload = new kplus.Deployment(chart, 'web', { terminationGracePeriod: Duration.seconds(71), containers: [{ name: 'web', image: BUSYBOX }] });
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
