import { containerPath } from './containers';
import { Rule } from './rule';
import { NO_VALUE } from '../core/errors';

/** A native sidecar with a readiness probe serves traffic. */
export const readinessWithoutTraffic: Rule = {
  id: 'readiness-without-traffic',
  level: 'warning',
  checks: 'A native sidecar with a readinessProbe declares a port: otherwise a failing probe takes the Pod out of its Services although the sidecar serves no traffic.',
  fix: 'Remove the readinessProbe, or declare the port the sidecar serves.',
  check(pod) {
    return pod.initContainers
      .filter(c => c.restartPolicy === 'Always' && c.readinessProbe && !(Array.isArray(c.ports) && c.ports.length > 0))
      .map(c => ({
        field: `${containerPath('initContainers', c.name)}.readinessProbe`,
        value: NO_VALUE,
        problem: 'is set on a sidecar that declares no port: a failing probe takes the Pod out of its Services although the sidecar serves no traffic',
        fix: 'Remove the readinessProbe, or declare the port the sidecar serves.',
      }));
  },
};
