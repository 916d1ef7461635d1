import { deployment, messagesOf } from './judge';

test('lists of objects pass', () => {
  expect(messagesOf('pod-spec-shape', deployment('containers: [{ name: app, image: "nginx:1.27" }]\nvolumes: [{ name: v, emptyDir: {} }]'))).toEqual([]);
});

test('a list that is no list, and entries that are no objects', () => {
  expect(messagesOf('pod-spec-shape', deployment('containers: [{ name: app, image: "nginx:1.27" }, 7]\ninitContainers: [null]\nvolumes: { name: v }'))).toEqual([
    'initContainers[0]: null is not a container. Write each entry of initContainers as a mapping.',
    'containers[1]: 7 is not a container. Write each entry of containers as a mapping.',
    'volumes: {"name":"v"} is not a list. Write volumes as a list of volumes.',
  ]);
});
