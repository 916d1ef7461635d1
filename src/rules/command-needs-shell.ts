import { commandWords, everyContainer } from './containers';
import { Rule } from './rule';
import { knownWithoutShell } from '../core/images-without-shell';

const FIX = 'Use a variant of the image with a shell (a "-debug" or "-dev" tag, Envoy without "distroless"), or a native sidecar (Kubernetes 1.29+), which needs no wrapper; '
  + 'with this library, leave `shell` unset or false so that the wrapper is not written.';

/** Whether a command's first word runs a shell. */
function runsShell(program: unknown): boolean {
  return typeof program === 'string' && /^(\/usr)?(\/bin\/)?(sh|bash|ash|dash)$/.test(program);
}

/**
 * A command run through a shell needs an image with one: a classic sidecar's wrapper
 * around a distroless image fails when the container starts.
 */
export const commandNeedsShell: Rule = {
  id: 'command-needs-shell',
  level: 'warning',
  checks: 'No container runs its command through a shell (sh -c, the wrappers of classic sidecars in a Job, the drain wrapper) in an image known to have none (distroless images, Fluent Bit\'s release images, Envoy\'s distroless variant).',
  fix: FIX,
  check(pod) {
    return everyContainer(pod)
      .filter(({ c }) => runsShell(commandWords(c)[0]) && knownWithoutShell(c.image))
      .map(({ c, where }) => ({
        field: `${where}.command`,
        value: commandWords(c)[0],
        problem: `runs a shell, but the image ${JSON.stringify(c.image)} has none, so the container fails to start`,
        fix: FIX,
      }));
  },
};
