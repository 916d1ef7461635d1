import { nameInPath } from '../../core/errors';
import { isPlainObject } from '../../core/validate';
import { objectsIn } from '../../rules/pod';

/** A profile of the Pod Security Standards that a check belongs to. @internal */
export type Profile = 'baseline' | 'restricted';

/** A container of the pod spec as the checks see it, with the list it is in. @internal */
export interface CheckedContainer {
  readonly name: unknown;
  /** initContainers, containers or ephemeralContainers. */
  readonly list: string;
  readonly spec: any;
  /** Its `securityContext`, or an empty object. */
  readonly securityContext: any;
}

/** A pod template as the checks read it, at one policy version. @internal */
export interface CheckedPod {
  readonly metadata: any;
  readonly spec: any;
  /** The Pod's `securityContext`, or an empty object. */
  readonly securityContext: any;
  /** Every container: init containers, containers, ephemeral containers (as Pod Security admission visits them). */
  readonly containers: CheckedContainer[];
  /** The minor of the policy version, `v1.<minor>`. */
  readonly version: number;
}

/** What fails a check: the field, and the container where it is about one. @internal */
export interface CheckFailure {
  readonly field: string;
  readonly container?: string;
}

/**
 * One check of Kubernetes' Pod Security admission (`k8s.io/pod-security-admission/policy`,
 * a `check_<id>.go` each): the control of the standard it enforces, its profile, the
 * policy version it starts at, and the baseline checks it replaces in the restricted
 * profile.
 *
 * @internal
 */
export interface PodSecurityCheck {
  /** The check's id in Pod Security admission, for example `capabilities_baseline`. */
  readonly id: string;
  /** The control as the standard names it, for example "Capabilities". */
  readonly control: string;
  readonly profile: Profile;
  /** The first policy version (minor) with the check; unset: every version. */
  readonly since?: number;
  /** Baseline checks that this restricted check replaces. */
  readonly overrides?: string[];
  check(pod: CheckedPod): CheckFailure[];
}

/** Where a container stands in the manifest's pod spec: `spec.containers[app]`. @internal */
export function containerPath(container: CheckedContainer): string {
  return `spec.${container.list}[${nameInPath(container.name)}]`;
}

/** A field of a container's security context: `spec.containers[app].securityContext.privileged`. @internal */
export function securityField(container: CheckedContainer, field: string): CheckFailure {
  return { field: `${containerPath(container)}.securityContext.${field}`, container: String(container.name) };
}

/** The entries of a list that are strings, or none. @internal */
export function words(value: unknown): string[] {
  return Array.isArray(value) ? value.filter(v => typeof v === 'string') : [];
}

/**
 * Whether the Pod runs in a user namespace of its own (`hostUsers: false`), which
 * relaxes some checks from policy v1.35 (KEP-127).
 *
 * @internal
 */
export function inUserNamespace(pod: CheckedPod): boolean {
  return pod.spec.hostUsers === false;
}

/**
 * Whether a restricted check leaves the Pod out as a Windows Pod (`spec.os.name:
 * windows`), as the checks of privilege escalation, seccomp and capabilities do from
 * policy v1.25.
 *
 * @internal
 */
export function exemptAsWindows(pod: CheckedPod): boolean {
  return pod.version >= 25 && pod.spec.os?.name === 'windows';
}

/** Reads a pod template for the checks. @internal */
export function checkedPod(metadata: any, spec: any, version: number): CheckedPod {
  const container = (list: string) => (c: any): CheckedContainer => ({
    name: c.name, list, spec: c, securityContext: isPlainObject(c.securityContext) ? c.securityContext : {},
  });
  return {
    metadata: isPlainObject(metadata) ? metadata : {},
    spec,
    securityContext: isPlainObject(spec.securityContext) ? spec.securityContext : {},
    containers: [
      ...objectsIn(spec.initContainers).map(container('initContainers')),
      ...objectsIn(spec.containers).map(container('containers')),
      ...objectsIn(spec.ephemeralContainers).map(container('ephemeralContainers')),
    ],
    version,
  };
}
