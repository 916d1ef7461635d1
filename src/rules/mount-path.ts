import { everyContainer } from './containers';
import { Rule } from './rule';
import { nameInPath } from '../core/errors';
import { absolutePathProblem } from '../core/validate';

/** Every mount path is an absolute path. */
export const mountPath: Rule = {
  id: 'mount-path',
  level: 'error',
  checks: 'Every volume is mounted at an absolute path without ":" or a ".." component.',
  fix: 'Mount the volume at an absolute path, for example "/var/log/app".',
  check(pod) {
    return everyContainer(pod).flatMap(({ c, where }) => (Array.isArray(c.volumeMounts) ? c.volumeMounts : [])
      .map((mount: any) => ({ mount, problem: typeof mount?.mountPath === 'string' ? absolutePathProblem(mount.mountPath) : 'is not a path' }))
      .filter(({ problem }: any) => problem !== undefined)
      .map(({ mount, problem }: any) => ({
        field: `${where}.volumeMounts[${nameInPath(mount?.name)}].mountPath`,
        value: mount?.mountPath,
        problem,
        fix: 'Mount volumes at absolute paths, for example "/var/log/app".',
      })));
  },
};
