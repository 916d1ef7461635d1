import { deployment, messagesOf } from './judge';

test('a Pod with a container passes', () => {
  expect(messagesOf('no-containers', deployment('containers: [{ name: app, image: "nginx:1.27" }]'))).toEqual([]);
});

test.each(['containers: []', 'initContainers: [{ name: init, image: "busybox:1.37.0" }]'])('%s: no container', spec => {
  expect(messagesOf('no-containers', deployment(spec))).toEqual([
    'containers: holds no container, and the API server rejects a Pod without one. Give the workload its app container.',
  ]);
});
