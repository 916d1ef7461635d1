import { RULES } from './all';
import { invalidSuppression, readSuppressions } from './invalid-suppression';
import { RenderedPod, RuleProblem } from './rule';
import { describeProblem } from '../core/errors';

/**
 * A problem found by a rule, as the plan, the validation plugin and the synth report it.
 *
 * @internal
 */
export interface Finding {
  readonly rule: string;
  readonly level: 'error' | 'warning';
  readonly problem: RuleProblem;
  /** `field: value problem. fix` */
  readonly message: string;
  /** Why it does not count, when the workload suppresses the rule. */
  readonly suppressedBecause?: string;
}

/**
 * Runs every rule over one rendered pod template. Findings of a rule the workload
 * suppresses come back with the reason, apart from those that count.
 *
 * @internal
 */
export function judge(pod: RenderedPod): { findings: Finding[]; suppressed: Finding[] } {
  const { suppressions } = readSuppressions(pod.metadata);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const rule of RULES) {
    const reason = rule.id === invalidSuppression.id ? undefined : suppressions.get(rule.id);
    for (const problem of rule.check(pod)) {
      const finding = {
        rule: rule.id,
        level: rule.level,
        problem,
        message: describeProblem(problem.field, problem.value, problem.problem, problem.fix),
        ...reason === undefined ? {} : { suppressedBecause: reason },
      };
      (reason === undefined ? findings : suppressed).push(finding);
    }
  }
  return { findings, suppressed };
}
