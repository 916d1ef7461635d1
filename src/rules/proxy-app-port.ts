import { Rule } from './rule';

/** The port a mesh proxy forwards to is declared by an app container. */
export const proxyAppPort: Rule = {
  id: 'proxy-app-port',
  level: 'error',
  checks: 'The appPort of a mesh proxy of this library is a port that an app container (a regular container that is no sidecar) declares.',
  fix: 'Give the app container the port, or set appPort to the port the app listens on.',
  check(pod) {
    const apps = pod.containers.filter(c => !pod.record.sidecars.has(c.name));
    return pod.record.proxies
      .filter(proxy => proxy.appPort !== undefined
        && !apps.some(c => Array.isArray(c.ports) && c.ports.some((p: any) => p?.containerPort === proxy.appPort)))
      .map(proxy => ({
        field: 'appPort',
        value: proxy.appPort,
        problem: `is not a port that an app container of the workload declares (the mesh proxy "${proxy.container}" forwards inbound traffic to it)`,
        fix: 'Give the app container the port (portNumber or ports), or set appPort to the port the app listens on.',
      }));
  },
};
