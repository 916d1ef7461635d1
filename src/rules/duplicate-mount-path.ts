import { everyContainer } from './containers';
import { Rule, RuleProblem } from './rule';

/** No container mounts two volumes at one path. */
export const duplicateMountPath: Rule = {
  id: 'duplicate-mount-path',
  level: 'error',
  checks: 'No container mounts two volumes at the same path.',
  fix: 'Mount each volume at a path of its own.',
  check(pod) {
    const problems: RuleProblem[] = [];
    for (const { c, where } of everyContainer(pod)) {
      const volumes = new Map<string, unknown>();
      for (const mount of Array.isArray(c.volumeMounts) ? c.volumeMounts : []) {
        const path = mount?.mountPath;
        if (typeof path !== 'string') {
          continue; // the mount-path rule reports a missing or malformed path
        }
        if (volumes.has(path)) {
          problems.push({
            field: `${where}.volumeMounts`,
            value: path,
            problem: `is the mount path of two volumes in one container (${JSON.stringify(volumes.get(path))} and ${JSON.stringify(mount.name)})`,
            fix: 'Mount each volume at a path of its own (a sidecar construct mounts its volumes where its props say); for a log shipper whose logDirectory is where the app mounts a volume of its own, name that volume in existingLogVolume to read it instead.',
          });
        } else {
          volumes.set(path, mount?.name);
        }
      }
    }
    return problems;
  },
};
