import { everyContainer } from './containers';
import { Rule, RuleProblem } from './rule';
import { parseQuantity } from '../core/quantity';
import { isPlainObject } from '../core/validate';

const FIX = 'Write a non-negative Kubernetes quantity, such as "250m", "1", "128Mi" or "1Gi" (cdk8s-plus: Cpu.millis(n), Size.mebibytes(n)).';

/** Every resource amount is a non-negative Kubernetes quantity. */
export const quantity: Rule = {
  id: 'quantity',
  level: 'error',
  checks: 'Every request, limit and overhead is a map of resource names to non-negative Kubernetes quantities.',
  fix: FIX,
  check(pod) {
    const problems: RuleProblem[] = [];
    const read = (field: string, list: unknown) => {
      if (list === undefined || list === null) {
        return;
      }
      if (!isPlainObject(list)) {
        problems.push({ field, value: list, problem: 'is not a map of resource names to quantities', fix: FIX });
        return;
      }
      for (const [name, text] of Object.entries(list as object)) {
        const value = parseQuantity(text);
        if (value === undefined || value < 0n) {
          problems.push({ field: `${field}.${name}`, value: text, problem: 'is not a Kubernetes quantity of zero or more', fix: FIX });
        }
      }
    };
    for (const { c, where } of everyContainer(pod)) {
      read(`${where}.resources.requests`, c.resources?.requests);
      read(`${where}.resources.limits`, c.resources?.limits);
    }
    read('resources.requests', pod.spec.resources?.requests);
    read('resources.limits', pod.spec.resources?.limits);
    read('overhead', pod.spec.overhead);
    return problems;
  },
};
