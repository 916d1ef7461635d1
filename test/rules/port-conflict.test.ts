import { deployment, messagesOf } from './judge';

const SPEC = `initContainers: [{ name: proxy, image: "envoyproxy/envoy:v1.37.6", restartPolicy: Always, ports: [{ containerPort: 15001 }] }]
containers: [{ name: app, image: "nginx:1.27", ports: [{ containerPort: 8080 }, { containerPort: 8080, protocol: UDP }] }]`;

test('one port per protocol passes', () => {
  expect(messagesOf('port-conflict', deployment(SPEC))).toEqual([]);
});

test('a port two containers declare', () => {
  expect(messagesOf('port-conflict', deployment(SPEC.replace('15001', '8080')))).toEqual([
    'containers[app].ports: 8080 is also declared by container "proxy", and all containers of a Pod share one network namespace. Move one of them to a free port (every sidecar construct has a prop for its ports).',
  ]);
});

test('a port where a sidecar listens on 127.0.0.1 without declaring it, as the constructs record', () => {
  const listeners = [{ port: 9901, owner: 'the admin interface of container "proxy" (on 127.0.0.1)' }];
  expect(messagesOf('port-conflict', deployment(SPEC), { listeners })).toEqual([]);
  expect(messagesOf('port-conflict', deployment(SPEC.replace('8080 }, {', '9901 }, {')), { listeners })).toEqual([
    'containers[app].ports: 9901 is also used by the admin interface of container "proxy" (on 127.0.0.1), and all containers of a Pod share one network namespace. Move one of them to a free port (every sidecar construct has a prop for its ports).',
  ]);
  expect(messagesOf('port-conflict', deployment(SPEC), { listeners: [...listeners, { port: 9901, owner: 'the listener of upstream "db"' }] })).toEqual([
    'ports: 9901 is used by the admin interface of container "proxy" (on 127.0.0.1) and by the listener of upstream "db", and all containers of a Pod share one network namespace. Move one of them to a free port (every sidecar construct has a prop for its ports).',
  ]);
});

test('where a sidecar construct recorded the prop that sets the port, the fix names it: the later container\'s first', () => {
  const clash = deployment(SPEC.replace('15001', '8080'));
  expect(messagesOf('port-conflict', clash, { portProps: { 'proxy/8080': 'proxyPort' } })).toEqual([
    'containers[app].ports: 8080 is also declared by container "proxy", and all containers of a Pod share one network namespace. Move one of them to a free port: set proxyPort of the sidecar "proxy" to another port.',
  ]);
  expect(messagesOf('port-conflict', clash, { portProps: { 'proxy/8080': 'proxyPort', 'app/8080': 'ports' } })).toEqual([
    'containers[app].ports: 8080 is also declared by container "proxy", and all containers of a Pod share one network namespace. Move one of them to a free port: set ports of the sidecar "app" to another port.',
  ]);
  // a prop of another port of the container is no fix for this one
  expect(messagesOf('port-conflict', clash, { portProps: { 'proxy/15001': 'proxyPort' } })[0]).toMatch(/every sidecar construct has a prop for its ports\)\.$/);
});
