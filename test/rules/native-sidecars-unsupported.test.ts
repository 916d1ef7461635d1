import { deployment, messagesOf } from './judge';

const RULE = 'native-sidecars-unsupported';
const SPEC = deployment(`initContainers: [{ name: logs, image: "busybox:1.37.0", restartPolicy: Always }, { name: proxy, image: "busybox:1.37.0", restartPolicy: Always }]
containers: [{ name: app, image: "nginx:1.27" }]`);

test('1.29 and newer, or no version, pass', () => {
  expect(messagesOf(RULE, SPEC, {}, '1.29')).toEqual([]);
  expect(messagesOf(RULE, SPEC)).toEqual([]);
});

test('1.28 is warned about, naming the sidecars', () => {
  expect(messagesOf(RULE, SPEC, {}, '1.28')).toEqual([
    'initContainers: "logs, proxy" are native sidecars (restartPolicy: Always), which need Kubernetes 1.29 or newer; 1.28 rejects or ignores them. Use classic sidecars (SidecarMode.CLASSIC) on clusters before 1.29, or upgrade the cluster.',
  ]);
});
