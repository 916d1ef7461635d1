import { PodSecurityCheck, containerPath } from './check';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

/**
 * Baseline, from policy v1.34: no probe or lifecycle handler (`httpGet`, `tcpSocket`)
 * names a `host`, which would let the kubelet reach another address than the Pod's.
 *
 * @internal
 */
export const hostProbes: PodSecurityCheck = {
  id: 'hostProbesAndHostLifecycle',
  control: 'Host Probes / Lifecycle Hooks',
  profile: 'baseline',
  since: 34,
  check: pod => pod.containers.flatMap(c => [
    ...PROBES.map(probe => ({ handler: c.spec[probe], field: `${containerPath(c)}.${probe}` })),
    ...HOOKS.map(hook => ({ handler: c.spec.lifecycle?.[hook], field: `${containerPath(c)}.lifecycle.${hook}` })),
  ].flatMap(({ handler, field }) => ['httpGet', 'tcpSocket']
    .filter(action => ![undefined, null, ''].includes(handler?.[action]?.host))
    .map(action => ({ field: `${field}.${action}.host`, container: String(c.name) })))),
};
