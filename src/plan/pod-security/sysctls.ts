import { PodSecurityCheck } from './check';
import { nameInPath } from '../../core/errors';
import { objectsIn } from '../../rules/pod';

/** The sysctls a baseline Pod may set, each with the policy version that made it safe. */
const SAFE: Array<[string, number]> = [
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32],
  ['net.ipv4.tcp_wmem', 32],
  ['net.ipv4.tcp_slow_start_after_idle', 37],
  ['net.ipv4.tcp_notsent_lowat', 37],
];

/** Baseline: the Pod sets only sysctls that are safe (namespaced, and isolated from the node and other Pods). @internal */
export const sysctls: PodSecurityCheck = {
  id: 'sysctls',
  control: 'Sysctls',
  profile: 'baseline',
  check: pod => objectsIn(pod.securityContext.sysctls)
    .filter(s => !SAFE.some(([name, since]) => name === s.name && pod.version >= since))
    .map(s => ({ field: `spec.securityContext.sysctls[${nameInPath(s.name)}]` })),
};
