import * as kplus from 'cdk8s-plus-28';

/**
 * The user and group id that sidecars run as unless told otherwise: 65532, the
 * `nonroot` user of distroless images, which no common app image uses.
 */
export const DEFAULT_SIDECAR_USER = 65532;

/**
 * A container security context that meets the Pod Security Standards *restricted*
 * profile: a non-root user given by number (so that `runAsNonRoot` holds even for
 * images whose own user is root), no privilege escalation, every capability dropped,
 * the runtime's default seccomp profile, and a read-only root filesystem.
 *
 * `overrides` replace single fields; an override that leaves the profile (root,
 * added capabilities) is the caller's explicit, documented choice.
 *
 * @internal
 */
export function restrictedSecurityContext(overrides: kplus.ContainerSecurityContextProps = {}): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: DEFAULT_SIDECAR_USER,
    group: DEFAULT_SIDECAR_USER,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    ...overrides,
  };
}
