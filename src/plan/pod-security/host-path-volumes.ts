import { PodSecurityCheck } from './check';
import { nameInPath } from '../../core/errors';
import { objectsIn } from '../../rules/pod';

/** Baseline: no hostPath volume. @internal */
export const hostPathVolumes: PodSecurityCheck = {
  id: 'hostPathVolumes',
  control: 'HostPath Volumes',
  profile: 'baseline',
  check: pod => objectsIn(pod.spec.volumes).filter(v => v.hostPath !== undefined && v.hostPath !== null)
    .map(v => ({ field: `spec.volumes[${nameInPath(v.name)}].hostPath` })),
};
