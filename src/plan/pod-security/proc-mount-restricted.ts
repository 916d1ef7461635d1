import { PodSecurityCheck } from './check';
import { unmaskedProc } from './proc-mount';

/** Restricted, from policy v1.35: /proc is mounted the default way, in a user namespace too. @internal */
export const procMountRestricted: PodSecurityCheck = {
  id: 'procMount_restricted',
  control: '/proc Mount Type',
  profile: 'restricted',
  since: 35,
  overrides: ['procMount'],
  check: unmaskedProc,
};
