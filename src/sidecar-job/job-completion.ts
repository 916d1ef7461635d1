import { Construct, IConstruct } from 'constructs';
import { SidecarJobOptions } from './sidecar-job';
import { CompletionSignal } from '../core/completion';
import { fail } from '../core/errors';
import { SidecarMode, resolveMode } from '../core/mode';
import { isJobKind } from '../core/pod-template';
import { Workload } from '../core/workload';
import { addRuleChecks } from '../rules/synth-check';

/**
 * Props of a `JobCompletion`.
 */
export interface JobCompletionProps extends SidecarJobOptions {
  /**
   * The Job or CronJob whose Pods must complete although sidecars run: a Job or
   * CronJob of any cdk8s-plus line, an object from `cdk8s import k8s` (`KubeJob`,
   * `KubeCronJob`), a `new ApiObject(...)`, or one ApiObject of an `Include`. Create
   * the JobCompletion before the Job's sidecars, so that they follow its mode.
   */
  readonly job: IConstruct;
}

/**
 * What `SidecarJob` and `SidecarCronJob` give a cdk8s-plus-28 Job, for a Job or
 * CronJob of any source: its sidecars follow one mode, and the Job completes although
 * they run.
 *
 * In native mode the sidecars are restartable init containers, which the kubelet stops
 * once the main containers have ended; nothing else changes. In classic mode (clusters
 * before 1.29) every main container of the rendered pod template (each regular
 * container that is not a sidecar of this library) gets its command wrapped, at render
 * time, to write its exit code to a shared in-memory volume when it ends (the container
 * still exits with that code), and each classic sidecar's command is wrapped to stop
 * when all of them have. Every main container then needs its full `command` in the
 * manifest. The Job's own fields (`backoffLimit`, deadlines) stay as the Job sets them.
 */
export class JobCompletion extends Construct {
  /**
   * The signal, found by the sidecars through the Job.
   */
  private readonly signal: CompletionSignal;

  constructor(scope: Construct, id: string, props: JobCompletionProps) {
    super(scope, id);
    const workload = Workload.of(this, 'job', props.job);
    if (!isJobKind(workload.kind)) {
      fail(this, 'job', workload.path, `is a ${workload.kind}, which runs until it is deleted, so there is nothing to complete`,
        'Give a Job or a CronJob; sidecars of other workloads need no JobCompletion.');
    }
    if (CompletionSignal.of(props.job) !== undefined) {
      fail(this, 'job', workload.path, 'already completes with its sidecars (a SidecarJob, a SidecarCronJob or another JobCompletion)',
        'Remove this JobCompletion: the Job has one already.');
    }
    if (workload.sidecarNames.length > 0) {
      fail(this, 'job', workload.path, `already has the sidecars ${workload.sidecarNames.join(', ')}, created before this JobCompletion`,
        'Create the JobCompletion first, then the sidecars, so that they follow its mode.');
    }
    this.signal = new CompletionSignal(this, props.job, resolveMode(this, props.mode, props.kubernetesVersion));
    this.signal.wrapRenderedMains();
    addRuleChecks(this);
  }

  /**
   * The mode of the Job's sidecars.
   */
  public get sidecarMode(): SidecarMode {
    return this.signal.mode;
  }
}
