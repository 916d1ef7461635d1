import { PodSecurityCheck, exemptAsWindows, securityField } from './check';

/** Restricted: every container sets `allowPrivilegeEscalation: false` (Windows Pods exempt from policy v1.25). @internal */
export const allowPrivilegeEscalation: PodSecurityCheck = {
  id: 'allowPrivilegeEscalation',
  control: 'Privilege Escalation',
  profile: 'restricted',
  check: pod => exemptAsWindows(pod) ? [] : pod.containers
    .filter(c => c.securityContext.allowPrivilegeEscalation !== false)
    .map(c => securityField(c, 'allowPrivilegeEscalation')),
};
