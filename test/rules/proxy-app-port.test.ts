import { deployment, messagesOf } from './judge';

const RULE = 'proxy-app-port';
const SPEC = `containers:
- { name: app, image: "nginx:1.27", ports: [{ containerPort: 8080 }] }
- { name: classic, image: "busybox:1.37.0", ports: [{ containerPort: 9000 }] }`;

test('a port an app container declares passes; no appPort passes', () => {
  expect(messagesOf(RULE, deployment(SPEC), { proxies: [{ container: 'mesh-proxy', appPort: 8080 }] })).toEqual([]);
  expect(messagesOf(RULE, deployment(SPEC), { proxies: [{ container: 'mesh-proxy' }] })).toEqual([]);
});

test('a port only a sidecar declares is no app port', () => {
  expect(messagesOf(RULE, deployment(SPEC), { proxies: [{ container: 'mesh-proxy', appPort: 9000 }], sidecars: { classic: {} } })).toEqual([
    'appPort: 9000 is not a port that an app container of the workload declares (the mesh proxy "mesh-proxy" forwards inbound traffic to it). Give the app container the port (portNumber or ports), or set appPort to the port the app listens on.',
  ]);
});
