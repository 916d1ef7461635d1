import { deployment, messagesOf } from './judge';

test('distinct names pass', () => {
  expect(messagesOf('duplicate-container-name', deployment('initContainers: [{ name: logs, image: "busybox:1.37.0", restartPolicy: Always }]\ncontainers: [{ name: app, image: "nginx:1.27" }]'))).toEqual([]);
});

test('a sidecar and an app container of one name', () => {
  expect(messagesOf('duplicate-container-name', deployment('initContainers: [{ name: app, image: "busybox:1.37.0", restartPolicy: Always }]\ncontainers: [{ name: app, image: "nginx:1.27" }]'))).toEqual([
    'containers[app].name: "app" is used by two containers of the Pod (one in initContainers, one in containers). Give every container, sidecars included, a name of its own (sidecars take theirs from the containerName prop).',
  ]);
});

test('two app containers of one name', () => {
  expect(messagesOf('duplicate-container-name', deployment('containers: [{ name: app, image: "nginx:1.27" }, { name: app, image: "nginx:1.27" }]'))).toEqual([
    'containers[app].name: "app" is used by two containers in containers. Give every container, sidecars included, a name of its own (sidecars take theirs from the containerName prop).',
  ]);
});
