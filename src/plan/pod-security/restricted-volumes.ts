import { PodSecurityCheck } from './check';
import { nameInPath } from '../../core/errors';
import { objectsIn } from '../../rules/pod';

/** The volume types a restricted Pod may use: none that reaches the node's or another system's storage directly. */
const ALLOWED = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

/** Restricted: only the volume types above (in place of the baseline's hostPath check). @internal */
export const restrictedVolumes: PodSecurityCheck = {
  id: 'restrictedVolumes',
  control: 'Volume Types',
  profile: 'restricted',
  overrides: ['hostPathVolumes'],
  check: pod => objectsIn(pod.spec.volumes).flatMap(volume => {
    const type = Object.keys(volume).find(key => key !== 'name' && volume[key] !== undefined && volume[key] !== null);
    return type !== undefined && !ALLOWED.includes(type) ? [{ field: `spec.volumes[${nameInPath(volume.name)}].${type}` }] : [];
  }),
};
