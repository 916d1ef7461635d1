import { PodSecurityCheck, securityField, words } from './check';

/** The capabilities a baseline container may add (the default set of container runtimes). */
const ALLOWED = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

/** Baseline: a container adds no capability beyond the runtimes' default set. @internal */
export const capabilitiesBaseline: PodSecurityCheck = {
  id: 'capabilities_baseline',
  control: 'Capabilities',
  profile: 'baseline',
  check: pod => pod.containers.flatMap(c => words(c.securityContext.capabilities?.add)
    .filter(cap => !ALLOWED.includes(cap))
    .map(cap => { const f = securityField(c, 'capabilities.add'); return { ...f, field: `${f.field}: ${cap}` }; })),
};
