import { Rule } from './rule';

/** Native sidecars need Kubernetes 1.29. */
export const nativeSidecarsUnsupported: Rule = {
  id: 'native-sidecars-unsupported',
  level: 'warning',
  checks: 'When a Kubernetes version is given, native sidecars (init containers with restartPolicy: Always) are only used on 1.29 or newer.',
  fix: 'Use classic sidecars (SidecarMode.CLASSIC) on clusters before 1.29, or upgrade the cluster.',
  check(pod) {
    const version = pod.kubernetesVersion;
    const sidecars = pod.initContainers.filter(c => c.restartPolicy === 'Always');
    if (!version || version.supportsNativeSidecars || sidecars.length === 0) {
      return [];
    }
    return [{
      field: 'initContainers',
      value: sidecars.map(c => c.name).join(', '),
      problem: `are native sidecars (restartPolicy: Always), which need Kubernetes 1.29 or newer; ${version} rejects or ignores them`,
      fix: 'Use classic sidecars (SidecarMode.CLASSIC) on clusters before 1.29, or upgrade the cluster.',
    }];
  },
};
