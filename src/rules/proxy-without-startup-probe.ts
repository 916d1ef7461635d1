import { containerPath } from './containers';
import { Rule } from './rule';
import { NO_VALUE } from '../core/errors';

/** Whether an image is of a proxy that the app needs at start-up. */
function isProxyImage(image: string): boolean {
  return /(^|\/)(envoy|proxyv2|istio-proxy|linkerd2?-proxy|linkerd\/proxy|cloud-sql-proxy|haproxy|oauth2-proxy)(:|@|$)/.test(image);
}

/** A native proxy sidecar has a startup probe. */
export const proxyWithoutStartupProbe: Rule = {
  id: 'proxy-without-startup-probe',
  level: 'warning',
  checks: 'A native sidecar whose image is a known proxy (Envoy, Istio, Linkerd, cloud-sql-proxy, HAProxy, oauth2-proxy) has a startupProbe, so that the app starts once the proxy serves.',
  fix: 'Give the proxy a startupProbe on its listener or readiness endpoint.',
  check(pod) {
    return pod.initContainers
      .filter(c => c.restartPolicy === 'Always' && !c.startupProbe && typeof c.image === 'string' && isProxyImage(c.image))
      .map(c => ({
        field: `${containerPath('initContainers', c.name)}.startupProbe`,
        value: NO_VALUE,
        problem: 'is not set on a proxy, so the app may start before the proxy serves',
        fix: 'Give the proxy a startupProbe on its listener or readiness endpoint.',
      }));
  },
};
