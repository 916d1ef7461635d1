import { PodSecurityCheck, securityField } from './check';

/** Baseline: no privileged container. @internal */
export const privileged: PodSecurityCheck = {
  id: 'privileged',
  control: 'Privileged Containers',
  profile: 'baseline',
  check: pod => pod.containers.filter(c => c.securityContext.privileged === true).map(c => securityField(c, 'privileged')),
};
