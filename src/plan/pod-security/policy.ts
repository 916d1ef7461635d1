import { allowPrivilegeEscalation } from './allow-privilege-escalation';
import { appArmor } from './app-armor';
import { capabilitiesBaseline } from './capabilities-baseline';
import { capabilitiesRestricted } from './capabilities-restricted';
import { PodSecurityCheck, Profile, checkedPod } from './check';
import { hostNamespaces } from './host-namespaces';
import { hostPathVolumes } from './host-path-volumes';
import { hostPorts } from './host-ports';
import { hostProbes } from './host-probes';
import { privileged } from './privileged';
import { procMount } from './proc-mount';
import { procMountRestricted } from './proc-mount-restricted';
import { restrictedVolumes } from './restricted-volumes';
import { runAsNonRoot } from './run-as-non-root';
import { runAsUser } from './run-as-user';
import { seccompBaseline } from './seccomp-baseline';
import { seccompRestricted } from './seccomp-restricted';
import { seLinux } from './selinux';
import { sysctls } from './sysctls';
import { windowsHostProcess } from './windows-host-process';

/**
 * The newest policy version modelled: `latest` means this one, as on a Kubernetes 1.37
 * API server, where the newest check revision (the sysctls made safe in 1.37) is.
 *
 * @internal
 */
export const LATEST_POLICY_VERSION = 37;

/** The oldest policy version modelled: v1.22, when Pod Security admission first shipped. @internal */
export const OLDEST_POLICY_VERSION = 22;

/** Every check, baseline first, in the order their violations are listed. @internal */
export const CHECKS: PodSecurityCheck[] = [
  windowsHostProcess, hostNamespaces, privileged, capabilitiesBaseline, hostPathVolumes, hostPorts, appArmor, seLinux,
  procMount, seccompBaseline, sysctls, hostProbes,
  restrictedVolumes, allowPrivilegeEscalation, runAsNonRoot, runAsUser, seccompRestricted, capabilitiesRestricted, procMountRestricted,
];

/** One failed control. @internal */
export interface Violation {
  readonly control: string;
  readonly profile: Profile;
  readonly container?: string;
  readonly field: string;
}

/**
 * The policy version a `pod-security.kubernetes.io/enforce-version` value selects, as
 * its minor: `latest` (or unset) is the newest modelled; a version newer than that
 * counts as it, as the admission controller clamps it.
 *
 * @internal
 */
export function policyVersion(text: string | undefined): number {
  if (text === undefined || text === 'latest') {
    return LATEST_POLICY_VERSION;
  }
  const match = /^v1\.(0|[1-9]\d*)$/.exec(text);
  if (!match) {
    throw new Error(`Pod Security version "${text}" is not "latest" or a version such as v1.${LATEST_POLICY_VERSION} (the form of the label pod-security.kubernetes.io/enforce-version).`);
  }
  const minor = Number(match[1]);
  if (minor < OLDEST_POLICY_VERSION) {
    throw new Error(`Pod Security version ${text} is older than v1.${OLDEST_POLICY_VERSION}, the first policy of Pod Security admission: give v1.${OLDEST_POLICY_VERSION} or newer.`);
  }
  return Math.min(minor, LATEST_POLICY_VERSION);
}

/**
 * Every control the pod template fails at a policy version, baseline first: the checks
 * of Kubernetes' Pod Security admission that exist at that version, each in the
 * revision that version uses.
 *
 * @param metadata the pod template's metadata (AppArmor annotations)
 * @param spec the Pod spec
 * @param version the policy version's minor (see `policyVersion`)
 * @internal
 */
export function podSecurityViolations(metadata: any, spec: any, version: number = LATEST_POLICY_VERSION): Violation[] {
  const pod = checkedPod(metadata, spec, version);
  return CHECKS.filter(c => (c.since ?? 0) <= version).flatMap(c => c.check(pod).map(failure => ({
    control: c.control, profile: c.profile, container: failure.container, field: failure.field,
  })));
}

/** The highest level the violations leave: restricted, baseline or privileged. @internal */
export function podSecurityLevel(violations: ReadonlyArray<{ readonly profile: string }>): 'privileged' | 'baseline' | 'restricted' {
  if (violations.some(v => v.profile === 'baseline')) {
    return 'privileged';
  }
  return violations.length > 0 ? 'baseline' : 'restricted';
}
