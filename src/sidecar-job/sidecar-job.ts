import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { CompletionSignal } from '../core/completion';
import { KubernetesVersion, SidecarMode, resolveMode } from '../core/mode';
import { wholeSeconds } from '../core/validate';
import { addRuleChecks } from '../rules/synth-check';

/**
 * What a SidecarJob and a SidecarCronJob add to the cdk8s-plus props.
 */
export interface SidecarJobOptions {
  /**
   * How the Job's sidecars run: native sidecars stop by themselves when the main
   * containers end; classic ones are stopped by a completion signal, for which every
   * main container needs an explicit `command`. Sidecars attached to the Job follow
   * this mode unless they set their own.
   *
   * @default - native, unless `kubernetesVersion` (or the context key
   * `cdk8s-sidecars:kubernetesVersion`) names a version older than 1.29
   */
  readonly mode?: SidecarMode;

  /**
   * The Kubernetes version the manifests are for.
   *
   * @default - the context key `cdk8s-sidecars:kubernetesVersion`, else no particular version
   */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * Props of a `SidecarJob`: those of a cdk8s-plus Job, with Job defaults of this library.
 */
export interface SidecarJobProps extends kplus.JobProps, SidecarJobOptions {
}

/**
 * The Job defaults of this library, each documented on the construct.
 *
 * @internal
 */
export function jobDefaults<T extends kplus.JobProps>(props: T, ttlAfterFinished: Duration | undefined): T {
  return {
    ...props,
    backoffLimit: props.backoffLimit ?? 3,
    activeDeadline: props.activeDeadline ?? Duration.hours(1),
    ttlAfterFinished: props.ttlAfterFinished ?? ttlAfterFinished,
    // added one by one after the completion signal exists (see addContainer)
    containers: undefined,
  };
}

/**
 * Checks the Job durations Kubernetes counts in whole seconds, so that a fraction
 * stops the synth with the construct path and the field rather than a bare message
 * from deep inside the rendering.
 *
 * @internal
 */
export function checkJobDurations(scope: IConstruct, durations: { [field: string]: Duration | undefined }): void {
  for (const [field, duration] of Object.entries(durations)) {
    if (duration !== undefined) {
      wholeSeconds(scope, field, duration);
    }
  }
}

/**
 * A cdk8s-plus Job that completes although sidecars run beside its main containers.
 *
 * In native mode its sidecars are restartable init containers, which the kubelet
 * stops once the main containers have ended. In classic mode (clusters before 1.29)
 * each main container's command is wrapped to write its exit code to a shared
 * in-memory volume when it ends (the container still exits with that code), and each
 * sidecar's command is wrapped to stop when all of them have.
 *
 * Defaults that differ from cdk8s-plus and Kubernetes, each overridable:
 * - `backoffLimit` 3 (Kubernetes: 6): a Job that fails three times in a row rarely
 *   succeeds on the fourth, and six retries with back-off hide the failure for minutes;
 * - `activeDeadline` 1 hour (Kubernetes: none): a hung Job gets killed and reported;
 * - `ttlAfterFinished` 1 day (Kubernetes: keep forever): finished Jobs and their logs
 *   stay a day for inspection, then go.
 */
export class SidecarJob extends kplus.Job {
  private readonly signal: CompletionSignal;

  constructor(scope: Construct, id: string, props: SidecarJobProps = {}) {
    super(scope, id, jobDefaults(props, Duration.days(1)));
    checkJobDurations(this, { activeDeadline: props.activeDeadline, ttlAfterFinished: props.ttlAfterFinished });
    this.signal = new CompletionSignal(this, this, resolveMode(this, props.mode, props.kubernetesVersion));
    for (const container of props.containers ?? []) {
      this.addContainer(container);
    }
    addRuleChecks(this);
  }

  /**
   * The mode of the Job's sidecars.
   */
  public get sidecarMode(): SidecarMode {
    return this.signal.mode;
  }

  /**
   * Adds a main container; in classic mode its command is wrapped to report its exit code.
   */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    return this.signal.addMain(cont, props => super.addContainer(props));
  }
}
