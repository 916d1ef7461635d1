import { ApiObject, App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { judge } from './engine';
import { SUPPRESSIONS_ANNOTATION } from './invalid-suppression';
import { readPod } from './pod';
import { SidecarProblem, SidecarValidationError, problemAt } from '../core/errors';
import { findPodRecord } from '../core/pod-record';
import { podSpecPointer } from '../core/pod-template';
import { unrenderableProblems } from '../core/validate';
import { Workload } from '../core/workload';

const checkedApps = new WeakSet<IConstruct>();

/** Per app, while its `synth` or `synthYaml` runs: the workloads judged so far, with their errors. */
const synthInProgress = new WeakMap<IConstruct, Map<ApiObject, SidecarProblem[]>>();

/**
 * Makes the app judge every workload it synthesizes with the rules, once, however many
 * constructs of this library it holds: a validation on the app's root, which cdk8s
 * runs first, before anything is written.
 *
 * @internal
 */
export function addRuleChecks(scope: IConstruct): void {
  const root = scope.node.root;
  if (checkedApps.has(root)) {
    return;
  }
  checkedApps.add(root);
  if (root instanceof App) {
    renderOncePerSynth(root);
  }
  root.node.addValidation({
    validate: () => {
      const problems = judgeApp(root);
      if (problems.length > 0) {
        throw new SidecarValidationError(problems);
      }
      return [];
    },
  });
}

/**
 * cdk8s validates the whole app before it writes anything, and again before each chart
 * it renders (`App.synth` and `App.synthYaml` call `Chart.toJson`, which validates).
 * While the app's `synth` or `synthYaml` runs, each workload is rendered and judged
 * once: the rendering judged is the one the chart writes, and the validations after
 * the first reuse the judgment, so an app of many charts is not judged once per chart.
 * Outside them (`Testing.synth` of a chart) every validation renders afresh and keeps
 * nothing.
 */
function renderOncePerSynth(app: App): void {
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = app[method];
    (app as any)[method] = () => {
      const judged = new Map<ApiObject, SidecarProblem[]>();
      synthInProgress.set(app, judged);
      try {
        return original.call(app);
      } finally {
        synthInProgress.delete(app);
        judged.forEach((_, apiObject) => forgetRendering(apiObject));
      }
    };
  }
}

/**
 * The construct a user knows a manifest by: the cdk8s-plus workload whose default
 * child it is, else the ApiObject itself.
 */
function ownerOf(apiObject: ApiObject): IConstruct {
  const parent = apiObject.node.scope;
  return parent && parent.node.defaultChild === apiObject ? parent : apiObject;
}

/**
 * The errors of every workload of the app: each manifest rendered once, after every
 * escape hatch, with its suppressions written into its annotations, and judged.
 */
function judgeApp(root: IConstruct): SidecarProblem[] {
  const judged = synthInProgress.get(root);
  const problems: SidecarProblem[] = [];
  for (const apiObject of root.node.findAll()) {
    if (!(apiObject instanceof ApiObject) || podSpecPointer(apiObject.kind) === undefined) {
      continue;
    }
    const errors = judged?.get(apiObject) ?? judgeWorkload(apiObject, judged !== undefined);
    judged?.set(apiObject, errors);
    problems.push(...errors);
  }
  return problems;
}

/**
 * The errors of one workload, rendered after every escape hatch with its suppressions
 * written into its annotations; with `keep`, the rendering is kept for the synth.
 */
function judgeWorkload(apiObject: ApiObject, keep: boolean): SidecarProblem[] {
  const owner = ownerOf(apiObject);
  const path = owner.node.path;
  // values cdk8s-plus cannot write stop its rendering with a bare error: named first
  const unrenderable = unrenderableProblems(owner instanceof kplus.AbstractPod ? owner : undefined, Workload.find(apiObject)?.placedContainers ?? []);
  if (unrenderable.length > 0) {
    return unrenderable.map(p => problemAt('unrenderable-value', path, p.field, p.value, p.problem, p.fix));
  }
  const suppressions = suppressionsFor(apiObject);
  if (suppressions !== undefined) {
    apiObject.metadata.addAnnotation(SUPPRESSIONS_ANNOTATION, suppressions);
  }
  const pod = readPod(keep ? keepRendering(apiObject) : apiObject.toJson(), findPodRecord(apiObject));
  return (pod ? judge(pod).findings : [])
    .filter(finding => finding.level === 'error')
    .map(({ rule, problem: p }) => problemAt(rule, path, p.field, p.value, p.problem, p.fix));
}

/** The `toJson` an ApiObject had before `keepRendering` replaced it (undefined: its class's). */
const replacedToJson = new WeakMap<ApiObject, (() => any) | undefined>();

/**
 * Renders a manifest and keeps the rendering for the synth in progress: the object's
 * next `toJson` returns it and puts the object's own `toJson` back.
 */
function keepRendering(apiObject: ApiObject): any {
  const json = apiObject.toJson();
  replacedToJson.set(apiObject, Object.prototype.hasOwnProperty.call(apiObject, 'toJson') ? apiObject.toJson : undefined);
  apiObject.toJson = () => {
    forgetRendering(apiObject);
    return json;
  };
  return json;
}

/** Puts back the `toJson` that `keepRendering` replaced, if it still is replaced. */
function forgetRendering(apiObject: ApiObject): void {
  if (!replacedToJson.has(apiObject)) {
    return;
  }
  const own = replacedToJson.get(apiObject);
  replacedToJson.delete(apiObject);
  if (own) {
    apiObject.toJson = own;
  } else {
    delete (apiObject as { toJson?: unknown }).toJson;
  }
}

const suppressed = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that a rule is suppressed for the workloads under a scope (see
 * `RuleSuppressions.add`, which checks the id and the reason).
 *
 * @internal
 */
export function recordSuppression(scope: IConstruct, id: string, reason: string): void {
  const map = suppressed.get(scope) ?? new Map<string, string>();
  map.set(id, reason);
  suppressed.set(scope, map);
}

/**
 * The annotation value for a manifest: the suppressions of every scope from the app
 * down to it (an inner reason replaces an outer one), as JSON sorted by rule id;
 * undefined when there are none.
 */
function suppressionsFor(apiObject: ApiObject): string | undefined {
  const merged = new Map<string, string>();
  for (const scope of apiObject.node.scopes) {
    for (const [id, reason] of suppressed.get(scope) ?? []) {
      merged.set(id, reason);
    }
  }
  if (merged.size === 0) {
    return undefined;
  }
  return JSON.stringify(Object.fromEntries([...merged].sort(([a], [b]) => a < b ? -1 : 1)));
}
