import { ApiObject, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { drainSleep } from './drain';
import { fail, nameInPath } from './errors';
import { SidecarMode } from './mode';
import { manifestOf } from './pod-template';
import { SharedVolume } from './shared-volume';
import { Workload } from './workload';

/** Where the completion signal volume is mounted, in main containers and sidecars alike. */
export const SIGNAL_DIR = '/run/sidecar-job';

/**
 * The shell script that runs a main container's command and, when it ends, writes
 * its exit code to `$SIGNAL_DIR/<container>.exit` and exits with that code. SIGTERM
 * and SIGINT are passed on to the command; the trap is set before the command starts
 * (PID 1 discards a signal it has no handler for), and a signal that came before the
 * command did is passed on as soon as it runs.
 *
 * Called as `sh -c SCRIPT <container> COMMAND ARGS...`: `$0` is the container name.
 *
 * @internal
 */
export const MAIN_WRAPPER = `
child= term=
trap 'term=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null' TERM INT
"$@" &
child=$!
[ -z "$term" ] || kill -TERM "$child" 2>/dev/null
wait "$child"; code=$?
while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
echo "$code" > "${SIGNAL_DIR}/$0.exit.tmp" && mv "${SIGNAL_DIR}/$0.exit.tmp" "${SIGNAL_DIR}/$0.exit"
exit "$code"
`.trimStart();

/**
 * The first line of a classic sidecar's wrapper: it lets a reader of the manifest
 * (the plan) know that the container stops when the main containers are done.
 *
 * @internal
 */
export const SIDECAR_WRAPPER_MARK = '# cdk8s-sidecars: stops this sidecar when the main containers are done';

/**
 * The shell script that runs a sidecar's command until every main container has
 * written its exit code (it looks once a second, the first time after a second), then
 * gives the sidecar `drainSeconds` to finish what the main containers left (a log
 * shipper reads their last lines), stops it with SIGTERM and exits 0 (a sidecar
 * stopped on purpose must not fail the Pod). A sidecar that dies on its own exits with
 * its own code.
 *
 * A SIGTERM to the script (the Pod is deleted) changes nothing: the main containers
 * get it at the same moment, their wrappers write their exit codes once they have
 * exited, and the sidecar is then drained and stopped as at the Job's end, so the
 * drain counts from the main containers' exit in both cases. The trap is a no-op
 * rather than none, so that the script is not killed where it is not PID 1 (a Pod
 * that shares its process namespace); a caught signal is reset for the command, which
 * keeps its own SIGTERM handling. Sleeps run in the background and are waited for.
 *
 * Called as `sh -c SCRIPT <sidecar> COMMAND ARGS...`.
 *
 * @internal
 */
export function sidecarWrapper(mainContainers: string[], drainSeconds: number): string {
  const done = mainContainers.map(name => `[ -e "${SIGNAL_DIR}/${name}.exit" ]`).join(' && ');
  const drain = drainSeconds > 0 ? drainSleep(drainSeconds) : '';
  return `${SIDECAR_WRAPPER_MARK}
trap : TERM INT
"$@" &
child=$!
while :; do
  sleep 1 & wait $!
  if ! kill -0 "$child" 2>/dev/null; then wait "$child"; exit $?; fi
  if ${done}; then break; fi
done
${drain}kill -TERM "$child" 2>/dev/null
while kill -0 "$child" 2>/dev/null; do wait "$child" 2>/dev/null; done
exit 0
`;
}

const signals = new WeakMap<ApiObject, CompletionSignal>();

/**
 * The "done" signal of a classic-mode SidecarJob, SidecarCronJob or JobCompletion: a
 * shared volume where each main container writes its exit code when it ends, and that
 * each classic sidecar watches to stop when all of them have. Kept per manifest, so a
 * Job is found by its construct or by its ApiObject alike.
 *
 * @internal
 */
export class CompletionSignal {
  /** The signal of a workload, if it has one. */
  public static of(workload: IConstruct): CompletionSignal | undefined {
    const apiObject = manifestOf(workload);
    return apiObject && signals.get(apiObject);
  }

  private readonly mainContainers: string[] = [];
  private volume?: SharedVolume;

  /**
   * @param scope the construct that owns the signal's volume, named in errors
   * @param workload the Job or CronJob
   * @param mode the mode of its sidecars
   */
  constructor(private readonly scope: IConstruct, private readonly workload: IConstruct, public readonly mode: SidecarMode) {
    signals.set(manifestOf(workload)!, this);
  }

  /**
   * In classic mode, wraps every main container of the rendered pod template (its
   * regular containers that are not sidecars of this library) to write its exit code,
   * and mounts the signal volume into it: for a Job of any source, whose containers
   * this library did not add. A main container without a `command` is an error.
   */
  public wrapRenderedMains(): void {
    if (this.mode === SidecarMode.NATIVE) {
      return;
    }
    const workload = Workload.of(this.scope, 'job', this.workload);
    // the shared volume adds itself to the Pod
    const volume = this.signalVolume().volume;
    workload.addAppChange((containers: any[]) => {
      this.mainContainers.splice(0, this.mainContainers.length, ...containers.map(c => c.name));
      for (const container of containers) {
        const command: string[] | undefined = container.command;
        if (!command || command.length === 0) {
          fail(this.scope, `containers[${nameInPath(container.name)}].command`, command,
            `is needed: in classic mode the command of every main container of ${workload.path} is wrapped so that it reports its exit code to the sidecars`,
            'Give the container its full command (the image entrypoint and arguments) in the manifest, or use native mode on Kubernetes 1.29 or newer.');
        }
        container.command = ['/bin/sh', '-c', MAIN_WRAPPER, container.name, ...command, ...container.args ?? []];
        delete container.args;
        (container.volumeMounts ??= []).push({ mountPath: SIGNAL_DIR, name: volume.name, readOnly: false });
      }
    });
  }

  /**
   * Adds a main container through `add` (the Job's own addContainer): in classic mode
   * its command is first wrapped to write its exit code, and the signal volume mounted.
   */
  public addMain(props: kplus.ContainerProps, add: (props: kplus.ContainerProps) => kplus.Container): kplus.Container {
    const name = props.name ?? 'main';
    this.mainContainers.push(name);
    if (this.mode === SidecarMode.NATIVE) {
      return add(props);
    }
    if (!props.command) {
      fail(this.workload, `containers[${nameInPath(name)}].command`, props.command,
        'is needed: in classic mode the command is wrapped so that the container reports its exit code to the sidecars',
        'Give the container its full command (the image entrypoint and arguments), or use native mode on Kubernetes 1.29 or newer.');
    }
    const container = add({
      ...props,
      command: ['/bin/sh', '-c', MAIN_WRAPPER, name, ...props.command, ...props.args ?? []],
      args: undefined,
    });
    this.signalVolume().mount(container, SIGNAL_DIR);
    return container;
  }

  /**
   * The command of a classic sidecar, wrapped to stop `drainSeconds` after every main
   * container is done. The list of main containers is read at synth time, so containers added
   * after the sidecar count too.
   */
  public wrapSidecar(scope: IConstruct, name: string, command: string[] | undefined, args: string[] | undefined,
    hasShell: boolean, drainSeconds: number): string[] {
    if (this.mode === SidecarMode.NATIVE) {
      fail(scope, 'mode', SidecarMode.CLASSIC, `is not the mode of its ${this.workload.node.path}, which is native, so nothing would stop this sidecar and the Job would never complete`,
        'Leave the sidecar\'s mode unset (it follows the Job\'s), or set mode: SidecarMode.CLASSIC on the Job.');
    }
    if (!command) {
      fail(scope, 'command', command, 'is needed: a classic sidecar of a Job is wrapped so that it stops when the main containers are done',
        'Give the sidecar its full command, or use native mode on Kubernetes 1.29 or newer.');
    }
    if (!hasShell) {
      fail(scope, 'image', 'an image without /bin/sh', 'cannot be wrapped: a classic sidecar of a Job needs a shell to watch for the end of the main containers',
        'Use an image variant with a shell (for example a "-debug" tag), or native mode on Kubernetes 1.29 or newer.');
    }
    const script = Lazy.any({ produce: () => sidecarWrapper(this.mainContainers, drainSeconds) }) as unknown as string;
    return ['/bin/sh', '-c', script, name, ...command, ...args ?? []];
  }

  /**
   * Mounts the signal volume, read-only, into a wrapped sidecar.
   */
  public mountSidecar(container: kplus.Container): void {
    this.signalVolume().mount(container, SIGNAL_DIR, { readOnly: true });
  }

  private signalVolume(): SharedVolume {
    if (!this.volume) {
      this.volume = new SharedVolume(this.scope, 'CompletionSignal', {
        workload: this.workload, name: 'sidecar-job-signal', medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1),
      });
    }
    return this.volume;
  }
}
