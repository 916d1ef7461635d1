import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { SidecarJobOptions, checkJobDurations, jobDefaults } from './sidecar-job';
import { CompletionSignal } from '../core/completion';
import { SidecarMode, resolveMode } from '../core/mode';
import { addRuleChecks } from '../rules/synth-check';

/**
 * Props of a `SidecarCronJob`: those of a cdk8s-plus CronJob, with the defaults of this library.
 */
export interface SidecarCronJobProps extends kplus.CronJobProps, SidecarJobOptions {
}

/**
 * A cdk8s-plus CronJob whose Jobs complete although sidecars run beside their main
 * containers; see `SidecarJob` for how, and for the Job defaults it shares.
 *
 * CronJob defaults, each overridable:
 * - `concurrencyPolicy` Forbid: a run that overruns its schedule is not joined by a second;
 * - `startingDeadline` 5 minutes (cdk8s-plus: 10 seconds): a run that could not start on
 *   time (controller restart, full cluster) still starts within five minutes, and later
 *   ones are skipped rather than piled up;
 * - `successfulJobsRetained` 3 and `failedJobsRetained` 1, the Kubernetes defaults;
 * - no `ttlAfterFinished`: the history limits clean up, and Kubernetes allows only one of the two.
 */
export class SidecarCronJob extends kplus.CronJob {
  private readonly signal: CompletionSignal;

  constructor(scope: Construct, id: string, props: SidecarCronJobProps) {
    // cdk8s-plus converts startingDeadline in its constructor, with no path in its error
    checkJobDurations({ node: { path: [scope.node.path, id].filter(p => p).join('/') } } as IConstruct, { startingDeadline: props.startingDeadline });
    super(scope, id, {
      // no ttlAfterFinished: the history limits below clean up a CronJob's Jobs
      ...jobDefaults(props, undefined),
      concurrencyPolicy: props.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: props.startingDeadline ?? Duration.minutes(5),
      successfulJobsRetained: props.successfulJobsRetained ?? 3,
      failedJobsRetained: props.failedJobsRetained ?? 1,
    });
    checkJobDurations(this, { activeDeadline: props.activeDeadline, ttlAfterFinished: props.ttlAfterFinished });
    this.signal = new CompletionSignal(this, this, resolveMode(this, props.mode, props.kubernetesVersion));
    for (const container of props.containers ?? []) {
      this.addContainer(container);
    }
    addRuleChecks(this);
  }

  /**
   * The mode of the Jobs' sidecars.
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
