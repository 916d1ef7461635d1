import { everyContainer } from './containers';
import { Rule } from './rule';
import { isPortName } from '../core/validate';

/** Every named container port has a valid name. */
export const portName: Rule = {
  id: 'port-name',
  level: 'error',
  checks: 'Every port name is an IANA service name: at most 15 lower-case letters, digits and single hyphens, with at least one letter.',
  fix: 'Rename the port, for example "http-metrics".',
  check(pod) {
    return everyContainer(pod).flatMap(({ c, where }) => (Array.isArray(c.ports) ? c.ports : [])
      .filter((port: any) => port?.name !== undefined && (typeof port.name !== 'string' || !isPortName(port.name)))
      .map((port: any) => ({
        field: `${where}.ports[${port.containerPort}].name`,
        value: port.name,
        problem: 'is not a port name, which the API server refuses',
        fix: 'Use at most 15 lower-case letters, digits and single hyphens, with at least one letter, for example "http-metrics".',
      })));
  },
};
