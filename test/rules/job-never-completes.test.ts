// The "this Job will never complete" heuristics: which commands beside a Job's main
// container run until killed, and which exit by themselves.
import { messagesOf } from './judge';
import { SIDECAR_WRAPPER_MARK } from '../../src/core/completion';

const RULE = 'job-never-completes';
const FIX = 'Make it a native sidecar (an init container with restartPolicy: Always, Kubernetes 1.29+; SidecarMode.NATIVE), '
  + 'or build the Job with SidecarJob / SidecarCronJob, which stop classic sidecars when the main containers are done.';

function job(second: object, kind: 'Job' | 'CronJob' = 'Job'): object {
  const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'alpine:3.21.0', command: ['sh', '-c', 'echo done'] }, { name: 'helper', image: 'alpine:3.21.0', ...second }] } };
  return kind === 'Job'
    ? { apiVersion: 'batch/v1', kind, metadata: { name: 'j' }, spec: { template } }
    : { apiVersion: 'batch/v1', kind, metadata: { name: 'j' }, spec: { schedule: '@hourly', jobTemplate: { spec: { template } } } };
}

describe('a second container that runs until killed', () => {
  test.each([
    [['tail', '-f', '/opt/app.log']],
    [['tail', '-F', '/opt/app.log']],
    [['tail', '-n', '+1', '-F', '/opt/app.log']],
    [['tail', '-qf', '/opt/app.log']],
    [['tail', '--follow=name', '/opt/app.log']],
    [['sleep', 'infinity']],
    [['sleep', 'inf']],
    [['sh', '-c', 'echo start; sleep infinity']],
    [['sh', '-c', 'while true; do date; sleep 5; done']],
    [['sh', '-c', 'while :; do date; sleep 5; done']],
    [['sh', '-c', 'while  true ;do date; done']],
    [['sleep', ' infinity']],
  ])('%j never exits', command => {
    expect(messagesOf(RULE, job({ command }))).toEqual([
      `containers[helper].command: ${JSON.stringify(command.join(' '))} does not exit by itself, and runs beside the main container, so this Job will never complete (its Pod keeps running after the main container ends). ${FIX}`,
    ]);
  });

  test('the command may stand in args, or in args alone for the image\'s entrypoint', () => {
    expect(messagesOf(RULE, job({ command: ['sh'], args: ['-c', 'sleep infinity'] }))[0]).toContain('"sh -c sleep infinity" does not exit by itself');
    expect(messagesOf(RULE, job({ args: ['tail', '-F', '/opt/app.log'] }))[0]).toContain('"tail -F /opt/app.log" does not exit by itself');
  });

  test('a long command is cut at 80 characters', () => {
    const at80 = `tail -F /${'x'.repeat(71)}`;
    expect(messagesOf(RULE, job({ command: ['tail', '-F', `/${'x'.repeat(71)}`] }))[0]).toContain(`${JSON.stringify(at80)} does not`);
    expect(messagesOf(RULE, job({ command: ['tail', '-F', `/${'x'.repeat(72)}`] }))[0]).toContain(`${JSON.stringify(`${at80}x`.slice(0, 77) + '...')} does not`);
  });

  test('a CronJob is judged the same way', () => {
    expect(messagesOf(RULE, job({ command: ['sleep', 'infinity'] }, 'CronJob'))).toHaveLength(1);
  });

  test('a classic sidecar of this library, as recorded, outside SidecarJob\'s wrapper', () => {
    expect(messagesOf(RULE, job({ command: ['fluent-bit'] }), { sidecars: { helper: {} } })).toEqual([
      `containers[helper]: is a classic sidecar beside the main container, so this Job will never complete (its Pod keeps running after the main container ends). ${FIX}`,
    ]);
  });
});

describe('what passes', () => {
  test.each([
    [['tail', '-n', '5', '/opt/app.log']],
    [['sh', '-c', 'tail -n 1 /opt/app.log; ls -f /opt']],
    [['sh', '-c', 'tail -n 1 /opt/app.log && ls -F']],
    [['tailor', '-f', 'x']],
    [['sleep', '10']],
    [['sleep', 'infinityx']],
    [['sh', '-c', 'while read line; do echo "$line"; done < /opt/list']],
    [['sh', '-c', 'while true_or_not; do x; done']],
    [['sh', '-c', 'echo done']],
  ])('%j exits by itself', command => {
    expect(messagesOf(RULE, job({ command }))).toEqual([]);
  });

  test('no command: the image\'s own', () => {
    expect(messagesOf(RULE, job({}))).toEqual([]);
  });

  test('a sidecar wrapped by SidecarJob stops when the main containers are done', () => {
    expect(messagesOf(RULE, job({ command: ['sh', '-c', `${SIDECAR_WRAPPER_MARK}\n...`, 'helper', 'tail', '-F', '/x'] }), { sidecars: { helper: {} } })).toEqual([]);
  });

  test('one container, or a kind that is no Job', () => {
    const single: any = job({});
    single.spec.template.spec.containers = [{ name: 'main', image: 'alpine:3.21.0', command: ['tail', '-F', '/x'] }];
    expect(messagesOf(RULE, single)).toEqual([]);
    expect(messagesOf(RULE, { ...job({ command: ['sleep', 'infinity'] }), kind: 'Deployment' })).toEqual([]);
  });
});
