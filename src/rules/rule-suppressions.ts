import { IConstruct } from 'constructs';
import { RULES } from './all';
import { addRuleChecks, recordSuppression } from './synth-check';
import { fail } from '../core/errors';

/**
 * A rule turned off, and why.
 */
export interface RuleSuppression {
  /** The rule's id, as docs/RULES.md lists it, for example `sidecar-without-limits`. */
  readonly id: string;
  /** Why the rule does not apply: what a reviewer reads in the manifest and in the plan. */
  readonly reason: string;
}

/**
 * Turns rules off for one workload or for every workload under a scope (a chart, the
 * whole app), each with a reason, as cdk-nag suppressions do. The synth then fails on
 * none of the rule's findings there; the suppressions are written into the workload's
 * annotation `cdk8s-sidecars/suppressed-rules` (a JSON object of rule id to reason),
 * so that they are reviewed in Git with the manifest, and `cdk8s-sidecars plan` and
 * `PlanValidation` show each suppressed finding with its reason instead of counting it.
 * The same annotation written by hand suppresses rules in any manifest.
 */
export class RuleSuppressions {
  /**
   * Suppresses rules for the workloads under `scope`.
   *
   * @param scope a workload (any construct whose manifest holds a pod template), a chart, or the app
   * @param suppressions the rules and the reasons
   */
  public static add(scope: IConstruct, suppressions: RuleSuppression[]): void {
    const ids = RULES.map(r => r.id).filter(id => id !== 'invalid-suppression');
    suppressions.forEach((s, i) => {
      if (!ids.includes(s.id)) {
        fail(scope, `suppressions[${i}].id`, s.id, 'is not a rule that can be suppressed', `Name one of: ${ids.join(', ')}.`);
      }
      if (typeof s.reason !== 'string' || s.reason.trim() === '') {
        fail(scope, `suppressions[${i}].reason`, s.reason, 'gives no reason', 'Say why the rule does not apply here: the reason is what a reviewer reads.');
      }
    });
    for (const s of suppressions) {
      recordSuppression(scope, s.id, s.reason);
    }
    addRuleChecks(scope);
  }

  private constructor() {
  }
}
