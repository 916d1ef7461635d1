import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/**
 * Escape hatches for Pod spec fields that cdk8s-plus-28 has no prop for.
 *
 * They add JSON patches to the workload's API object, at the place where its Pod
 * spec lives (`/spec` of a Pod, `/spec/template/spec` of a Deployment, StatefulSet,
 * DaemonSet or Job, `/spec/jobTemplate/spec/template/spec` of a CronJob).
 */
export class PodSpecPatches {
  /**
   * The JSON pointer of the Pod spec inside the workload's manifest.
   *
   * @param workload a cdk8s-plus Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob
   */
  public static podSpecPath(workload: kplus.AbstractPod): string {
    if (workload instanceof kplus.Pod) {
      return '/spec';
    }
    if (workload instanceof kplus.CronJob) {
      return '/spec/jobTemplate/spec/template/spec';
    }
    return '/spec/template/spec';
  }

  /**
   * Sets `shareProcessNamespace: true`: every container of the Pod sees the
   * processes of the others (and can signal them, within its own privileges).
   *
   * @param workload the workload whose Pods share one process namespace
   */
  public static shareProcessNamespace(workload: kplus.AbstractPod): void {
    PodSpecPatches.set(workload, 'shareProcessNamespace', true);
  }

  /**
   * Sets one field of the Pod spec to a value, replacing what cdk8s-plus rendered.
   *
   * @param workload the workload to patch
   * @param field the name of a PodSpec field, for example `shareProcessNamespace`
   * @param value its value, as it should appear in the manifest
   */
  public static set(workload: kplus.AbstractPod, field: string, value: any): void {
    ApiObject.of(workload).addJsonPatch(JsonPatch.add(`${PodSpecPatches.podSpecPath(workload)}/${field}`, value));
  }

  private constructor() {
  }
}
