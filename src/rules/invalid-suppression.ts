import * as all from './all';
import { Rule, RuleProblem } from './rule';
import { isPlainObject } from '../core/validate';

/**
 * The annotation of a workload that names the rules suppressed for it, with the
 * reasons: a JSON object of rule id to reason, written by `RuleSuppressions.add`.
 *
 * @internal
 */
export const SUPPRESSIONS_ANNOTATION = 'cdk8s-sidecars/suppressed-rules';

/**
 * The suppressions a workload's metadata names (rule id to reason), and what is wrong
 * with the annotation: not a JSON object, a rule that does not exist, a reason that
 * is empty. Only well-formed entries suppress.
 *
 * @internal
 */
export function readSuppressions(metadata: any): { suppressions: Map<string, string>; problems: RuleProblem[] } {
  const suppressions = new Map<string, string>();
  const problems: RuleProblem[] = [];
  const text = metadata?.annotations?.[SUPPRESSIONS_ANNOTATION];
  if (text === undefined) {
    return { suppressions, problems };
  }
  const field = `metadata.annotations[${SUPPRESSIONS_ANNOTATION}]`;
  const fix = 'Write a JSON object of rule id to reason, for example {"sidecar-without-limits":"the node agent is limited by its LimitRange"}, or use RuleSuppressions.add.';
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(text));
  } catch {
    parsed = undefined;
  }
  if (!isPlainObject(parsed)) {
    problems.push({ field, value: text, problem: 'is not a JSON object of rule ids to reasons', fix });
    return { suppressions, problems };
  }
  for (const [id, reason] of Object.entries(parsed as object)) {
    if (!all.RULES.some(rule => rule.id === id && rule.id !== invalidSuppression.id)) {
      problems.push({ field: `${field}.${id}`, value: reason, problem: 'suppresses a rule that does not exist (or cannot be suppressed)', fix: `Name one of the rules: ${all.RULES.map(r => r.id).filter(r => r !== invalidSuppression.id).join(', ')}.` });
    } else if (typeof reason !== 'string' || reason.trim() === '') {
      problems.push({ field: `${field}.${id}`, value: reason, problem: 'gives no reason', fix: 'Say why the rule does not apply to this workload: the reason is what a reviewer reads.' });
    } else {
      suppressions.set(id, reason);
    }
  }
  return { suppressions, problems };
}

/** The suppressions annotation is well formed. */
export const invalidSuppression: Rule = {
  id: 'invalid-suppression',
  level: 'error',
  checks: `The annotation ${SUPPRESSIONS_ANNOTATION} of a workload is a JSON object that names existing rules, each with a reason. It cannot be suppressed itself.`,
  fix: 'Name existing rules, each with the reason it does not apply.',
  check(pod) {
    return readSuppressions(pod.metadata).problems;
  },
};
