import { CheckFailure, PodSecurityCheck, inUserNamespace, securityField } from './check';

/**
 * Restricted: containers run as a non-root user — `runAsNonRoot: true` on the Pod or on
 * every container, and `false` nowhere; from policy v1.35 not checked for a Pod in a
 * user namespace of its own (`hostUsers: false`), where root is no root of the node.
 *
 * @internal
 */
export const runAsNonRoot: PodSecurityCheck = {
  id: 'runAsNonRoot',
  control: 'Running as Non-root',
  profile: 'restricted',
  check: pod => {
    if (pod.version >= 35 && inUserNamespace(pod)) {
      return [];
    }
    const podLevel = pod.securityContext.runAsNonRoot;
    const out: CheckFailure[] = podLevel === false ? [{ field: 'spec.securityContext.runAsNonRoot' }] : [];
    for (const c of pod.containers) {
      const own = c.securityContext.runAsNonRoot;
      if (own === false || (own !== true && podLevel !== true)) {
        out.push(securityField(c, 'runAsNonRoot'));
      }
    }
    return out;
  },
};
