import { KubernetesVersion } from '../core/mode';
import { PodRecord } from '../core/pod-record';
import { ContainerAmounts } from '../core/quantity';

/**
 * What a rule judges: one rendered pod template, read from the manifest that ships,
 * with what the constructs of this library recorded beside it.
 *
 * @internal
 */
export interface RenderedPod {
  /** The workload's kind: Pod, Deployment, ..., Job, CronJob. */
  readonly kind: string;
  /** The whole manifest (a Job's own spec holds its deadline). */
  readonly manifest: any;
  /** The workload's own metadata (not the template's). */
  readonly metadata: any;
  /** The pod spec, an object. */
  readonly spec: any;
  /** The entries of `spec.initContainers` that are objects. */
  readonly initContainers: any[];
  /** The entries of `spec.containers` that are objects. */
  readonly containers: any[];
  /** The requests and limits of `initContainers`, in the same order. */
  readonly init: ContainerAmounts[];
  /** The requests and limits of `containers`, in the same order. */
  readonly app: ContainerAmounts[];
  /** What the constructs recorded; empty for a manifest no construct of this library touched. */
  readonly record: PodRecord;
  /** The Kubernetes version the manifests are for, when known. */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * One problem a rule found: the field (relative to the pod spec, for example
 * `containers[app].ports`), the value it holds, what is wrong and what to do.
 *
 * @internal
 */
export interface RuleProblem {
  readonly field: string;
  /** The value, or NO_VALUE (core/errors) when the problem is about the field as a whole. */
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/**
 * A check of a rendered pod template, in a file of its own under src/rules/.
 *
 * @internal
 */
export interface Rule {
  /** Stable, kebab-case: the code of its findings, the name under which it is suppressed. */
  readonly id: string;
  /** `error` fails the synth and the plan; `warning` is shown by the plan and the validation plugin. */
  readonly level: 'error' | 'warning';
  /** What it checks, in one sentence (docs/RULES.md). */
  readonly checks: string;
  /** What to do about a finding, in one sentence (docs/RULES.md). */
  readonly fix: string;
  /** The problems of one pod template. */
  check(pod: RenderedPod): RuleProblem[];
}
