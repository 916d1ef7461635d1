import { PodSecurityCheck } from './check';

/** Baseline: the Pod shares none of the node's network, PID or IPC namespaces. @internal */
export const hostNamespaces: PodSecurityCheck = {
  id: 'hostNamespaces',
  control: 'Host Namespaces',
  profile: 'baseline',
  check: pod => ['hostNetwork', 'hostPID', 'hostIPC'].filter(field => pod.spec[field] === true).map(field => ({ field: `spec.${field}` })),
};
