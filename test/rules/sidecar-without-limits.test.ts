import { deployment, messagesOf } from './judge';

const RULE = 'sidecar-without-limits';

test('a sidecar with cpu and memory limits passes; an init container is not judged', () => {
  expect(messagesOf(RULE, deployment(`initContainers:
- { name: logs, image: "busybox:1.37.0", restartPolicy: Always, resources: { limits: { cpu: 100m, memory: 64Mi } } }
- { name: migrate, image: "busybox:1.37.0" }
containers: [{ name: app, image: "nginx:1.27" }]`))).toEqual([]);
});

test('the missing limits are named', () => {
  expect(messagesOf(RULE, deployment(`initContainers:
- { name: logs, image: "busybox:1.37.0", restartPolicy: Always, resources: { limits: { cpu: 100m } } }
- { name: debug, image: "busybox:1.37.0", restartPolicy: Always }
containers: [{ name: app, image: "nginx:1.27" }]`))).toEqual([
    'initContainers[logs].resources.limits: has no memory limit, so the sidecar may take what the app needs. Give the sidecar cpu and memory limits (the resources prop).',
    'initContainers[debug].resources.limits: has no cpu or memory limit, so the sidecar may take what the app needs. Give the sidecar cpu and memory limits (the resources prop).',
  ]);
});
