/**
 * The Pod Security Standards, latest version: each control of the baseline and the
 * restricted profile as a check of a pod template, reporting the container and the
 * field that fail it.
 */
import { nameInPath } from '../core/errors';
import { objectsIn } from '../rules/pod';

/** Where a container stands in the manifest's pod spec: `spec.containers[app]`. */
function containerPath(list: string, name: unknown): string {
  return `spec.${list}[${nameInPath(name)}]`;
}

/** One failed control. @internal */
export interface Violation {
  readonly control: string;
  readonly profile: 'baseline' | 'restricted';
  readonly container?: string;
  readonly field: string;
}

const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

interface Named {
  readonly name: string;
  readonly list: string;
  readonly spec: any;
}

/**
 * Every control the pod template fails, baseline first.
 *
 * @param metadata the pod template's metadata (AppArmor annotations)
 * @param spec the Pod spec
 * @internal
 */
export function podSecurityViolations(metadata: any, spec: any): Violation[] {
  const out: Violation[] = [];
  const fail = (profile: 'baseline' | 'restricted', control: string, field: string, container?: string) =>
    out.push({ control, profile, container, field });
  const words = (value: unknown): any[] => (Array.isArray(value) ? value : []);
  const pod = spec.securityContext ?? {};
  const containers: Named[] = [
    ...objectsIn(spec.initContainers).map((c: any) => ({ name: c.name, list: 'initContainers', spec: c })),
    ...objectsIn(spec.containers).map((c: any) => ({ name: c.name, list: 'containers', spec: c })),
    ...objectsIn(spec.ephemeralContainers).map((c: any) => ({ name: c.name, list: 'ephemeralContainers', spec: c })),
  ];
  const sc = (c: Named) => c.spec.securityContext ?? {};
  const at = (c: Named, field: string) => `${containerPath(c.list, c.name)}.securityContext.${field}`;

  // baseline
  if (pod.windowsOptions?.hostProcess === true) {
    fail('baseline', 'HostProcess', 'spec.securityContext.windowsOptions.hostProcess');
  }
  for (const c of containers) {
    if (sc(c).windowsOptions?.hostProcess === true) {
      fail('baseline', 'HostProcess', at(c, 'windowsOptions.hostProcess'), c.name);
    }
  }
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) {
      fail('baseline', 'Host Namespaces', `spec.${field}`);
    }
  }
  for (const c of containers) {
    if (sc(c).privileged === true) {
      fail('baseline', 'Privileged Containers', at(c, 'privileged'), c.name);
    }
    for (const cap of words(sc(c).capabilities?.add)) {
      if (!BASELINE_CAPABILITIES.includes(cap)) {
        fail('baseline', 'Capabilities', `${at(c, 'capabilities.add')}: ${cap}`, c.name);
      }
    }
    for (const port of objectsIn(c.spec.ports)) {
      if (port.hostPort !== undefined && port.hostPort !== 0) {
        fail('baseline', 'Host Ports', `${containerPath(c.list, c.name)}.ports[${nameInPath(port.containerPort)}].hostPort`, c.name);
      }
    }
  }
  for (const volume of objectsIn(spec.volumes)) {
    if (volume.hostPath) {
      fail('baseline', 'HostPath Volumes', `spec.volumes[${nameInPath(volume.name)}].hostPath`);
    }
  }
  const appArmorOk = (type: unknown) => type === undefined || type === 'RuntimeDefault' || type === 'Localhost';
  if (!appArmorOk(pod.appArmorProfile?.type)) {
    fail('baseline', 'AppArmor', 'spec.securityContext.appArmorProfile.type');
  }
  for (const c of containers) {
    if (!appArmorOk(sc(c).appArmorProfile?.type)) {
      fail('baseline', 'AppArmor', at(c, 'appArmorProfile.type'), c.name);
    }
  }
  for (const [key, value] of Object.entries(metadata?.annotations ?? {})) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value !== 'runtime/default' && !String(value).startsWith('localhost/')) {
      fail('baseline', 'AppArmor', `metadata.annotations[${key}]`, key.split('/')[1]);
    }
  }
  const seLinux = (options: any, field: string, container?: string) => {
    if (!options) {
      return;
    }
    if (!SELINUX_TYPES.includes(options.type ?? '')) {
      fail('baseline', 'SELinux', `${field}.type`, container);
    }
    if (options.user !== undefined && options.user !== '') {
      fail('baseline', 'SELinux', `${field}.user`, container);
    }
    if (options.role !== undefined && options.role !== '') {
      fail('baseline', 'SELinux', `${field}.role`, container);
    }
  };
  seLinux(pod.seLinuxOptions, 'spec.securityContext.seLinuxOptions');
  for (const c of containers) {
    seLinux(sc(c).seLinuxOptions, at(c, 'seLinuxOptions'), c.name);
    if (sc(c).procMount !== undefined && sc(c).procMount !== 'Default') {
      fail('baseline', '/proc Mount Type', at(c, 'procMount'), c.name);
    }
  }
  if (pod.seccompProfile?.type === 'Unconfined') {
    fail('baseline', 'Seccomp', 'spec.securityContext.seccompProfile.type');
  }
  for (const c of containers) {
    if (sc(c).seccompProfile?.type === 'Unconfined') {
      fail('baseline', 'Seccomp', at(c, 'seccompProfile.type'), c.name);
    }
  }
  for (const sysctl of objectsIn(pod.sysctls)) {
    if (!SAFE_SYSCTLS.includes(sysctl.name)) {
      fail('baseline', 'Sysctls', `spec.securityContext.sysctls[${nameInPath(sysctl.name)}]`);
    }
  }

  // restricted
  for (const volume of objectsIn(spec.volumes)) {
    const type = Object.keys(volume).find(key => key !== 'name');
    if (type && !RESTRICTED_VOLUMES.includes(type)) {
      fail('restricted', 'Volume Types', `spec.volumes[${nameInPath(volume.name)}].${type}`);
    }
  }
  for (const c of containers) {
    if (sc(c).allowPrivilegeEscalation !== false) {
      fail('restricted', 'Privilege Escalation', at(c, 'allowPrivilegeEscalation'), c.name);
    }
    const runAsNonRoot = sc(c).runAsNonRoot ?? pod.runAsNonRoot;
    if (runAsNonRoot !== true) {
      fail('restricted', 'Running as Non-root', at(c, 'runAsNonRoot'), c.name);
    }
    if (sc(c).runAsUser === 0) {
      fail('restricted', 'Running as Non-root user', at(c, 'runAsUser'), c.name);
    }
    const seccomp = sc(c).seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
      fail('restricted', 'Seccomp', at(c, 'seccompProfile.type'), c.name);
    }
    if (!words(sc(c).capabilities?.drop).includes('ALL')) {
      fail('restricted', 'Capabilities', at(c, 'capabilities.drop'), c.name);
    }
    for (const cap of words(sc(c).capabilities?.add)) {
      if (cap !== 'NET_BIND_SERVICE') {
        fail('restricted', 'Capabilities', `${at(c, 'capabilities.add')}: ${cap}`, c.name);
      }
    }
  }
  if (pod.runAsUser === 0) {
    fail('restricted', 'Running as Non-root user', 'spec.securityContext.runAsUser');
  }
  return out;
}

/** The highest level the violations leave: restricted, baseline or privileged. @internal */
export function podSecurityLevel(violations: Violation[]): 'privileged' | 'baseline' | 'restricted' {
  if (violations.some(v => v.profile === 'baseline')) {
    return 'privileged';
  }
  return violations.length > 0 ? 'baseline' : 'restricted';
}
