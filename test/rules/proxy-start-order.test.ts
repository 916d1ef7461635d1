import { deployment, messagesOf } from './judge';

const RULE = 'proxy-start-order';
const proxies = [{ container: 'mesh-proxy' }];

test('init containers after the proxy, and sidecars before it, pass', () => {
  expect(messagesOf(RULE, deployment(`initContainers:
- { name: logs, image: "busybox:1.37.0", restartPolicy: Always }
- { name: mesh-proxy, image: "envoyproxy/envoy:v1.37.6", restartPolicy: Always }
- { name: migrate, image: "busybox:1.37.0" }
containers: [{ name: app, image: "nginx:1.27" }]`), { proxies })).toEqual([]);
});

test('a regular init container before the proxy', () => {
  expect(messagesOf(RULE, deployment(`initContainers:
- { name: migrate, image: "busybox:1.37.0" }
- { name: mesh-proxy, image: "envoyproxy/envoy:v1.37.6", restartPolicy: Always }
containers: [{ name: app, image: "nginx:1.27" }]`), { proxies })).toEqual([
    'initContainers[migrate]: "migrate" comes before the mesh proxy "mesh-proxy", so it runs before the proxy is up and without its listeners. Give the proxy beforeInitContainer: the first init container that needs it; or, on a cdk8s-plus-28 workload, create the MeshProxySidecar before adding init containers (it keeps the order of the calls).',
  ]);
});

test('an init container of this library that reaches its server directly (the config sync\'s first sync) may come before the proxy', () => {
  const pod = deployment(`initContainers:
- { name: config-sync-init, image: "registry.k8s.io/git-sync/git-sync:v4.5.1" }
- { name: migrate, image: "busybox:1.37.0" }
- { name: mesh-proxy, image: "envoyproxy/envoy:v1.37.6", restartPolicy: Always }
containers: [{ name: app, image: "nginx:1.27" }]`);
  expect(messagesOf(RULE, pod, { proxies, initsWithoutProxy: ['config-sync-init'] }).map(m => m.split(':')[0])).toEqual(['initContainers[migrate]']);
});
