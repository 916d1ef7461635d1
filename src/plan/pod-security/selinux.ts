import { CheckFailure, PodSecurityCheck, containerPath } from './check';

/** SELinux types a baseline Pod may use; `container_engine_t` from policy v1.31. */
function allowedTypes(version: number): string[] {
  return ['', 'container_t', 'container_init_t', 'container_kvm_t', ...version >= 31 ? ['container_engine_t'] : []];
}

/** Baseline: SELinux options set no user or role, and only a container type. @internal */
export const seLinux: PodSecurityCheck = {
  id: 'seLinuxOptions',
  control: 'SELinux',
  profile: 'baseline',
  check: pod => {
    const out: CheckFailure[] = [];
    const types = allowedTypes(pod.version);
    const check = (options: any, field: string, container?: string) => {
      if (options === null || typeof options !== 'object') {
        return;
      }
      if (!types.includes(options.type ?? '')) {
        out.push({ field: `${field}.type`, container });
      }
      for (const key of ['user', 'role']) {
        if (options[key] !== undefined && options[key] !== '') {
          out.push({ field: `${field}.${key}`, container });
        }
      }
    };
    check(pod.securityContext.seLinuxOptions, 'spec.securityContext.seLinuxOptions');
    for (const c of pod.containers) {
      check(c.securityContext.seLinuxOptions, `${containerPath(c)}.securityContext.seLinuxOptions`, String(c.name));
    }
    return out;
  },
};
