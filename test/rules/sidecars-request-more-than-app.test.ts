import { deployment, messagesOf } from './judge';

const RULE = 'sidecars-request-more-than-app';
const spec = (sidecarCpu: string) => deployment(`initContainers:
- { name: logs, image: "busybox:1.37.0", restartPolicy: Always, resources: { requests: { cpu: ${sidecarCpu}, memory: 64Mi } } }
- { name: proxy, image: "busybox:1.37.0", restartPolicy: Always, resources: { requests: { cpu: 100m } } }
- { name: migrate, image: "busybox:1.37.0", resources: { requests: { cpu: "4" } } }
containers: [{ name: app, image: "nginx:1.27", resources: { requests: { cpu: 500m, memory: 256Mi } } }]`);

test('sidecars that request at most what the app does pass; a regular init container does not count', () => {
  expect(messagesOf(RULE, spec('400m'))).toEqual([]);
});

test('sidecars that request more cpu than the app together', () => {
  expect(messagesOf(RULE, spec('401m'))).toEqual([
    'initContainers[*].resources.requests.cpu: "501m" is what the sidecars request together, more than the app containers\' 500m. Check the sidecars\' requests: they are usually a fraction of the app\'s.',
  ]);
});
