import { everyContainer } from './containers';
import { Rule } from './rule';
import { isPort } from '../core/validate';

/** Every container port is a port number. */
export const portNumber: Rule = {
  id: 'port-number',
  level: 'error',
  checks: 'Every containerPort is a whole number from 1 to 65535.',
  fix: 'Declare the port the container listens on, from 1 to 65535.',
  check(pod) {
    return everyContainer(pod).flatMap(({ c, where }) => (Array.isArray(c.ports) ? c.ports : [])
      .map((port: any) => port?.containerPort)
      .filter((port: unknown) => !isPort(port as number))
      .map((port: unknown) => ({
        field: `${where}.ports`, value: port ?? null, problem: 'is not a port number, which the API server refuses', fix: 'Use a whole number from 1 to 65535.',
      })));
  },
};
