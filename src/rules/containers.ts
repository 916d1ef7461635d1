import { RenderedPod } from './rule';
import { nameInPath } from '../core/errors';

/**
 * Where a container stands in the pod spec, for messages: `containers[app]`,
 * `initContainers[logs]`, the name quoted when it is not plain.
 *
 * @internal
 */
export function containerPath(list: 'initContainers' | 'containers', name: unknown): string {
  return `${list}[${nameInPath(name)}]`;
}

/**
 * Every container of the pod template with its path: init containers first, in order.
 *
 * @internal
 */
export function everyContainer(pod: RenderedPod): Array<{ c: any; where: string; native: boolean }> {
  return [
    ...pod.initContainers.map(c => ({ c, where: containerPath('initContainers', c.name), native: c.restartPolicy === 'Always' })),
    ...pod.containers.map(c => ({ c, where: containerPath('containers', c.name), native: false })),
  ];
}

/**
 * The words of a container's command and args, as the runtime joins them.
 *
 * @internal
 */
export function commandWords(c: any): unknown[] {
  return [...Array.isArray(c.command) ? c.command : [], ...Array.isArray(c.args) ? c.args : []];
}
