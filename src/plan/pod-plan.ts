import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { containerPath, objectsIn, podChecks } from './checks';
import { podSecurityLevel, podSecurityViolations } from './pod-security';
import { ContainerAmounts, containerAmounts, effective, qosClass, quantities, steadyState } from './resources';
import { isPlainObject } from '../core/validate';

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

/** A warning with the name of its rule. */
export interface PlanWarning {
  /** The rule, for example "sidecar-without-limits". */
  readonly rule: string;
  /** What the reviewer should look at. */
  readonly message: string;
}

/** A port a container declares. */
export interface PlanPort {
  readonly container: string;
  readonly port: number;
  readonly protocol: string;
  readonly name?: string;
}

/** The pod template of a workload manifest, or undefined for kinds without one. @internal */
export function podTemplateOf(manifest: any): { metadata: any; spec: any } | undefined {
  switch (manifest?.kind) {
    case 'Pod': return { metadata: manifest.metadata ?? {}, spec: manifest.spec };
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'ReplicationController': case 'Job':
      return { metadata: manifest.spec?.template?.metadata ?? {}, spec: manifest.spec?.template?.spec };
    case 'CronJob': return { metadata: manifest.spec?.jobTemplate?.spec?.template?.metadata ?? {}, spec: manifest.spec?.jobTemplate?.spec?.template?.spec };
    default: return undefined;
  }
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
    if (template.spec === null || typeof template.spec !== 'object' || Array.isArray(template.spec)) {
      throw new Error(`${describe(manifest)} has no pod spec where its kind keeps it.`);
    }
    return new PodPlan(manifest, template.metadata, template.spec, options);
  }

  /**
   * The plan of a cdk8s-plus workload, as it will be synthesized.
   *
   * @param workload a cdk8s-plus Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob
   * @param options the target Kubernetes version
   */
  public static fromWorkload(workload: kplus.AbstractPod, options: PodPlanOptions = {}): PodPlan {
    return PodPlan.fromManifest(ApiObject.of(workload).toJson(), options);
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
  /** Resources with a Pod limit that some container has no limit for: the Pod's limit is no real bound there. */
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
  /** For a Job or CronJob: whether its Pod can complete. */
  public readonly canComplete?: boolean;
  /** What the API server would reject, or what would keep a Job from completing. */
  public readonly errors: string[];
  /** What deserves a reviewer's eye. */
  public readonly warnings: string[];
  /** The warnings with their rule names. */
  public readonly warningRules: PlanWarning[];

  private constructor(manifest: any, metadata: any, spec: any, options: PodPlanOptions) {
    this.kind = manifest.kind;
    this.name = String(manifest.metadata?.name ?? '(unnamed)');
    this.namespace = manifest.metadata?.namespace;
    const problems: string[] = [];
    // lists of the spec that are no lists, and entries that are no objects, are reported and skipped
    const list = (field: string, entry: string): any[] => {
      const value = spec[field] ?? [];
      if (!Array.isArray(value)) {
        problems.push(`spec.${field}: ${JSON.stringify(value)} is not a list.`);
        return [];
      }
      for (const item of value.filter(x => !isPlainObject(x))) {
        problems.push(`spec.${field}: ${JSON.stringify(item)} is not a ${entry}.`);
      }
      return value.filter(isPlainObject);
    };
    const initSpecs = list('initContainers', 'container');
    const appSpecs = list('containers', 'container');
    const volumeSpecs = list('volumes', 'volume');
    const isSidecar = (c: any) => c.restartPolicy === 'Always';
    const init: ContainerAmounts[] = initSpecs.map(c => containerAmounts(c, containerPath('initContainers', c.name), isSidecar(c), problems));
    const app: ContainerAmounts[] = appSpecs.map(c => containerAmounts(c, containerPath('containers', c.name), false, problems));

    // pod-level resources, read once: for cpu and memory they replace the containers' totals and decide the QoS class
    const pod = spec.resources ? containerAmounts({ resources: spec.resources }, 'spec', false, problems) : undefined;
    const total = effective(init, app, pod, spec.overhead, problems);
    this.effective = { requests: quantities(total.requests), limits: quantities(total.limits) };
    this.steadyState = { requests: quantities(steadyState(init, app, 'requests')), limits: quantities(steadyState(init, app, 'limits')) };
    // a Pod limit that some container does not share in bounds nothing: that container may use any amount
    this.unboundedLimits = [...total.limits.keys()].filter(name => !pod?.limits.has(name) && [...init, ...app].some(c => !c.limits.has(name))).sort();
    this.qos = qosClass([...init, ...app], pod);
    const violations = podSecurityViolations(metadata, spec);
    this.podSecurity = { level: podSecurityLevel(violations), violations };

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

    const checks = podChecks({ kind: this.kind, spec, initSpecs, appSpecs, init, app, kubernetesVersion: options.kubernetesVersion });
    this.errors = [...problems, ...checks.errors];
    this.warningRules = checks.warnings;
    this.warnings = checks.warnings.map(w => w.message);
    if (this.kind === 'Job' || this.kind === 'CronJob') {
      this.canComplete = !checks.neverCompletes;
    }
  }

  /**
   * The plan in its documented, stable JSON shape: `kind`, `name`, `namespace`,
   * `effective` and `steadyState` (`requests`, `limits`), `unboundedLimits`, `qos`,
   * `podSecurity` (`level`, `violations`), `startOrder`, `stopOrder`, `volumes`,
   * `ports`, `canComplete` (Jobs and CronJobs), `warnings`, `errors`.
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
      ...this.canComplete === undefined ? {} : { canComplete: this.canComplete },
      warnings: this.warnings,
      errors: this.errors,
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
