import { Rule, RuleProblem } from './rule';
import { isPlainObject } from '../core/validate';

const LISTS: Array<[string, string]> = [['initContainers', 'container'], ['containers', 'container'], ['volumes', 'volume']];

/** The container and volume lists of the pod spec are lists of objects. */
export const podSpecShape: Rule = {
  id: 'pod-spec-shape',
  level: 'error',
  checks: 'initContainers, containers and volumes are lists of objects, as the API server requires.',
  fix: 'Write each list as a YAML list of mappings.',
  check(pod) {
    const problems: RuleProblem[] = [];
    for (const [field, entry] of LISTS) {
      const value = pod.spec[field];
      if (value === undefined || value === null) {
        continue;
      }
      if (!Array.isArray(value)) {
        problems.push({ field, value, problem: 'is not a list', fix: `Write ${field} as a list of ${entry}s.` });
        continue;
      }
      value.forEach((item, i) => {
        if (!isPlainObject(item)) {
          problems.push({ field: `${field}[${i}]`, value: item, problem: `is not a ${entry}`, fix: `Write each entry of ${field} as a mapping.` });
        }
      });
    }
    return problems;
  },
};

