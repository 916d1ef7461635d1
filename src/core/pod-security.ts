import { IConstruct } from 'constructs';
import { PodSpecPatches, addRenderedTransform } from './pod-spec';
import { addRuleChecks } from '../rules/synth-check';

/**
 * The Pod Security Standards for a whole workload, app containers included.
 */
export class PodSecurity {
  /**
   * Completes the security contexts of the workload's Pods for the *restricted*
   * profile, where cdk8s-plus leaves the fields out: the Pod gets
   * `seccompProfile: RuntimeDefault` and `runAsNonRoot: true` unless it sets them, and
   * every container (app, init and sidecar) that sets no `capabilities.drop` drops
   * `ALL`, and gets `allowPrivilegeEscalation: false` unless it sets it.
   *
   * Fields already set are kept as they are: a container that adds a capability, is
   * privileged or runs as root stays so, and the plan names it. Nor does it choose a
   * user: an image whose own user is root needs a non-root `user` in its
   * `securityContext`, or the kubelet refuses to start it under `runAsNonRoot`.
   *
   * @param workload any construct that renders a pod template: a workload of any
   * cdk8s-plus line, or an ApiObject (`cdk8s import`, `Include`)
   */
  public static restricted(workload: IConstruct): void {
    const path = PodSpecPatches.podSpecPath(workload).split('/').filter(p => p);
    addRenderedTransform(workload, manifest => {
      let spec = manifest;
      for (const key of path) {
        spec = spec[key];
      }
      spec.securityContext = { ...spec.securityContext };
      spec.securityContext.seccompProfile ??= { type: 'RuntimeDefault' };
      spec.securityContext.runAsNonRoot ??= true;
      for (const container of [...spec.initContainers ?? [], ...spec.containers]) {
        const context = container.securityContext = { ...container.securityContext };
        context.allowPrivilegeEscalation ??= false;
        if (!context.capabilities?.drop) {
          context.capabilities = { ...context.capabilities, drop: ['ALL'] };
        }
      }
      return manifest;
    });
    addRuleChecks(workload);
  }

  private constructor() {
  }
}
