import { PodSecurityCheck, securityField } from './check';

/** Baseline: no Windows HostProcess container (`windowsOptions.hostProcess`), at Pod or container level. @internal */
export const windowsHostProcess: PodSecurityCheck = {
  id: 'windowsHostProcess',
  control: 'HostProcess',
  profile: 'baseline',
  check: pod => [
    ...pod.securityContext.windowsOptions?.hostProcess === true ? [{ field: 'spec.securityContext.windowsOptions.hostProcess' }] : [],
    ...pod.containers.filter(c => c.securityContext.windowsOptions?.hostProcess === true).map(c => securityField(c, 'windowsOptions.hostProcess')),
  ],
};
