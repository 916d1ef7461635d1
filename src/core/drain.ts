import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { KubernetesVersion, SidecarMode, targetVersion } from './mode';

/**
 * The first line of the drain wrapper: it tells a reviewer of the manifest why a
 * sidecar's command runs inside a shell script.
 */
const DRAIN_WRAPPER_MARK = '# cdk8s-sidecars: on SIGTERM, keeps this sidecar running for its drain, then stops it';

/**
 * The shell script that runs a sidecar's command and, when SIGTERM (or SIGINT) comes,
 * keeps it running `delaySeconds` more before it passes the signal on, then waits for
 * it to exit. The kubelet sends a native sidecar its SIGTERM only once every app
 * container has exited (and every sidecar declared after it), so there the delay is
 * the drain, counted from the app's exit, however long the app took to stop; a
 * classic sidecar gets SIGTERM together with the app, so there the delay also holds
 * the app's stop.
 *
 * The trap is set before the command starts, so a signal that comes at once is not
 * lost (PID 1 ignores a signal it has no handler for). A second signal does not cut the
 * delay short. The script exits with the command's code, but 0 where the command was
 * ended by the SIGTERM passed on (143): a sidecar stopped on purpose did not fail. A
 * command that ends by itself ends the script with its code. The shell's note on a
 * command it stopped ("Terminated") stays out of the container's log.
 *
 * Called as `sh -c SCRIPT <container> COMMAND ARGS...`.
 *
 * @internal
 */
export function drainWrapper(delaySeconds: number): string {
  return `${DRAIN_WRAPPER_MARK}
term=
trap 'term=1' TERM INT
"$@" &
child=$!
while [ -z "$term" ]; do
  wait "$child"; code=$?
  kill -0 "$child" 2>/dev/null || exit "$code"
done
${drainSleep(delaySeconds)}kill -TERM "$child" 2>/dev/null
wait "$child" 2>/dev/null; code=$?
while kill -0 "$child" 2>/dev/null; do wait "$child" 2>/dev/null; code=$?; done
[ "$code" -eq 143 ] && code=0
exit "$code"
`;
}

/**
 * Shell lines that sleep `seconds` in the background and wait for the sleep until it
 * has ended, so that a trapped signal neither cuts the drain short nor waits for a
 * foreground command to end before its trap runs.
 *
 * @internal
 */
export function drainSleep(seconds: number): string {
  return `sleep ${seconds} &
pause=$!
while kill -0 "$pause" 2>/dev/null; do wait "$pause"; done
`;
}

/**
 * How a sidecar drains: its command run inside the drain wrapper, or a preStop hook
 * that delays its SIGTERM (the built-in sleep action, or `sleep` run in the image).
 *
 * @internal
 */
export interface Drain {
  /** The command to run instead of the sidecar's own, when the wrapper drains. */
  readonly command?: string[];
  /** The preStop sleep action, patched into the rendered manifest. */
  readonly sleepAction?: { sleep: { seconds: number } };
  /** The preStop hook that runs `sleep` in the image. */
  readonly exec?: kplus.Handler;
}

/**
 * What decides a sidecar's drain.
 *
 * @internal
 */
export interface DrainRequest {
  /** The sidecar's container name, `$0` of the wrapper. */
  readonly name: string;
  readonly mode: SidecarMode;
  /** Whether a SidecarJob's completion wrapper runs the sidecar (classic sidecars of a Job). */
  readonly wrappedByJob: boolean;
  readonly drainSeconds: number;
  /** How long the app containers take to exit once the Pod is deleted. */
  readonly appStopSeconds: number;
  readonly hasShell: boolean;
  /** The sidecar's command and arguments, when given (the image's entrypoint otherwise). */
  readonly command?: string[];
  /** The `kubernetesVersion` prop, for the sleep action's availability. */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * Chooses how a sidecar keeps running `drainSeconds` after the app containers have
 * exited, from the order in which the kubelet stops a Pod (kuberuntime's
 * `killContainer`): every container's preStop hook starts at once when the Pod is
 * deleted; a native sidecar then waits for its turn (after every app container) before
 * its SIGTERM; a classic sidecar gets SIGTERM as soon as its own hook is done.
 *
 * - with a shell and a command: the drain wrapper, which on SIGTERM waits
 *   `drainSeconds` (native: SIGTERM comes after the app's exit), or `appStopSeconds +
 *   drainSeconds` (classic: SIGTERM comes with the app's), before it stops the command.
 * - otherwise, a preStop hook sleeping `appStopSeconds + drainSeconds`: the sleep action
 *   for a native sidecar where the target version has it, else `sleep` run in the
 *   image. Every deletion of the Pod then takes that long, however fast the app stops.
 * - classic, in a SidecarJob or SidecarCronJob: nothing here; the completion wrapper
 *   waits for the main containers' exit, then drains.
 *
 * @internal
 */
export function planDrain(scope: IConstruct, request: DrainRequest): Drain {
  const seconds = request.drainSeconds;
  if (seconds === 0 || request.wrappedByJob) {
    return {};
  }
  const native = request.mode === SidecarMode.NATIVE;
  const held = request.appStopSeconds + seconds;
  if (request.hasShell && request.command) {
    return { command: ['/bin/sh', '-c', drainWrapper(native ? seconds : held), request.name, ...request.command] };
  }
  if (native && (targetVersion(scope, request.kubernetesVersion)?.supportsSleepAction ?? true)) {
    return { sleepAction: { sleep: { seconds: held } } };
  }
  if (!request.hasShell) {
    const why = native
      ? `the target version ${targetVersion(scope, request.kubernetesVersion)} has no sleep action for preStop hooks (it is on by default from ${KubernetesVersion.FIRST_WITH_SLEEP_ACTION})`
      : 'a classic sidecar gets its SIGTERM together with the app containers, and only a shell script or a preStop hook can hold it back';
    fail(scope, 'drainTime', `${seconds}s`, `needs a sleep program in the image, and shell is false: ${why}`,
      'Use an image with a shell (for Fluent Bit, the "-debug" variant) and shell: true, target Kubernetes 1.30 or newer in native mode, or set drainTime to Duration.seconds(0) and accept that what the app wrote last may not be processed.');
  }
  return { exec: kplus.Handler.fromCommand(['sleep', String(held)]) };
}
