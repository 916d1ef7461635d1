import { CheckFailure, PodSecurityCheck, securityField } from './check';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedType(type: unknown): boolean {
  return type === undefined || type === 'RuntimeDefault' || type === 'Localhost';
}

/**
 * Baseline: no AppArmor profile other than the runtime's default or one on the node —
 * in the `appArmorProfile` fields and in the older per-container annotations, which
 * Pod Security admission still reads.
 *
 * @internal
 */
export const appArmor: PodSecurityCheck = {
  id: 'appArmorProfile',
  control: 'AppArmor',
  profile: 'baseline',
  check: pod => {
    const out: CheckFailure[] = [];
    if (!allowedType(pod.securityContext.appArmorProfile?.type)) {
      out.push({ field: 'spec.securityContext.appArmorProfile.type' });
    }
    for (const c of pod.containers.filter(x => !allowedType(x.securityContext.appArmorProfile?.type))) {
      out.push(securityField(c, 'appArmorProfile.type'));
    }
    for (const [key, value] of Object.entries(pod.metadata.annotations ?? {})) {
      if (key.startsWith(ANNOTATION_PREFIX) && value !== '' && value !== 'runtime/default' && !String(value).startsWith('localhost/')) {
        out.push({ field: `metadata.annotations[${key}]`, container: key.slice(ANNOTATION_PREFIX.length) });
      }
    }
    return out;
  },
};
