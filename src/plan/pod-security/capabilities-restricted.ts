import { CheckFailure, PodSecurityCheck, exemptAsWindows, securityField, words } from './check';

/**
 * Restricted: every container drops ALL capabilities and adds none but
 * NET_BIND_SERVICE (in place of the baseline's capabilities check; Windows Pods exempt
 * from policy v1.25).
 *
 * @internal
 */
export const capabilitiesRestricted: PodSecurityCheck = {
  id: 'capabilities_restricted',
  control: 'Capabilities',
  profile: 'restricted',
  since: 22,
  overrides: ['capabilities_baseline'],
  check: pod => {
    if (exemptAsWindows(pod)) {
      return [];
    }
    const out: CheckFailure[] = [];
    for (const c of pod.containers) {
      if (!words(c.securityContext.capabilities?.drop).includes('ALL')) {
        out.push(securityField(c, 'capabilities.drop'));
      }
      for (const cap of words(c.securityContext.capabilities?.add).filter(x => x !== 'NET_BIND_SERVICE')) {
        const f = securityField(c, 'capabilities.add');
        out.push({ ...f, field: `${f.field}: ${cap}` });
      }
    }
    return out;
  },
};
