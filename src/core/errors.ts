import { IConstruct } from 'constructs';

/**
 * One problem found at synth: where, which field, what it holds, and what to do.
 */
export interface SidecarProblem {
  /**
   * A stable code: the id of the rule that found it (see docs/RULES.md),
   * `invalid-prop` for a prop checked when a construct is created, or
   * `unrenderable-value` for a workload prop that cdk8s-plus cannot write.
   */
  readonly code: string;
  /** The construct path of the workload or construct, for example `chart/web`. */
  readonly path: string;
  /** The field, for example `containers[app].ports` or `drainTime`. */
  readonly field: string;
  /** The value it had, as JSON; undefined when the problem is about a field that is not set or has no single value. */
  readonly value?: string;
  /** What to do instead. */
  readonly fix: string;
  /** The whole message: `[path] field: value problem. fix`. */
  readonly message: string;
}

/**
 * The error a synth of this library throws: every problem found, each with its code,
 * construct path, field, value and fix. Thrown when a construct is created with a
 * prop it cannot take (one problem), and when the app is synthesized and the rules
 * find errors in the rendered pod templates (all of them, from every workload at
 * once); nothing is written then.
 *
 * Not exported: jsii cannot express a class that extends `Error`. Users read it with
 * `SidecarErrors.isValidationError` and `SidecarErrors.problemsOf`.
 *
 * @internal
 */
export class SidecarValidationError extends Error {
  /** Every problem, in the order found. */
  public readonly problems: SidecarProblem[];
  /** The code of the first problem. */
  public readonly code: string;
  /** The construct path of the first problem. */
  public readonly path: string;
  /** The field of the first problem. */
  public readonly field: string;
  /** The value of the first problem, as JSON. */
  public readonly value?: string;
  /** The fix of the first problem. */
  public readonly fix: string;

  /**
   * @param problems at least one problem
   */
  constructor(problems: SidecarProblem[]) {
    super(problems.length === 1 ? problems[0].message
      : `Validation failed with the following errors:\n  ${problems.map(p => p.message).join('\n  ')}`);
    Object.setPrototypeOf(this, SidecarValidationError.prototype);
    this.name = 'SidecarValidationError';
    this.problems = problems;
    this.code = problems[0].code;
    this.path = problems[0].path;
    this.field = problems[0].field;
    this.value = problems[0].value;
    this.fix = problems[0].fix;
  }
}

/**
 * Reads the errors this library throws, as aws-cdk's `Errors` does: a
 * `SidecarValidationError` is an `Error` whose `name` is "SidecarValidationError" and
 * that carries every problem found.
 */
export class SidecarErrors {
  /**
   * Whether `x` is an error of this library's validation (a prop a construct cannot
   * take, or an error a rule found in a rendered pod template).
   *
   * @param x anything caught
   */
  public static isValidationError(x: any): boolean {
    return x instanceof SidecarValidationError;
  }

  /**
   * The problems a validation error of this library carries, in the order found, each
   * with its code, construct path, field, value and fix; none for any other value.
   *
   * @param x anything caught
   */
  public static problemsOf(x: any): SidecarProblem[] {
    return x instanceof SidecarValidationError ? [...x.problems] : [];
  }

  private constructor() {
  }
}

/**
 * Marks a problem that is about a field as a whole rather than one value of it (the
 * message then shows no value).
 *
 * @internal
 */
export const NO_VALUE: unique symbol = Symbol('no value');

/**
 * Words a synth-time error the way every check of this library does: the field, the
 * value it had, what is wrong with it and what to do instead.
 *
 * @internal
 */
export function describeProblem(field: string, value: unknown, problem: string, fix: string): string {
  return `${field}: ${value === NO_VALUE ? '' : `${formatValue(value)} `}${problem}. ${fix}`;
}

/**
 * A problem with its construct path, as `SidecarValidationError` carries it.
 *
 * @internal
 */
export function problemAt(code: string, path: string, field: string, value: unknown, problem: string, fix: string): SidecarProblem {
  return {
    code,
    path,
    field,
    ...value === NO_VALUE ? {} : { value: formatValue(value) },
    fix,
    message: `[${path}] ${describeProblem(field, value, problem, fix)}`,
  };
}

/**
 * Throws a `SidecarValidationError` (code `invalid-prop`) naming the construct path.
 *
 * @internal
 */
export function fail(scope: IConstruct, field: string, value: unknown, problem: string, fix: string): never {
  throw new SidecarValidationError([problemAt('invalid-prop', scope.node.path, field, value, problem, fix)]);
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
