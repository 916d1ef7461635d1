import { ApiObject, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { podTemplateOf, workloadApiObject } from '../core/pod-template';
import { objectsIn } from '../rules/pod';

/**
 * A NetworkPolicy that makes the proxy the only way into the workload's Pods from
 * other Pods: it selects the Pods by their template's labels and admits ingress on
 * the proxy's inbound port and on the metrics ports the Pod declares (container ports
 * named `*-metrics`, the convention of this library's sidecars), never on the app's
 * port. Traffic from the Pod's own node — the kubelet's probes — is always allowed by
 * Kubernetes, so the app's probes keep working. Written from the rendered pod
 * template, so that it selects what ships, whatever the workload's source.
 *
 * @internal
 */
export function proxyNetworkPolicy(scope: IConstruct, workload: IConstruct, proxyPort: number, appPort: number): ApiObject {
  const apiObject = workloadApiObject(scope, 'workload', workload);
  return new ApiObject(scope, 'NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: apiObject.metadata.namespace },
    spec: Lazy.any({
      produce: () => {
        const template = podTemplateOf(apiObject.toJson())!;
        const labels = template.metadata?.labels ?? {};
        if (Object.keys(labels).length === 0) {
          fail(scope, 'appOnlyThroughProxy', true, `cannot select the Pods of ${workload.node.path}: its pod template has no labels`,
            'Give the pod template labels (as every Deployment, StatefulSet and DaemonSet needs for its selector), or leave appOnlyThroughProxy unset.');
        }
        // the write path has put the proxy into the template's spec; a metrics port on the
        // proxy's own port is the rule port-conflict's error
        const containers = [...objectsIn(template.spec.initContainers), ...objectsIn(template.spec.containers)];
        const metrics = containers.flatMap(c => objectsIn(c.ports))
          .filter(p => typeof p.name === 'string' && p.name.endsWith('-metrics') && p.containerPort !== appPort)
          .map(p => p.containerPort as number);
        const ports = [proxyPort, ...[...new Set(metrics)].sort((a, b) => a - b)];
        return {
          podSelector: { matchLabels: labels },
          policyTypes: ['Ingress'],
          ingress: [{ ports: ports.map(port => ({ port, protocol: 'TCP' })) }],
        };
      },
    }),
  });
}
