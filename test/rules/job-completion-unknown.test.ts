import { messagesOf } from './judge';
import { SIDECAR_WRAPPER_MARK } from '../../src/core/completion';

const RULE = 'job-completion-unknown';
const FIX = 'Make the containers that serve until stopped native sidecars (init containers with restartPolicy: Always, Kubernetes 1.29+), '
  + 'or build the Job with SidecarJob or JobCompletion, which stop classic sidecars when the main containers are done; '
  + 'if each of them exits by itself, suppress this rule for the workload with that reason.';
const PROBLEM = 'run side by side in this Job, and nothing shows that each exits by itself: the Pod, and with it the Job, completes only when every one has exited, '
  + 'and one that serves until stopped (a proxy, an agent) keeps the Job running until its activeDeadlineSeconds, or forever';

function job(containers: object[], kind = 'Job'): object {
  const template = { spec: { restartPolicy: 'Never', containers } };
  return kind === 'CronJob'
    ? { apiVersion: 'batch/v1', kind, metadata: { name: 'j' }, spec: { schedule: '@hourly', jobTemplate: { spec: { template } } } }
    : { apiVersion: kind === 'Deployment' ? 'apps/v1' : 'batch/v1', kind, metadata: { name: 'j' }, spec: { template } };
}
const migrate = { name: 'migrate', image: 'example.com/migrate:1.4.0', command: ['./migrate', 'up'] };
const proxy = { name: 'cloud-sql-proxy', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0', args: ['--port=5432', 'p:r:db'] };

test.each(['Job', 'CronJob'])('a %s with a proxy beside its main container: both named, with the fix', kind => {
  expect(messagesOf(RULE, job([migrate, proxy], kind))).toEqual([`containers: ["migrate","cloud-sql-proxy"] ${PROBLEM}. ${FIX}`]);
});

test('three undetermined containers are all named', () => {
  expect(messagesOf(RULE, job([migrate, proxy, { name: 'agent', image: 'example.com/agent:1' }]))[0]).toContain('["migrate","cloud-sql-proxy","agent"]');
});

test.each<[string, object[], string]>([
  ['one container', [migrate], 'Job'],
  ['a Deployment', [migrate, proxy], 'Deployment'],
  ['the second container wrapped by SidecarJob', [migrate, { ...proxy, command: ['/bin/sh', '-c', `${SIDECAR_WRAPPER_MARK}\n...`, 'cloud-sql-proxy', 'cloud-sql-proxy'] }], 'Job'],
  // job-never-completes reports that one: it is known to run forever
  ['the second container known to run forever', [migrate, { name: 'logs', image: 'busybox:1.37.0', command: ['tail', '-F', '/x'] }], 'Job'],
])('no finding: %s', (_, containers, kind) => {
  expect(messagesOf(RULE, job(containers, kind))).toEqual([]);
});

test('a classic sidecar recorded by the library is left to job-never-completes', () => {
  expect(messagesOf(RULE, job([migrate, proxy]), { sidecars: { 'cloud-sql-proxy': {} } })).toEqual([]);
});
