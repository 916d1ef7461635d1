import { everyContainer } from './containers';
import { Rule, RuleProblem } from './rule';
import { containerAmounts, formatQuantity } from '../core/quantity';

const FIX = 'Lower the request or raise the limit: Kubernetes rejects a request above its limit.';

/** No request is above its limit. */
export const requestAboveLimit: Rule = {
  id: 'request-above-limit',
  level: 'error',
  checks: 'No container, and not the Pod\'s own resources, requests more of a resource than its limit (compared exactly, whatever the suffixes).',
  fix: FIX,
  check(pod) {
    const problems: RuleProblem[] = [];
    const compare = (where: string, holder: any) => {
      const amounts = containerAmounts(holder, false);
      for (const [name, limit] of amounts.limits) {
        const request = amounts.requests.get(name)!;
        if (request > limit) {
          problems.push({
            field: `${where}resources.requests.${name}`,
            value: holder.resources.requests[name],
            problem: `is above the limit ${formatQuantity(name, limit)}`,
            fix: FIX,
          });
        }
      }
    };
    for (const { c, where } of everyContainer(pod)) {
      compare(`${where}.`, c);
    }
    compare('', pod.spec);
    return problems;
  },
};
