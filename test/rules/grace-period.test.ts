import { deployment, messagesOf } from './judge';

const RULE = 'grace-period';
const spec = (grace: string) => `${grace}initContainers: [{ name: logs, image: "fluent/fluent-bit:4.0.7-debug", restartPolicy: Always }]
containers:
- { name: app, image: "nginx:1.27" }
- { name: classic, image: "busybox:1.37.0" }`;

test('the grace period in the YAML counts, whatever set it', () => {
  const sidecars = { logs: { drainSeconds: 40, stopSeconds: 4, appStopSeconds: 10 } };
  expect(messagesOf(RULE, deployment(spec('terminationGracePeriodSeconds: 60\n')), { sidecars })).toEqual([]);
  expect(messagesOf(RULE, deployment(spec('')), { sidecars })).toEqual([
    'terminationGracePeriodSeconds: 30 cannot hold the app\'s stop and the sidecars\': 10s for the app containers to exit (appStopTime), then 44s for the sidecars to drain and stop (native ones one after the other, after the app), and the kubelet kills what is still running when the grace period ends. Raise terminationGracePeriod on the workload above 54s, or lower appStopTime to what the app really takes, or shorten the sidecars\' drainTime.',
  ]);
});

test('native sidecars add up, the longest classic one counts once, the largest appStopTime', () => {
  const sidecars = { logs: { drainSeconds: 5, stopSeconds: 2, appStopSeconds: 3 }, classic: { drainSeconds: 6, stopSeconds: 1, appStopSeconds: 8 } };
  // 8 + 7 + 7 = 22
  expect(messagesOf(RULE, deployment(spec('terminationGracePeriodSeconds: 23\n')), { sidecars })).toEqual([]);
  expect(messagesOf(RULE, deployment(spec('terminationGracePeriodSeconds: 22\n')), { sidecars })[0]).toMatch(/^terminationGracePeriodSeconds: 22 cannot hold .* 8s for the app .* then 14s for the sidecars/);
});

test('a Pod without sidecars of this library is not judged', () => {
  expect(messagesOf(RULE, deployment(spec('terminationGracePeriodSeconds: 0\n')))).toEqual([]);
});
