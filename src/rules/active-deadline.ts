import { Rule } from './rule';
import { sidecarStopTimes } from './stop-times';

/** A Job's deadline leaves time for the sidecars to drain and stop. */
export const activeDeadline: Rule = {
  id: 'active-deadline',
  level: 'error',
  checks: 'A Job\'s activeDeadlineSeconds is above the drain and stop times of the sidecars of this library, which run after the main containers have ended.',
  fix: 'Raise activeDeadlineSeconds well above the time the main containers and the drain take.',
  check(pod) {
    const job = pod.kind === 'Job' ? pod.manifest.spec : pod.kind === 'CronJob' ? pod.manifest.spec?.jobTemplate?.spec : undefined;
    const deadline = job?.activeDeadlineSeconds;
    const { sidecars } = sidecarStopTimes(pod);
    if (typeof deadline !== 'number' || sidecars < deadline) {
      return [];
    }
    return [{
      field: 'activeDeadlineSeconds',
      value: deadline,
      problem: `is not above the ${sidecars}s the sidecars need to drain and stop after the main containers, so the Job would always fail on its deadline`,
      fix: 'Raise activeDeadline well above the time the main containers and the drain take.',
    }];
  },
};
