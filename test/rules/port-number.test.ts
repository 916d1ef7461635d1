import { deployment, messagesOf } from './judge';

test('ports from 1 to 65535 pass', () => {
  expect(messagesOf('port-number', deployment('containers: [{ name: app, image: "nginx:1.27", ports: [{ containerPort: 1 }, { containerPort: 65535 }] }]'))).toEqual([]);
});

test.each([['0', '0'], ['65536', '65536'], ['8080.5', '8080.5'], ['"8080"', '"8080"'], ['null', 'null']])('%s is no port', (port, shown) => {
  expect(messagesOf('port-number', deployment(`containers: [{ name: app, image: "nginx:1.27", ports: [{ containerPort: ${port} }] }]`))).toEqual([
    `containers[app].ports: ${shown} is not a port number, which the API server refuses. Use a whole number from 1 to 65535.`,
  ]);
});
