import { deployment, messagesOf } from './judge';

test('absolute paths pass', () => {
  expect(messagesOf('mount-path', deployment('containers: [{ name: app, image: "nginx:1.27", volumeMounts: [{ name: logs, mountPath: /var/log/app }] }]'))).toEqual([]);
});

test.each([
  ['var/log', 'is not an absolute path'], ['/var/log:x', 'contains ":", which mount paths may not'], ['/var/../etc', 'contains a ".." component'],
])('%s', (path, problem) => {
  expect(messagesOf('mount-path', deployment(`containers: [{ name: app, image: "nginx:1.27", volumeMounts: [{ name: logs, mountPath: "${path}" }] }]`))).toEqual([
    `containers[app].volumeMounts[logs].mountPath: "${path}" ${problem}. Mount volumes at absolute paths, for example "/var/log/app".`,
  ]);
});

test('a mount without a path', () => {
  expect(messagesOf('mount-path', deployment('containers: [{ name: app, image: "nginx:1.27", volumeMounts: [{ name: logs }] }]'))).toEqual([
    'containers[app].volumeMounts[logs].mountPath: (not set) is not a path. Mount volumes at absolute paths, for example "/var/log/app".',
  ]);
});
