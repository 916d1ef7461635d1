import { Rule, RuleProblem } from './rule';
import { formatQuantity } from '../core/quantity';

/** The sidecars request less than the app. */
export const sidecarsRequestMoreThanApp: Rule = {
  id: 'sidecars-request-more-than-app',
  level: 'warning',
  checks: 'The native sidecars together request no more cpu and memory than the app containers together.',
  fix: 'Check the sidecars\' requests: they are usually a fraction of the app\'s.',
  check(pod) {
    const problems: RuleProblem[] = [];
    for (const resource of ['cpu', 'memory']) {
      const sum = (list: typeof pod.init) => list.reduce((total, c) => total + (c.requests.get(resource) ?? 0n), 0n);
      const sidecars = sum(pod.init.filter(c => c.sidecar));
      const app = sum(pod.app);
      if (sidecars > app && app > 0n) {
        problems.push({
          field: `initContainers[*].resources.requests.${resource}`,
          value: formatQuantity(resource, sidecars),
          problem: `is what the sidecars request together, more than the app containers' ${formatQuantity(resource, app)}`,
          fix: 'Check the sidecars\' requests: they are usually a fraction of the app\'s.',
        });
      }
    }
    return problems;
  },
};
