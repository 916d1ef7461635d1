import { everyContainer } from './containers';
import { Rule } from './rule';
import { isDnsLabel } from '../core/validate';

/** Every container name is a DNS label. */
export const containerName: Rule = {
  id: 'container-name',
  level: 'error',
  checks: 'Every container name is a DNS label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.',
  fix: 'Rename the container, for example "log-shipper" (a sidecar takes its name from the containerName prop).',
  check(pod) {
    return everyContainer(pod)
      .filter(({ c }) => typeof c.name !== 'string' || !isDnsLabel(c.name))
      .map(({ c, where }) => ({
        field: `${where}.name`,
        value: c.name,
        problem: 'is not a valid container name',
        fix: 'Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.',
      }));
  },
};
