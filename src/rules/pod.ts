import { RenderedPod } from './rule';
import { KubernetesVersion } from '../core/mode';
import { PodRecord } from '../core/pod-record';
import { podTemplateOf } from '../core/pod-template';
import { containerAmounts } from '../core/quantity';
import { isPlainObject } from '../core/validate';

/**
 * The entries of a manifest list that are objects; none when it is no list. Malformed
 * input (which the rule `pod-spec-shape` reports) must not make the rules throw.
 *
 * @internal
 */
export function objectsIn(value: unknown): any[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

const NO_RECORD: PodRecord = { sidecars: new Map(), listeners: [], proxies: [], portProps: new Map(), initsWithoutProxy: new Set() };

/**
 * The pod template of a workload manifest as the rules read it, or undefined when the
 * manifest has none (another kind, or no object where its kind keeps the spec).
 *
 * @param record what the constructs recorded beside the manifest
 * @param kubernetesVersion the version the manifests are for, such as "1.30"
 * @internal
 */
export function readPod(manifest: any, record?: PodRecord, kubernetesVersion?: string): RenderedPod | undefined {
  const template = podTemplateOf(manifest);
  if (!template || !isPlainObject(template.spec)) {
    return undefined;
  }
  const spec = template.spec;
  const initContainers = objectsIn(spec.initContainers);
  const containers = objectsIn(spec.containers);
  return {
    kind: manifest.kind,
    manifest,
    metadata: isPlainObject(manifest.metadata) ? manifest.metadata : {},
    spec,
    initContainers,
    containers,
    init: initContainers.map(c => containerAmounts(c, c.restartPolicy === 'Always')),
    app: containers.map(c => containerAmounts(c, false)),
    record: record ?? NO_RECORD,
    kubernetesVersion: kubernetesVersion === undefined ? undefined : KubernetesVersion.of(kubernetesVersion),
  };
}
