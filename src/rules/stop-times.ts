import { RenderedPod } from './rule';

/**
 * The stop times of the sidecars this library recorded in a pod template: the native
 * ones' drains and stops add up (they stop one after the other, after the app); of the
 * classic ones, the longest counts (they stop beside the app); and the largest
 * `appStopTime` of any of them.
 *
 * @internal
 */
export function sidecarStopTimes(pod: RenderedPod): { sidecars: number; appStop: number } {
  let native = 0;
  let classic = 0;
  let appStop = 0;
  for (const c of pod.initContainers) {
    const info = pod.record.sidecars.get(c.name);
    native += info ? info.drainSeconds + info.stopSeconds : 0;
    appStop = Math.max(appStop, info?.appStopSeconds ?? 0);
  }
  for (const c of pod.containers) {
    const info = pod.record.sidecars.get(c.name);
    classic = Math.max(classic, info ? info.drainSeconds + info.stopSeconds : 0);
    appStop = Math.max(appStop, info?.appStopSeconds ?? 0);
  }
  return { sidecars: native + classic, appStop };
}
