import { PlanFinding, PlanStep, PlanViolation, PodPlan } from './pod-plan';
import { formatQuantity, parseQuantity } from '../core/quantity';

/** A container that one side has and the other has not. @internal */
export interface ContainerChange {
  readonly name: string;
  /** init, sidecar or app. */
  readonly role: string;
}

/** A resource whose effective request or limit changed. @internal */
export interface ResourceChange {
  /** requests or limits. */
  readonly kind: string;
  readonly resource: string;
  /** The amount before; absent when there was none. */
  readonly before?: string;
  /** The amount after; absent when there is none. */
  readonly after?: string;
  /** after − before, signed: `+100m`, `-64Mi`. */
  readonly delta: string;
}

/** A value before and after, present only when it changed. @internal */
export interface Changed<T> {
  readonly before: T;
  readonly after: T;
}

/**
 * What a change does to one workload, matched by kind, namespace and name: added,
 * removed or changed (workloads whose plan is the same are only counted).
 *
 * @internal
 */
export interface WorkloadDiff {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** added, removed or changed. */
  readonly change: string;
  /** The plan before (absent for an added workload). */
  readonly before?: PodPlan;
  /** The plan after (absent for a removed workload). */
  readonly after?: PodPlan;
  readonly containersAdded: ContainerChange[];
  readonly containersRemoved: ContainerChange[];
  readonly startOrder?: Changed<PlanStep[]>;
  readonly stopOrder?: Changed<PlanStep[]>;
  readonly resources: ResourceChange[];
  readonly qos?: Changed<string>;
  readonly podSecurity?: Changed<string>;
  readonly violationsNew: PlanViolation[];
  readonly violationsGone: PlanViolation[];
  readonly findingsNew: PlanFinding[];
  readonly findingsGone: PlanFinding[];
  readonly completes?: Changed<string | undefined>;
  /** Why the change makes this workload worse: a new error, a lower Pod Security level. Empty when it does not. */
  readonly worse: string[];
}

/** The Pod Security levels from lowest to highest. */
const LEVELS = ['privileged', 'baseline', 'restricted'];

/** Every container of a plan with its role, in start order. @internal */
export function containersOf(plan: PodPlan | undefined): ContainerChange[] {
  return (plan?.startOrder ?? []).flatMap(step => step.containers.map(name => ({ name, role: step.role })));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function changed<T>(before: T, after: T): Changed<T> | undefined {
  return sameJson(before, after) ? undefined : { before, after };
}

/** The items of `list` that `other` does not have, compared as JSON. */
function missingFrom<T>(list: T[], other: T[]): T[] {
  const keys = new Set(other.map(item => JSON.stringify(item)));
  return list.filter(item => !keys.has(JSON.stringify(item)));
}

function signed(resource: string, milli: bigint): string {
  return milli < 0n ? `-${formatQuantity(resource, -milli)}` : `+${formatQuantity(resource, milli)}`;
}

function resourceChanges(before: PodPlan | undefined, after: PodPlan | undefined): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    const a = before?.effective[kind] ?? {};
    const b = after?.effective[kind] ?? {};
    for (const resource of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (a[resource] === b[resource]) {
        continue;
      }
      // the plan writes only quantities it parsed, each in one canonical form: both
      // sides parse, and different texts are different amounts
      const delta = parseQuantity(b[resource] ?? '0')! - parseQuantity(a[resource] ?? '0')!;
      changes.push({
        kind,
        resource,
        ...a[resource] === undefined ? {} : { before: a[resource] },
        ...b[resource] === undefined ? {} : { after: b[resource] },
        delta: signed(resource, delta),
      });
    }
  }
  return changes;
}

/**
 * What a change does to a workload: `before` and `after` are its plans on the two
 * sides (one may be absent); undefined when the plans are the same.
 *
 * @internal
 */
export function diffWorkload(before: PodPlan | undefined, after: PodPlan | undefined): WorkloadDiff | undefined {
  const either = (after ?? before)!;
  if (before && after && sameJson(before.toJson(), after.toJson())) {
    return undefined;
  }
  const beforeContainers = containersOf(before);
  const afterContainers = containersOf(after);
  const beforeNames = new Set(beforeContainers.map(c => c.name));
  const afterNames = new Set(afterContainers.map(c => c.name));
  const beforeLevel = before?.podSecurity.level;
  const afterLevel = after?.podSecurity.level;
  const findingsNew = missingFrom(after?.findings ?? [], before?.findings ?? []);
  const worse: string[] = [];
  const newErrors = findingsNew.filter(f => f.level === 'error');
  if (newErrors.length > 0) {
    worse.push(`${newErrors.length === 1 ? 'a new error' : `${newErrors.length} new errors`} (${[...new Set(newErrors.map(f => f.rule))].join(', ')})`);
  }
  if (beforeLevel !== undefined && afterLevel !== undefined && LEVELS.indexOf(afterLevel) < LEVELS.indexOf(beforeLevel)) {
    worse.push(`Pod Security ${beforeLevel} → ${afterLevel}`);
  }
  const both = before !== undefined && after !== undefined;
  return {
    kind: either.kind,
    ...either.namespace === undefined ? {} : { namespace: either.namespace },
    name: either.name,
    change: !before ? 'added' : !after ? 'removed' : 'changed',
    ...before ? { before } : {},
    ...after ? { after } : {},
    containersAdded: afterContainers.filter(c => !beforeNames.has(c.name)),
    containersRemoved: beforeContainers.filter(c => !afterNames.has(c.name)),
    ...both ? {
      startOrder: changed(before.startOrder, after.startOrder),
      stopOrder: changed(before.stopOrder, after.stopOrder),
      qos: changed(before.qos, after.qos),
      podSecurity: changed(before.podSecurity.level, after.podSecurity.level),
      completes: changed(before.completes, after.completes),
    } : {},
    resources: resourceChanges(before, after),
    violationsNew: missingFrom(after?.podSecurity.violations ?? [], before?.podSecurity.violations ?? []),
    violationsGone: missingFrom(before?.podSecurity.violations ?? [], after?.podSecurity.violations ?? []),
    findingsNew,
    findingsGone: missingFrom(before?.findings ?? [], after?.findings ?? []),
    worse,
  };
}

/**
 * The key a workload is matched by across the two sides: kind, namespace and name.
 *
 * @internal
 */
export function workloadKey(plan: PodPlan): string {
  return `${plan.kind}/${plan.namespace ?? ''}/${plan.name}`;
}
