import { everyContainer } from './containers';
import { Rule, RuleProblem } from './rule';
import { isPort } from '../core/validate';

const FIX = 'Move one of them to a free port (every sidecar construct has a prop for its ports).';

/** No port and protocol is taken twice in the Pod's network namespace. */
export const portConflict: Rule = {
  id: 'port-conflict',
  level: 'error',
  checks: 'No port and protocol is declared twice in the Pod, nor declared where a sidecar of this library listens on 127.0.0.1 without declaring it: all containers share one network namespace.',
  fix: FIX,
  check(pod) {
    const problems: RuleProblem[] = [];
    const owners = new Map<string, string>();
    for (const { port, owner } of pod.record.listeners) {
      const key = `${port}/TCP`;
      const first = owners.get(key);
      if (first) {
        problems.push({ field: 'ports', value: port, problem: `is used by ${first} and by ${owner}, and all containers of a Pod share one network namespace`, fix: FIX });
      } else {
        owners.set(key, owner);
      }
    }
    for (const { c, where } of everyContainer(pod)) {
      for (const port of Array.isArray(c.ports) ? c.ports : []) {
        if (!isPort(port?.containerPort)) {
          continue; // the rule port-number reports it
        }
        const key = `${port.containerPort}/${port.protocol ?? 'TCP'}`;
        const owner = owners.get(key);
        if (owner) {
          // the prop of a sidecar construct that sets the port, the later container's first
          const prop = [String(c.name), owner].map(name => [name, pod.record.portProps.get(`${name}/${port.containerPort}`)]).find(([, p]) => p !== undefined);
          problems.push({
            field: `${where}.ports`,
            value: port.containerPort,
            problem: `is also ${owner.includes(' ') ? `used by ${owner}` : `declared by container "${owner}"`}, and all containers of a Pod share one network namespace`,
            fix: prop ? `Move one of them to a free port: set ${prop[1]} of the sidecar "${prop[0]}" to another port.` : FIX,
          });
        } else {
          owners.set(key, String(c.name));
        }
      }
    }
    return problems;
  },
};
