import { IConstruct } from 'constructs';

/**
 * Words a synth-time error the way every check of this library does: the field, the
 * value it had, what is wrong with it and what to do instead.
 *
 * Validations return this text and cdk8s puts the construct path in front of it;
 * errors thrown from a constructor get the path from `fail`.
 *
 * @internal
 */
export function describeProblem(field: string, value: unknown, problem: string, fix: string): string {
  return `${field}: ${formatValue(value)} ${problem}. ${fix}`;
}

/**
 * Throws a synth-time error naming the construct path (see `describeProblem`).
 *
 * @internal
 */
export function fail(scope: IConstruct, field: string, value: unknown, problem: string, fix: string): never {
  throw new Error(`[${scope.node.path}] ${describeProblem(field, value, problem, fix)}`);
}

function formatValue(value: unknown): string {
  if (value === undefined) {
    return '(not set)';
  }
  return JSON.stringify(value);
}

/**
 * A name as it stands in a field path such as `containers[NAME].ports`: as it is when
 * plain, else quoted as JSON, so that a name holding a line break or a bracket cannot
 * break the message in two or pass for another field.
 *
 * @internal
 */
export function nameInPath(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z0-9._-]+$/.test(name) ? name : JSON.stringify(name) ?? String(name);
}
