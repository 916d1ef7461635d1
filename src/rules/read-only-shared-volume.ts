import { everyContainer } from './containers';
import { objectsIn } from './pod';
import { Rule } from './rule';
import { nameInPath } from '../core/errors';

const FIX = 'Mount the volume read-write in the container that writes to it (the app that writes its logs, the sidecar that syncs files); read-only in the others.';

/** An emptyDir starts empty: one that every container mounts read-only stays empty. */
export const readOnlySharedVolume: Rule = {
  id: 'read-only-shared-volume',
  level: 'warning',
  checks: 'An emptyDir volume is mounted read-write by at least one container: one that every container mounts read-only stays empty, so a sidecar that reads it (a log shipper) gets nothing.',
  fix: FIX,
  check(pod) {
    const all = everyContainer(pod);
    return objectsIn(pod.spec.volumes).filter(v => v.emptyDir !== undefined && v.emptyDir !== null).flatMap(v => {
      const mounts = all.flatMap(({ c, where }) => objectsIn(c.volumeMounts).filter(m => m.name === v.name).map(m => ({ m, where })));
      if (mounts.length === 0 || mounts.some(({ m }) => m.readOnly !== true)) {
        return [];
      }
      return [{
        field: `volumes[${nameInPath(v.name)}]`,
        value: mounts.map(({ where }) => where),
        problem: 'is an emptyDir that every container mounts read-only, so nothing can write to it and whoever reads it finds it empty',
        fix: FIX,
      }];
    });
  },
};
