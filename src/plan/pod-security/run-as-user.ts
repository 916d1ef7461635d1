import { PodSecurityCheck, inUserNamespace, securityField } from './check';

/**
 * Restricted, from policy v1.23: no `runAsUser: 0`, on the Pod or a container; from
 * policy v1.35 not checked for a Pod in a user namespace of its own (`hostUsers: false`).
 *
 * @internal
 */
export const runAsUser: PodSecurityCheck = {
  id: 'runAsUser',
  control: 'Running as Non-root user',
  profile: 'restricted',
  since: 23,
  check: pod => pod.version >= 35 && inUserNamespace(pod) ? [] : [
    ...pod.securityContext.runAsUser === 0 ? [{ field: 'spec.securityContext.runAsUser' }] : [],
    ...pod.containers.filter(c => c.securityContext.runAsUser === 0).map(c => securityField(c, 'runAsUser')),
  ],
};
