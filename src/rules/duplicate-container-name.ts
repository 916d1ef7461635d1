import { everyContainer } from './containers';
import { Rule, RuleProblem } from './rule';

/** No two containers of the Pod share a name. */
export const duplicateContainerName: Rule = {
  id: 'duplicate-container-name',
  level: 'error',
  checks: 'No two containers of the Pod, init containers and sidecars included, have the same name.',
  fix: 'Give every container a name of its own (a sidecar takes its name from the containerName prop).',
  check(pod) {
    const problems: RuleProblem[] = [];
    const lists = new Map<unknown, string>();
    for (const { c, where } of everyContainer(pod)) {
      const list = where.slice(0, where.indexOf('['));
      const first = lists.get(c.name);
      if (first !== undefined) {
        problems.push({
          field: `${where}.name`,
          value: c.name,
          problem: first === list
            ? `is used by two containers in ${list}`
            : `is used by two containers of the Pod (one in ${first}, one in ${list})`,
          fix: 'Give every container, sidecars included, a name of its own (sidecars take theirs from the containerName prop).',
        });
      } else {
        lists.set(c.name, list);
      }
    }
    return problems;
  },
};
