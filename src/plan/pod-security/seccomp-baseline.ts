import { PodSecurityCheck, securityField } from './check';

/** Baseline: no seccomp profile is `Unconfined`. @internal */
export const seccompBaseline: PodSecurityCheck = {
  id: 'seccompProfile_baseline',
  control: 'Seccomp',
  profile: 'baseline',
  check: pod => [
    ...pod.securityContext.seccompProfile?.type === 'Unconfined' ? [{ field: 'spec.securityContext.seccompProfile.type' }] : [],
    ...pod.containers.filter(c => c.securityContext.seccompProfile?.type === 'Unconfined').map(c => securityField(c, 'seccompProfile.type')),
  ],
};
