import { deployment, messagesOf } from './judge';

const FIX = 'Write a non-negative Kubernetes quantity, such as "250m", "1", "128Mi" or "1Gi" (cdk8s-plus: Cpu.millis(n), Size.mebibytes(n)).';

test('quantities of every form pass', () => {
  expect(messagesOf('quantity', deployment(`containers:
- { name: app, image: "nginx:1.27", resources: { requests: { cpu: 100m, memory: 1.5Gi, ephemeral-storage: 1e9 }, limits: { cpu: "0.5", memory: 2Gi, nvidia.com/gpu: 1 } } }
resources: { limits: { cpu: "+2" } }
overhead: { cpu: 10m }`))).toEqual([]);
});

test('what is no quantity, or a negative one, wherever it stands', () => {
  expect(messagesOf('quantity', deployment(`containers:
- { name: app, image: "nginx:1.27", resources: { requests: { cpu: "-1" }, limits: { memory: 1mi } } }
resources: { requests: [1] }
overhead: { cpu: lots }`))).toEqual([
    `containers[app].resources.requests.cpu: "-1" is not a Kubernetes quantity of zero or more. ${FIX}`,
    `containers[app].resources.limits.memory: "1mi" is not a Kubernetes quantity of zero or more. ${FIX}`,
    `resources.requests: [1] is not a map of resource names to quantities. ${FIX}`,
    `overhead.cpu: "lots" is not a Kubernetes quantity of zero or more. ${FIX}`,
  ]);
});
