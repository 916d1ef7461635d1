import { PodSecurityCheck, containerPath } from './check';
import { nameInPath } from '../../core/errors';
import { objectsIn } from '../../rules/pod';

/** Baseline: no container port bound to a port of the node (`hostPort` unset or 0). @internal */
export const hostPorts: PodSecurityCheck = {
  id: 'hostPorts',
  control: 'Host Ports',
  profile: 'baseline',
  check: pod => pod.containers.flatMap(c => objectsIn(c.spec.ports)
    .filter(port => port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0)
    .map(port => ({ field: `${containerPath(c)}.ports[${nameInPath(port.containerPort)}].hostPort`, container: String(c.name) }))),
};
