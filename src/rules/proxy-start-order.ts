import { containerPath } from './containers';
import { Rule, RuleProblem } from './rule';

/** No regular init container runs before a mesh proxy. */
export const proxyStartOrder: Rule = {
  id: 'proxy-start-order',
  level: 'error',
  checks: 'No regular init container comes before a mesh proxy of this library: it would run before the proxy is up, without its listeners (the config sync\'s first sync reaches its Git server directly, and may).',
  fix: 'Give the proxy beforeInitContainer: the first init container that needs it; or, on a cdk8s-plus-28 workload, create the MeshProxySidecar before adding init containers (it keeps the order of the calls).',
  check(pod) {
    const problems: RuleProblem[] = [];
    for (const proxy of pod.record.proxies) {
      const index = pod.initContainers.findIndex(c => c.name === proxy.container);
      for (const before of pod.initContainers.slice(0, Math.max(index, 0))) {
        if (before.restartPolicy !== 'Always' && !pod.record.initsWithoutProxy.has(before.name)) {
          problems.push({
            field: containerPath('initContainers', before.name),
            value: before.name,
            problem: `comes before the mesh proxy "${proxy.container}", so it runs before the proxy is up and without its listeners`,
            fix: 'Give the proxy beforeInitContainer: the first init container that needs it; or, on a cdk8s-plus-28 workload, create the MeshProxySidecar before adding init containers (it keeps the order of the calls).',
          });
        }
      }
    }
    return problems;
  },
};
