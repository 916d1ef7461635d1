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
