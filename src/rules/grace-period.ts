import { Rule } from './rule';
import { sidecarStopTimes } from './stop-times';

/** The grace period holds the app's stop and the sidecars' drains and stops. */
export const gracePeriod: Rule = {
  id: 'grace-period',
  level: 'error',
  checks: 'terminationGracePeriodSeconds (30 when not set) is above the app\'s appStopTime plus the drain and stop times of the sidecars of this library: native ones one after the other, the longest classic one beside them.',
  fix: 'Raise terminationGracePeriodSeconds, lower appStopTime to what the app really takes, or shorten the sidecars\' drainTime.',
  check(pod) {
    const { sidecars, appStop } = sidecarStopTimes(pod);
    const set = pod.spec.terminationGracePeriodSeconds;
    const grace = typeof set === 'number' ? set : 30;
    const needed = appStop + sidecars;
    if (sidecars === 0 || needed < grace) {
      return [];
    }
    return [{
      field: 'terminationGracePeriodSeconds',
      value: grace,
      problem: `cannot hold the app's stop and the sidecars': ${appStop}s for the app containers to exit (appStopTime), then ${sidecars}s for the sidecars to drain and stop (native ones one after the other, after the app), and the kubelet kills what is still running when the grace period ends`,
      fix: `Raise terminationGracePeriod on the workload above ${needed}s, or lower appStopTime to what the app really takes, or shorten the sidecars' drainTime.`,
    }];
  },
};
