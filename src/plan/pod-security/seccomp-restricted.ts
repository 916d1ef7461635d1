import { CheckFailure, PodSecurityCheck, exemptAsWindows, securityField } from './check';

function allowedType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

/**
 * Restricted: a seccomp profile, the runtime's default or one on the node, set on the
 * Pod or on every container; a profile set anywhere must be one of those (in place of
 * the baseline's seccomp check; Windows Pods exempt from policy v1.25).
 *
 * @internal
 */
export const seccompRestricted: PodSecurityCheck = {
  id: 'seccompProfile_restricted',
  control: 'Seccomp',
  profile: 'restricted',
  overrides: ['seccompProfile_baseline'],
  check: pod => {
    if (exemptAsWindows(pod)) {
      return [];
    }
    const podProfile = pod.securityContext.seccompProfile;
    const podSet = podProfile !== undefined && podProfile !== null;
    const out: CheckFailure[] = podSet && !allowedType(podProfile.type) ? [{ field: 'spec.securityContext.seccompProfile.type' }] : [];
    for (const c of pod.containers) {
      const own = c.securityContext.seccompProfile;
      if (own !== undefined && own !== null ? !allowedType(own.type) : !podSet) {
        out.push(securityField(c, 'seccompProfile.type'));
      }
    }
    return out;
  },
};
