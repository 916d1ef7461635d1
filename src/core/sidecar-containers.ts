import * as kplus from 'cdk8s-plus-28';

/**
 * What the whole-Pod checks need to know of a container that a sidecar construct of
 * this library added.
 *
 * @internal
 */
export interface SidecarContainerInfo {
  /** Seconds the sidecar keeps running after the app containers end, before SIGTERM. */
  readonly drainSeconds: number;
  /** Seconds the sidecar may take to exit once it gets SIGTERM. */
  readonly stopSeconds: number;
  /** Seconds the app containers take to exit once the Pod is deleted (the sidecar's `appStopTime`). */
  readonly appStopSeconds: number;
  /** The command that runs as PID 1, when the user or the construct gave it (not a Job's wrapper). */
  readonly command?: string[];
}

const sidecarContainers = new WeakMap<kplus.Container, SidecarContainerInfo>();

/**
 * Records a container as one that a sidecar construct of this library added.
 *
 * @internal
 */
export function markSidecarContainer(container: kplus.Container, info: SidecarContainerInfo): void {
  sidecarContainers.set(container, info);
}

/**
 * What was recorded of a sidecar container, or undefined for any other container.
 *
 * @internal
 */
export function sidecarContainerInfo(container: kplus.Container): SidecarContainerInfo | undefined {
  return sidecarContainers.get(container);
}

/**
 * Whether a container was added by a sidecar construct of this library (app
 * containers are the others). In a Pod's `containers` list, such a container is a
 * classic sidecar.
 *
 * @internal
 */
export function isSidecarContainer(container: kplus.Container): boolean {
  return sidecarContainers.has(container);
}
