import { messagesOf } from './judge';

const RULE = 'active-deadline';
const sidecars = { logs: { drainSeconds: 5, stopSeconds: 4 } };
function job(deadline: number | undefined, kind = 'Job'): object {
  const template = { spec: { restartPolicy: 'Never', initContainers: [{ name: 'logs', image: 'busybox:1.37.0', restartPolicy: 'Always' }], containers: [{ name: 'main', image: 'alpine:3.21.0' }] } };
  const jobSpec = { template, ...deadline === undefined ? {} : { activeDeadlineSeconds: deadline } };
  return kind === 'Job' ? { kind, metadata: { name: 'j' }, spec: jobSpec } : { kind, metadata: { name: 'j' }, spec: { schedule: '@daily', jobTemplate: { spec: jobSpec } } };
}

test('a deadline above the drains, or none, passes', () => {
  expect(messagesOf(RULE, job(10), { sidecars })).toEqual([]);
  expect(messagesOf(RULE, job(undefined), { sidecars })).toEqual([]);
});

test.each(['Job', 'CronJob'])('%s: a deadline the drains fill', kind => {
  expect(messagesOf(RULE, job(9, kind), { sidecars })).toEqual([
    'activeDeadlineSeconds: 9 is not above the 9s the sidecars need to drain and stop after the main containers, so the Job would always fail on its deadline. Raise activeDeadline well above the time the main containers and the drain take.',
  ]);
});
