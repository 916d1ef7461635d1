import { Rule } from './rule';
import { NO_VALUE } from '../core/errors';

/** The Pod has at least one container. */
export const noContainers: Rule = {
  id: 'no-containers',
  level: 'error',
  checks: 'The pod template has at least one entry in containers.',
  fix: 'Give the workload its app container.',
  check(pod) {
    return pod.containers.length > 0 ? [] : [{
      field: 'containers', value: NO_VALUE, problem: 'holds no container, and the API server rejects a Pod without one', fix: 'Give the workload its app container.',
    }];
  },
};
