import { deployment, messagesOf } from './judge';

const RULE = 'readiness-without-traffic';
const spec = (ports: string) => deployment(`initContainers: [{ name: logs, image: "busybox:1.37.0", restartPolicy: Always, readinessProbe: { exec: { command: ["true"] } }${ports} }]
containers: [{ name: app, image: "nginx:1.27" }]`);

test('a sidecar that declares a port passes', () => {
  expect(messagesOf(RULE, spec(', ports: [{ containerPort: 2020 }]'))).toEqual([]);
});

test('a readinessProbe on a sidecar without ports', () => {
  expect(messagesOf(RULE, spec(''))).toEqual([
    'initContainers[logs].readinessProbe: is set on a sidecar that declares no port: a failing probe takes the Pod out of its Services although the sidecar serves no traffic. Remove the readinessProbe, or declare the port the sidecar serves.',
  ]);
});
