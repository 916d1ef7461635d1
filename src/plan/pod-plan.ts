import { IConstruct } from 'constructs';
import { podSecurityLevel, podSecurityViolations, policyVersion } from './pod-security/policy';
import { effective, isPodLevelResource, qosClass, quantities, steadyState } from './resources';
import { findPodRecord } from '../core/pod-record';
import { isJobKind, podTemplateOf, workloadApiObject } from '../core/pod-template';
import { containerAmounts } from '../core/quantity';
import { judge } from '../rules/engine';
import { objectsIn, readPod } from '../rules/pod';
import { RenderedPod } from '../rules/rule';

/**
 * Options of a plan.
 */
export interface PodPlanOptions {
  /**
   * The Kubernetes version the manifests are for, such as "1.28": native sidecars on
   * a version before 1.29 are warned about.
   *
   * @default - no particular version
   */
  readonly kubernetesVersion?: string;

  /**
   * The Pod Security Standards policy version to judge by, as the namespace label
   * `pod-security.kubernetes.io/enforce-version` gives it: `latest` or `v1.N` (v1.22
   * or newer; a version newer than the latest known counts as the latest, as the
   * admission controller clamps it).
   *
   * @default "latest"
   */
  readonly podSecurityVersion?: string;
}

/** Requests and limits by resource name, as Kubernetes quantity strings. */
export interface PlanResources {
  /** Requests, for example `{ cpu: "250m", memory: "160Mi" }`. */
  readonly requests: { [resource: string]: string };
  /** Limits. */
  readonly limits: { [resource: string]: string };
}

/** One step of a Pod's start or stop. */
export interface PlanStep {
  /** The containers of the step: one, or all app containers at once. */
  readonly containers: string[];
  /** `init` (runs to completion), `sidecar` (a restartable init container) or `app`. */
  readonly role: string;
  /** What the kubelet waits for before the next step. */
  readonly until: string;
}

/** A control of the Pod Security Standards that the pod template fails. */
export interface PlanViolation {
  /** The control, as the standard names it, for example "Capabilities". */
  readonly control: string;
  /** The profile it belongs to: baseline or restricted. */
  readonly profile: string;
  /** The container, where the control is about one. */
  readonly container?: string;
  /** The field that fails it. */
  readonly field: string;
}

/** The Pod Security Standards level a pod template meets, and why not the next. */
export interface PlanPodSecurity {
  /** privileged, baseline or restricted. */
  readonly level: string;
  /** The policy version judged by, for example `v1.37`. */
  readonly version: string;
  /** Every control failed, baseline ones first. */
  readonly violations: PlanViolation[];
}

/** A volume and the containers that mount it. */
export interface PlanVolume {
  readonly name: string;
  /** The volume source, for example emptyDir, configMap, secret. */
  readonly type: string;
  readonly readWrite: string[];
  readonly readOnly: string[];
}

/** What a rule found (docs/RULES.md lists the rules). */
export interface PlanFinding {
  /** The rule's id, for example "sidecar-without-limits". */
  readonly rule: string;
  /** `error` or `warning`. */
  readonly level: string;
  /** The field, the value, what is wrong and the fix. */
  readonly message: string;
}

/** A finding that does not count, because the workload suppresses its rule. */
export interface PlanSuppressedFinding {
  /** The rule's id. */
  readonly rule: string;
  /** `error` or `warning`. */
  readonly level: string;
  /** The finding. */
  readonly message: string;
  /** Why the workload suppresses the rule. */
  readonly reason: string;
}

/** A port a container declares. */
export interface PlanPort {
  readonly container: string;
  readonly port: number;
  readonly protocol: string;
  readonly name?: string;
}

/**
 * What a Pod will do, read from a workload before anything is applied: the order in
 * which its containers start and stop, the requests and limits the scheduler and
 * ResourceQuota count (restartable init containers included), the QoS class, the Pod
 * Security Standards level with every control it fails, volumes and ports, whether a
 * Job's Pod can complete, and the errors the API server or the kubelet would meet and
 * the warnings worth a reviewer's eye.
 */
export class PodPlan {
  /** Whether a manifest has a pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). */
  public static isWorkload(manifest: any): boolean {
    return podTemplateOf(manifest) !== undefined;
  }

  /**
   * The plan of a workload manifest (parsed YAML or JSON).
   *
   * @param manifest a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob
   * @param options the target Kubernetes version
   */
  public static fromManifest(manifest: any, options: PodPlanOptions = {}): PodPlan {
    const template = podTemplateOf(manifest);
    if (!template) {
      throw new Error(`${describe(manifest)} has no pod template: plans are made of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs.`);
    }
    const pod = readPod(manifest, undefined, options.kubernetesVersion);
    if (!pod) {
      throw new Error(`${describe(manifest)} has no pod spec where its kind keeps it.`);
    }
    return new PodPlan(pod, template.metadata ?? {}, policyVersion(options.podSecurityVersion));
  }

  /**
   * The plan of a workload, as it will be synthesized.
   *
   * @param workload any construct that renders a pod template: a workload of any
   * cdk8s-plus line, or an ApiObject (`cdk8s import`, `Include`)
   * @param options the target Kubernetes version
   */
  public static fromWorkload(workload: IConstruct, options: PodPlanOptions = {}): PodPlan {
    const apiObject = workloadApiObject(workload, 'workload', workload);
    const manifest = apiObject.toJson();
    // with what the sidecars of this library recorded beside the manifest
    const pod = readPod(manifest, findPodRecord(apiObject), options.kubernetesVersion)!;
    return new PodPlan(pod, podTemplateOf(manifest)!.metadata ?? {}, policyVersion(options.podSecurityVersion));
  }

  /** The workload's kind. */
  public readonly kind: string;
  /** The workload's name. */
  public readonly name: string;
  /** The workload's namespace, when the manifest names one. */
  public readonly namespace?: string;
  /** Requests and limits of the Pod as the scheduler and ResourceQuota count them. */
  public readonly effective: PlanResources;
  /** What app containers and sidecars use once the Pod has started. */
  public readonly steadyState: PlanResources;
  /** Resources (cpu, memory, ephemeral-storage) with a Pod limit that some container has no limit for: the Pod's limit is no real bound there. */
  public readonly unboundedLimits: string[];
  /** Guaranteed, Burstable or BestEffort. */
  public readonly qos: string;
  /** The Pod Security Standards level. */
  public readonly podSecurity: PlanPodSecurity;
  /** The start: init containers and sidecars one by one, then the app containers together. */
  public readonly startOrder: PlanStep[];
  /** The stop: the app containers, then the sidecars in reverse order. */
  public readonly stopOrder: PlanStep[];
  /** Volumes and who mounts them. */
  public readonly volumes: PlanVolume[];
  /** Ports by container. */
  public readonly ports: PlanPort[];
  /**
   * For a Job or CronJob, whether its Pod completes: `yes` when at most one regular
   * container is not shown to stop (the Job's main container), `never` when one runs
   * until killed (rule job-never-completes), `unknown` when two or more may each serve
   * until stopped (rule job-completion-unknown).
   */
  public readonly completes?: string;
  /** The messages of the error findings: what the API server would reject, or what would keep the Pod from stopping or a Job from completing. */
  public readonly errors: string[];
  /** The messages of the warning findings: what deserves a reviewer's eye. */
  public readonly warnings: string[];
  /** Every finding that counts, errors first, each with its rule. */
  public readonly findings: PlanFinding[];
  /** The findings of rules the workload suppresses, with the reasons. */
  public readonly suppressed: PlanSuppressedFinding[];

  private constructor(pod: RenderedPod, metadata: any, podSecurityVersion: number) {
    const manifest = pod.manifest;
    const spec = pod.spec;
    this.kind = manifest.kind;
    this.name = String(manifest.metadata?.name ?? '(unnamed)');
    this.namespace = manifest.metadata?.namespace;
    const initSpecs = pod.initContainers;
    const appSpecs = pod.containers;
    const volumeSpecs = objectsIn(spec.volumes);
    const isSidecar = (c: any) => c.restartPolicy === 'Always';
    const init = pod.init;
    const app = pod.app;

    // pod-level resources, read once: for cpu and memory they replace the containers' totals and decide the QoS class
    const podLevel = spec.resources ? containerAmounts({ resources: spec.resources }, false) : undefined;
    const total = effective(init, app, podLevel, spec.overhead);
    this.effective = { requests: quantities(total.requests), limits: quantities(total.limits) };
    this.steadyState = { requests: quantities(steadyState(init, app, 'requests')), limits: quantities(steadyState(init, app, 'limits')) };
    // a Pod limit that some container does not share in bounds nothing: that container may use any amount
    // (of what a node shares out without a request: cpu, memory, ephemeral storage; a container
    // without a hugepages or extended resource limit gets none of it)
    this.unboundedLimits = [...total.limits.keys()]
      .filter(name => ['cpu', 'memory', 'ephemeral-storage'].includes(name))
      .filter(name => !(isPodLevelResource(name) && podLevel?.limits.has(name)) && [...init, ...app].some(c => !c.limits.has(name)))
      .sort();
    this.qos = qosClass([...init, ...app], podLevel);
    const violations = podSecurityViolations(metadata, spec, podSecurityVersion);
    this.podSecurity = { level: podSecurityLevel(violations), version: `v1.${podSecurityVersion}`, violations };

    this.startOrder = [
      ...initSpecs.map(c => ({
        containers: [String(c.name)],
        role: isSidecar(c) ? 'sidecar' : 'init',
        until: isSidecar(c) ? (c.startupProbe ? 'startupProbe succeeds' : 'process started') : 'exits 0',
      })),
      ...appSpecs.length > 0 ? [{ containers: appSpecs.map(c => String(c.name)), role: 'app', until: 'running' }] : [],
    ];
    this.stopOrder = [
      ...appSpecs.length > 0 ? [{ containers: appSpecs.map(c => String(c.name)), role: 'app', until: 'exited' }] : [],
      ...initSpecs.filter(isSidecar).reverse().map(c => ({ containers: [String(c.name)], role: 'sidecar', until: 'exited' })),
    ];
    this.volumes = volumesOf(volumeSpecs, [...initSpecs, ...appSpecs]);
    this.ports = [...initSpecs, ...appSpecs].flatMap(c => objectsIn(c.ports).map((p: any) => ({
      container: String(c.name), port: p.containerPort, protocol: p.protocol ?? 'TCP', ...p.name ? { name: p.name } : {},
    })));

    const judged = judge(pod);
    this.findings = [...judged.findings.filter(f => f.level === 'error'), ...judged.findings.filter(f => f.level === 'warning')]
      .map(f => ({ rule: f.rule, level: f.level, message: f.message }));
    this.suppressed = judged.suppressed.map(f => ({ rule: f.rule, level: f.level, message: f.message, reason: f.suppressedBecause! }));
    this.errors = this.findings.filter(f => f.level === 'error').map(f => f.message);
    this.warnings = this.findings.filter(f => f.level === 'warning').map(f => f.message);
    if (isJobKind(this.kind)) {
      // a suppressed finding does not count, but it still decides the verdict
      const rules = [...judged.findings, ...judged.suppressed].map(f => f.rule);
      this.completes = rules.includes('job-never-completes') ? 'never' : rules.includes('job-completion-unknown') ? 'unknown' : 'yes';
    }
  }

  /**
   * The plan in its documented, stable JSON shape: `kind`, `name`, `namespace`,
   * `effective` and `steadyState` (`requests`, `limits`), `unboundedLimits`, `qos`,
   * `podSecurity` (`level`, `violations`), `startOrder`, `stopOrder`, `volumes`,
   * `ports`, `completes` (Jobs and CronJobs: yes, never or unknown), `warnings`, `errors` (the messages),
   * `findings` (`rule`, `level`, `message`), `suppressed` (`rule`, `level`, `message`, `reason`).
   */
  public toJson(): any {
    return {
      kind: this.kind,
      name: this.name,
      namespace: this.namespace ?? null,
      effective: this.effective,
      steadyState: this.steadyState,
      unboundedLimits: this.unboundedLimits,
      qos: this.qos,
      podSecurity: this.podSecurity,
      startOrder: this.startOrder,
      stopOrder: this.stopOrder,
      volumes: this.volumes,
      ports: this.ports,
      ...this.completes === undefined ? {} : { completes: this.completes },
      warnings: this.warnings,
      errors: this.errors,
      findings: this.findings,
      suppressed: this.suppressed,
    };
  }
}

function describe(manifest: any): string {
  return `${manifest?.kind ?? 'an object without kind'}${manifest?.metadata?.name ? ` "${manifest.metadata.name}"` : ''}`;
}

function volumesOf(volumes: any[], containers: any[]): PlanVolume[] {
  return volumes.map((v: any) => {
    const mounts = containers.flatMap(c => objectsIn(c.volumeMounts)
      .filter((m: any) => m.name === v.name)
      .map((m: any) => ({ c, m })));
    return {
      name: String(v.name),
      type: Object.keys(v).find(k => k !== 'name') ?? 'unknown',
      readWrite: mounts.filter(({ m }: any) => m.readOnly !== true).map(({ c }: any) => String(c.name)),
      readOnly: mounts.filter(({ m }: any) => m.readOnly === true).map(({ c }: any) => String(c.name)),
    };
  });
}
