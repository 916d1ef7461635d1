import { CheckedPod, PodSecurityCheck, inUserNamespace, securityField } from './check';

/** The containers that mount /proc other than the default, masked way. @internal */
export function unmaskedProc(pod: CheckedPod) {
  return pod.containers.filter(c => c.securityContext.procMount !== undefined && c.securityContext.procMount !== 'Default')
    .map(c => securityField(c, 'procMount'));
}

/**
 * Baseline: /proc is mounted the default, masked way; from policy v1.35 a Pod in a user
 * namespace of its own (`hostUsers: false`) may unmask it.
 *
 * @internal
 */
export const procMount: PodSecurityCheck = {
  id: 'procMount',
  control: '/proc Mount Type',
  profile: 'baseline',
  check: pod => pod.version >= 35 && inUserNamespace(pod) ? [] : unmaskedProc(pod),
};
