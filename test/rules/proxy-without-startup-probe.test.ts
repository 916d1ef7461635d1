import { deployment, messagesOf } from './judge';

const RULE = 'proxy-without-startup-probe';
const spec = (image: string, probe: string) => deployment(`initContainers: [{ name: proxy, image: "${image}", restartPolicy: Always${probe} }]
containers: [{ name: app, image: "nginx:1.27" }]`);

test('a proxy with a startupProbe, or a sidecar that is no proxy, passes', () => {
  expect(messagesOf(RULE, spec('envoyproxy/envoy:v1.37.6', ', startupProbe: { tcpSocket: { port: 15001 } }'))).toEqual([]);
  expect(messagesOf(RULE, spec('fluent/fluent-bit:4.0.7', ''))).toEqual([]);
  expect(messagesOf(RULE, spec('example.com/envoy-config-reloader:1', ''))).toEqual([]);
});

test.each(['envoyproxy/envoy:v1.37.6', 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1', 'docker.io/istio/proxyv2:1.24.0', 'haproxy@sha256:abc'])('%s without a startupProbe', image => {
  expect(messagesOf(RULE, spec(image, ''))).toEqual([
    'initContainers[proxy].startupProbe: is not set on a proxy, so the app may start before the proxy serves. Give the proxy a startupProbe on its listener or readiness endpoint.',
  ]);
});
