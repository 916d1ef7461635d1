import { commandWords } from './containers';
import { neverExits, wrappedBySidecarJob } from './job-never-completes';
import { Rule } from './rule';
import { isJobKind } from '../core/pod-template';

const FIX = 'Make the containers that serve until stopped native sidecars (init containers with restartPolicy: Always, Kubernetes 1.29+), '
  + 'or build the Job with SidecarJob or JobCompletion, which stop classic sidecars when the main containers are done; '
  + 'if each of them exits by itself, suppress this rule for the workload with that reason.';

/**
 * The regular containers of a Job's Pod that nothing shows to end or to run forever:
 * neither a classic sidecar stopped by SidecarJob's wrapper, nor one the rule
 * `job-never-completes` reports.
 *
 * @internal
 */
export function undeterminedContainers(pod: { containers: any[]; record: { sidecars: Map<string, unknown> } }): any[] {
  return pod.containers.filter(c => {
    const words = commandWords(c);
    return !wrappedBySidecarJob(words) && !pod.record.sidecars.has(c.name) && !neverExits(words.join(' '));
  });
}

/**
 * A Job's Pod completes when every regular container has exited; with two or more
 * that may each serve until stopped (a proxy with no command, such as
 * cloud-sql-proxy, looks like any batch step), the plan cannot show that it does.
 */
export const jobCompletionUnknown: Rule = {
  id: 'job-completion-unknown',
  level: 'warning',
  checks: 'In a Job or CronJob, at most one regular container is neither a classic sidecar stopped by SidecarJob\'s wrapper nor reported by job-never-completes: with two or more, nothing shows that each exits by itself.',
  fix: FIX,
  check(pod) {
    if (!isJobKind(pod.kind)) {
      return [];
    }
    const undetermined = undeterminedContainers(pod);
    if (undetermined.length < 2) {
      return [];
    }
    return [{
      field: 'containers',
      value: undetermined.map(c => c.name),
      fix: FIX,
      problem: 'run side by side in this Job, and nothing shows that each exits by itself: the Pod, and with it the Job, completes only when every one has exited, '
        + 'and one that serves until stopped (a proxy, an agent) keeps the Job running until its activeDeadlineSeconds, or forever',
    }];
  },
};
