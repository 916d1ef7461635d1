import { commandWords, everyContainer } from './containers';
import { Rule, RuleProblem } from './rule';
import { sigtermProblem } from '../core/validate';

/** A sidecar's PID 1 handles SIGTERM. */
export const sidecarIgnoresSigterm: Rule = {
  id: 'sidecar-ignores-sigterm',
  level: 'error',
  checks: 'A sidecar (a native one, or any sidecar of this library) does not run, as PID 1 of its container, a command that certainly ignores SIGTERM: sleep, tail, or a shell script without trap that execs neither; a Pod with shareProcessNamespace is exempt (PID 1 is the pause container).',
  fix: 'Trap TERM in the script or exec a program that handles SIGTERM; with this library, wrap the command in Sidecar.exitOnSigterm([...]).',
  check(pod) {
    if (pod.spec.shareProcessNamespace === true) {
      return [];
    }
    const problems: RuleProblem[] = [];
    for (const { c, where, native } of everyContainer(pod)) {
      const recorded = pod.record.sidecars.get(c.name);
      // of a sidecar of this library, the command it runs as PID 1 (none where a wrapper of the library is PID 1)
      const command = recorded ? recorded.command : native && Array.isArray(c.command) ? commandWords(c).map(String) : undefined;
      const why = command && command.length > 0 ? sigtermProblem(command) : undefined;
      if (why) {
        problems.push({
          field: `${where}.command`,
          value: command!.join(' '),
          problem: `ignores SIGTERM as PID 1 of its container (${why}), so the kubelet would wait the whole terminationGracePeriodSeconds for this sidecar at every stop of the Pod`,
          fix: 'Wrap it: command: Sidecar.exitOnSigterm([...]), or exec a program that handles SIGTERM, or trap TERM in the script.',
        });
      }
    }
    return problems;
  },
};
