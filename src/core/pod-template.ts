import { ApiObject, Include } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * Where each workload kind keeps its pod template: the one place that knows it. The
 * JSON pointer of the pod spec, `/spec` for a Pod.
 */
const POD_SPEC_POINTERS: { [kind: string]: string } = {
  Pod: '/spec',
  Deployment: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  DaemonSet: '/spec/template/spec',
  ReplicaSet: '/spec/template/spec',
  ReplicationController: '/spec/template/spec',
  Job: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

/**
 * The kinds that have a pod template, for messages.
 *
 * @internal
 */
export const WORKLOAD_KINDS = Object.keys(POD_SPEC_POINTERS);

/**
 * Whether a manifest of this kind runs its Pods to completion: a Job, or a CronJob's
 * Jobs.
 *
 * @internal
 */
export function isJobKind(kind: unknown): boolean {
  return kind === 'Job' || kind === 'CronJob';
}

/**
 * The JSON pointer of the pod spec in a manifest of this kind, or undefined for a kind
 * without a pod template.
 *
 * @internal
 */
export function podSpecPointer(kind: unknown): string | undefined {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(POD_SPEC_POINTERS, kind) ? POD_SPEC_POINTERS[kind] : undefined;
}

/**
 * The pod template of a workload manifest (its metadata and spec, each undefined where
 * the manifest lacks it), or undefined for kinds without one.
 *
 * @internal
 */
export function podTemplateOf(manifest: any): { metadata: any; spec: any } | undefined {
  const pointer = podSpecPointer(manifest?.kind);
  if (pointer === undefined) {
    return undefined;
  }
  // the template is the object that holds the spec: the manifest itself for a Pod
  let template = manifest;
  for (const key of pointer.split('/').slice(1, -1)) {
    template = template?.[key];
  }
  return { metadata: template?.metadata, spec: template?.spec };
}

/**
 * The manifest of a workload given as `field` of `scope`: the construct itself when it
 * is an ApiObject, else its default child (the ApiObject of a cdk8s-plus workload of
 * any line). A construct without one, an `Include` (which holds several), or a kind
 * without a pod template is an error naming the path, the kind and the kinds that work.
 *
 * @internal
 */
export function workloadApiObject(scope: IConstruct, field: string, construct: IConstruct): ApiObject {
  const fix = `Give a construct that renders a pod template: ${WORKLOAD_KINDS.join(', ')} (a cdk8s-plus workload, a KubeDeployment... from cdk8s import, or an ApiObject of an Include).`;
  if (construct instanceof Include) {
    const names = construct.apiObjects.filter(o => podSpecPointer(o.kind) !== undefined).map(o => `${o.kind} ${o.name}`);
    fail(scope, field, construct.node.path, 'is an Include, which holds several manifests',
      names.length > 0 ? `Give one of its ApiObjects, for example include.apiObjects.find(o => o.kind === '${names[0].split(' ')[0]}'); it holds ${names.join(', ')}.`
        : `It holds no manifest with a pod template. ${fix}`);
  }
  const apiObject = manifestOf(construct);
  if (!apiObject) {
    fail(scope, field, construct.node.path, 'is no Kubernetes manifest (neither an ApiObject nor a construct whose default child is one)', fix);
  }
  if (podSpecPointer(apiObject.kind) === undefined) {
    fail(scope, field, construct.node.path, `is a ${apiObject.kind}, which has no pod template`, fix);
  }
  return apiObject;
}

/**
 * The manifest of a construct: the construct itself when it is an ApiObject, else its
 * default child when that is one (a cdk8s-plus workload of any line); else undefined.
 *
 * @internal
 */
export function manifestOf(construct: IConstruct): ApiObject | undefined {
  if (construct instanceof ApiObject) {
    return construct;
  }
  const child = construct.node.defaultChild;
  return child instanceof ApiObject ? child : undefined;
}
