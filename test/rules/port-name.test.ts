import { deployment, messagesOf } from './judge';

test('IANA service names pass', () => {
  expect(messagesOf('port-name', deployment('containers: [{ name: app, image: "nginx:1.27", ports: [{ containerPort: 80, name: http }, { containerPort: 9000, name: http-metrics }] }]'))).toEqual([]);
});

test.each(['HTTP', 'http--x', 'http-metrics-long', '8080', '-http'])('%s is no port name', name => {
  expect(messagesOf('port-name', deployment(`containers: [{ name: app, image: "nginx:1.27", ports: [{ containerPort: 80, name: "${name}" }] }]`))).toEqual([
    `containers[app].ports[80].name: "${name}" is not a port name, which the API server refuses. Use at most 15 lower-case letters, digits and single hyphens, with at least one letter, for example "http-metrics".`,
  ]);
});
