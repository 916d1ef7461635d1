import { deployment, messagesOf } from './judge';

const FIX = 'Lower the request or raise the limit: Kubernetes rejects a request above its limit.';

test('a request at or below its limit passes, compared exactly across suffixes', () => {
  expect(messagesOf('request-above-limit', deployment(`containers:
- { name: app, image: "nginx:1.27", resources: { requests: { cpu: "1", memory: 1024Mi }, limits: { cpu: 1000m, memory: 1Gi } } }
resources: { requests: { memory: 1G }, limits: { memory: 1Gi } }`))).toEqual([]);
});

test('a container\'s request, and the Pod\'s, above the limit', () => {
  expect(messagesOf('request-above-limit', deployment(`containers:
- { name: app, image: "nginx:1.27", resources: { requests: { cpu: 1001m, memory: 1Gi }, limits: { cpu: "1", memory: 1G } } }
resources: { requests: { cpu: "2" }, limits: { cpu: 1.5 } }`))).toEqual([
    `containers[app].resources.requests.cpu: "1001m" is above the limit 1. ${FIX}`,
    `containers[app].resources.requests.memory: "1Gi" is above the limit 1000000000. ${FIX}`,
    `resources.requests.cpu: "2" is above the limit 1500m. ${FIX}`,
  ]);
});
