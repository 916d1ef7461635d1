import { containerPath } from './containers';
import { Rule, RuleProblem } from './rule';
import { NO_VALUE } from '../core/errors';

/** Every native sidecar has cpu and memory limits. */
export const sidecarWithoutLimits: Rule = {
  id: 'sidecar-without-limits',
  level: 'warning',
  checks: 'Every native sidecar has a cpu and a memory limit, so that it cannot take what the app needs.',
  fix: 'Give the sidecar cpu and memory limits (the resources prop).',
  check(pod) {
    const problems: RuleProblem[] = [];
    pod.initContainers.forEach((c, i) => {
      const missing = c.restartPolicy === 'Always' ? ['cpu', 'memory'].filter(name => !pod.init[i].limits.has(name)) : [];
      if (missing.length > 0) {
        problems.push({
          field: `${containerPath('initContainers', c.name)}.resources.limits`,
          value: NO_VALUE,
          problem: `has no ${missing.join(' or ')} limit, so the sidecar may take what the app needs`,
          fix: 'Give the sidecar cpu and memory limits (the resources prop).',
        });
      }
    });
    return problems;
  },
};
