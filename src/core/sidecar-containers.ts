import * as kplus from 'cdk8s-plus-28';

const sidecarContainers = new WeakSet<kplus.Container>();

/**
 * Records a container as one that a sidecar construct of this library added.
 *
 * @internal
 */
export function markSidecarContainer(container: kplus.Container): void {
  sidecarContainers.add(container);
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
