import { deployment, messagesOf } from './judge';

test('probes and hooks on a sidecar pass', () => {
  expect(messagesOf('init-container-lifecycle', deployment(`initContainers:
- { name: proxy, image: "envoyproxy/envoy:v1.37.6", restartPolicy: Always, startupProbe: { tcpSocket: { port: 15001 } }, lifecycle: { preStop: { sleep: { seconds: 5 } } } }
containers: [{ name: app, image: "nginx:1.27" }]`))).toEqual([]);
});

test('a regular init container with a probe and a hook', () => {
  expect(messagesOf('init-container-lifecycle', deployment(`initContainers:
- { name: migrate, image: "busybox:1.37.0", readinessProbe: { exec: { command: ["true"] } }, lifecycle: { preStop: { sleep: { seconds: 5 } } } }
containers: [{ name: app, image: "nginx:1.27" }]`))).toEqual([
    'initContainers[migrate].readinessProbe: is set on a regular init container, which may not have one (only a sidecar, with restartPolicy: Always, may). Remove it, or make the container a sidecar with restartPolicy: Always.',
    'initContainers[migrate].lifecycle: is set on a regular init container, which may not have one (only a sidecar, with restartPolicy: Always, may). Remove it, or make the container a sidecar with restartPolicy: Always.',
  ]);
});
