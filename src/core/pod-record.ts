import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';

/**
 * What the rules need to know of a container that a sidecar construct of this library
 * added, and that its YAML cannot show.
 *
 * @internal
 */
export interface SidecarRecord {
  /** Seconds the sidecar keeps running after the app containers end, before SIGTERM. */
  readonly drainSeconds: number;
  /** Seconds the sidecar may take to exit once it gets SIGTERM. */
  readonly stopSeconds: number;
  /** Seconds the app containers take to exit once the Pod is deleted (the sidecar's `appStopTime`). */
  readonly appStopSeconds: number;
  /** The command that runs as PID 1, when the user or the construct gave it (not a wrapper of this library). */
  readonly command?: string[];
}

/**
 * A TCP port that a sidecar listens on without declaring it as a container port (a
 * listener on 127.0.0.1 still takes the port in the Pod's one network namespace).
 *
 * @internal
 */
export interface ListenerRecord {
  readonly port: number;
  /** How a message names the listener, for example `the admin interface of container "mesh-proxy"`. */
  readonly owner: string;
}

/**
 * A mesh proxy: the app reaches the network through it.
 *
 * @internal
 */
export interface ProxyRecord {
  /** The proxy's container name. */
  readonly container: string;
  /** The port the app listens on, which the proxy forwards inbound traffic to. */
  readonly appPort?: number;
}

/**
 * What the constructs of this library record beside a workload's manifest: the facts
 * the rules read that the rendered YAML does not show. Kept per ApiObject, so that it
 * is the same for a workload of any source.
 *
 * @internal
 */
export interface PodRecord {
  /** Sidecars of this library, by container name. */
  readonly sidecars: Map<string, SidecarRecord>;
  readonly listeners: ListenerRecord[];
  readonly proxies: ProxyRecord[];
  /** The prop that sets a port a sidecar declares, by `<container name>/<port>`: named in the fix of a port conflict. */
  readonly portProps: Map<string, string>;
  /**
   * Init containers of this library that never go through a mesh proxy (they reach
   * their servers directly), so they may run before it: the config sync's first sync.
   */
  readonly initsWithoutProxy: Set<string>;
}

const records = new WeakMap<ApiObject, PodRecord>();

/**
 * The record of a workload's manifest, made empty on first use.
 *
 * @param workload a construct whose manifest holds the pod template (`ApiObject.of` finds it)
 * @internal
 */
export function podRecord(workload: IConstruct): PodRecord {
  const apiObject = ApiObject.of(workload);
  let record = records.get(apiObject);
  if (!record) {
    record = { sidecars: new Map(), listeners: [], proxies: [], portProps: new Map(), initsWithoutProxy: new Set() };
    records.set(apiObject, record);
  }
  return record;
}

/**
 * The record of a manifest, or undefined when no construct of this library recorded
 * anything for it.
 *
 * @internal
 */
export function findPodRecord(apiObject: ApiObject): PodRecord | undefined {
  return records.get(apiObject);
}

/**
 * Records a container as one that a sidecar construct of this library added to the
 * workload.
 *
 * @internal
 */
export function recordSidecar(workload: IConstruct, container: kplus.Container, info: SidecarRecord): void {
  podRecord(workload).sidecars.set(container.name, info);
}

/**
 * Records which prop of a sidecar construct sets a port its container declares
 * (`monitoringPort`, `proxyPort`...), so that a conflict on the port names it.
 *
 * @internal
 */
export function recordPortProp(workload: IConstruct, container: string, port: number, prop: string): void {
  podRecord(workload).portProps.set(`${container}/${port}`, prop);
}
