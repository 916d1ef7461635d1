import { containerPath } from './containers';
import { Rule } from './rule';
import { NO_VALUE } from '../core/errors';

const FIELDS = ['startupProbe', 'readinessProbe', 'livenessProbe', 'lifecycle'];

/** A regular init container has no probes and no lifecycle hooks. */
export const initContainerLifecycle: Rule = {
  id: 'init-container-lifecycle',
  level: 'error',
  checks: 'A regular init container (without restartPolicy: Always) has no probe and no lifecycle hook, which the API server rejects.',
  fix: 'Remove them, or make the container a sidecar with restartPolicy: Always.',
  check(pod) {
    return pod.initContainers
      .filter(c => c.restartPolicy !== 'Always')
      .flatMap(c => FIELDS.filter(field => c[field] !== undefined).map(field => ({
        field: `${containerPath('initContainers', c.name)}.${field}`,
        value: NO_VALUE,
        problem: 'is set on a regular init container, which may not have one (only a sidecar, with restartPolicy: Always, may)',
        fix: 'Remove it, or make the container a sidecar with restartPolicy: Always.',
      })));
  },
};
