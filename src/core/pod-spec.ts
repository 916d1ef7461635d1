import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { podSpecPointer, workloadApiObject } from './pod-template';

/**
 * Escape hatches for Pod spec fields that cdk8s-plus-28 has no prop for.
 *
 * They patch the workload's manifest where its Pod spec lives (`/spec` of a Pod,
 * `/spec/template/spec` of a Deployment, StatefulSet, DaemonSet or Job,
 * `/spec/jobTemplate/spec/template/spec` of a CronJob), after cdk8s-plus has rendered
 * it, so that fields newer than cdk8s-plus-28's Kubernetes 1.28 schema are kept.
 */
export class PodSpecPatches {
  /**
   * The JSON pointer of the Pod spec inside the workload's manifest.
   *
   * @param workload a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or
   * CronJob: a workload of any cdk8s-plus line, or its ApiObject (`cdk8s import`,
   * `Include`)
   */
  public static podSpecPath(workload: IConstruct): string {
    return podSpecPointer(workloadApiObject(workload, 'workload', workload).kind)!;
  }

  /**
   * Sets `shareProcessNamespace: true`: every container of the Pod sees the
   * processes of the others (and can signal them, within its own privileges).
   *
   * @param workload the workload whose Pods share one process namespace
   */
  public static shareProcessNamespace(workload: IConstruct): void {
    PodSpecPatches.set(workload, 'shareProcessNamespace', true);
  }

  /**
   * Sets one field of the Pod spec to a value, replacing what cdk8s-plus rendered.
   *
   * @param workload the workload to patch
   * @param field the name of a PodSpec field, for example `shareProcessNamespace`
   * @param value its value, as it should appear in the manifest
   */
  public static set(workload: IConstruct, field: string, value: any): void {
    addRenderedPatch(workload, JsonPatch.add(`${PodSpecPatches.podSpecPath(workload)}/${field}`, value));
  }

  private constructor() {
  }
}

const renderedTransforms = new WeakMap<ApiObject, Array<(manifest: any) => any>>();

/**
 * Adds a JSON patch that applies to the workload's manifest as rendered: after
 * cdk8s-plus-28's typed import has turned it into JSON, which drops every field its
 * Kubernetes 1.28 schema does not know (`addJsonPatch` patches come before that, so a
 * newer field such as a hook's `sleep` action would be lost without a word).
 *
 * @internal
 */
export function addRenderedPatch(workload: IConstruct, patch: JsonPatch): void {
  addRenderedTransform(workload, manifest => JsonPatch.apply(manifest, patch));
}

/**
 * Adds a change of the workload's rendered manifest (see `addRenderedPatch`); changes
 * apply in the order added (`first`: before every other), and keys are sorted again
 * afterwards.
 *
 * @internal
 */
export function addRenderedTransform(workload: IConstruct, transform: (manifest: any) => any, options: { first?: boolean } = {}): void {
  const apiObject = ApiObject.of(workload);
  const transforms = renderedTransforms.get(apiObject);
  if (transforms) {
    if (options.first) {
      transforms.unshift(transform);
    } else {
      transforms.push(transform);
    }
    return;
  }
  const list = [transform];
  renderedTransforms.set(apiObject, list);
  const toJson = apiObject.toJson.bind(apiObject);
  apiObject.toJson = () => {
    const changed = list.reduce((manifest, change) => change(manifest), toJson());
    if (process.env.CDK8S_DISABLE_SORT) {
      return changed;
    }
    // keys below the top level sorted again, as cdk8s sorts them (top: apiVersion, kind,
    // metadata first); the manifest is a fresh copy, so it is sorted where it stands
    for (const key of Object.keys(changed)) {
      changed[key] = sortKeys(changed[key]);
    }
    return changed;
  };
}

/**
 * Sorts the keys of every object in `value` as cdk8s does, rebuilding only the objects
 * whose keys are out of order (those a transform added keys to): most of a manifest
 * is already sorted, and copying all of it costs a large app a tenth of its synthesis.
 */
function sortKeys(value: any): any {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      value[i] = sortKeys(value[i]);
    }
    return value;
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    value[keys[i]] = sortKeys(value[keys[i]]);
    sorted &&= i === 0 || keys[i - 1] < keys[i];
  }
  return sorted ? value : Object.fromEntries(keys.sort().map(key => [key, value[key]]));
}
