// The "this Job will never complete" heuristics: which commands beside a Job's main
// container run until killed, and which exit by themselves.
import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Sidecar } from '../../src';
import { jobCompletionProblems } from '../../src/core/job-completion';
import { newChart, synthErrorLines } from '../util';

const ALPINE = 'alpine:3.21.0';

function jobWith(second: Pick<kplus.ContainerProps, 'command' | 'args'>, kind: 'job' | 'cron' = 'job') {
  const { chart } = newChart();
  const containers: kplus.ContainerProps[] = [
    { name: 'main', image: ALPINE, command: ['sh', '-c', 'echo done'] },
    { name: 'helper', image: ALPINE, ...second },
  ];
  return kind === 'job'
    ? new kplus.Job(chart, 'job', { containers })
    : new kplus.CronJob(chart, 'cron', { schedule: Cron.hourly(), containers });
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
    const problems = jobCompletionProblems(jobWith({ command }));
    expect(problems).toEqual([
      `containers[helper]: "helper" runs ${JSON.stringify(command.join(' '))}, which does not exit by itself beside the main container, so this Job will never complete (its Pod keeps running after the main container ends). Make it a native sidecar (SidecarMode.NATIVE, Kubernetes 1.29+), or build the Job with SidecarJob / SidecarCronJob, which stop classic sidecars when the main containers are done.`,
    ]);
  });

  test('the command may stand in args', () => {
    const problems = jobCompletionProblems(jobWith({ command: ['sh'], args: ['-c', 'sleep infinity'] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('runs "sh -c sleep infinity", which does not exit by itself');
  });

  test('args alone, for the image\'s entrypoint', () => {
    const problems = jobCompletionProblems(jobWith({ args: ['tail', '-F', '/opt/app.log'] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('runs "tail -F /opt/app.log", which does not exit by itself');
  });

  test('a name that is not plain is quoted in the field path, so the message stays one line', () => {
    const { chart } = newChart();
    const job = new kplus.Job(chart, 'job', {
      containers: [{ name: 'main', image: ALPINE, command: ['true'] }, { name: 'log\nshipper', image: ALPINE, command: ['sleep', 'infinity'] }],
    });
    const problems = jobCompletionProblems(job);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^containers\["log\\nshipper"\]: "log\\nshipper" runs "sleep infinity", which does not exit by itself/);
    expect(problems[0]).not.toContain('\n');
  });

  test('a CronJob is checked the same way', () => {
    expect(jobCompletionProblems(jobWith({ command: ['sleep', 'infinity'] }, 'cron'))).toHaveLength(1);
  });
});

describe('a second container that exits by itself', () => {
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
    [undefined],
  ])('%j', command => {
    expect(jobCompletionProblems(jobWith({ command }))).toEqual([]);
  });
});

test('a Job with one container never has the problem: that container is the main one', () => {
  const { chart } = newChart();
  const job = new kplus.Job(chart, 'job', { containers: [{ name: 'main', image: ALPINE, command: ['tail', '-F', '/x'] }] });
  expect(jobCompletionProblems(job)).toEqual([]);
});

test('two containers that both follow a file are both reported', () => {
  const { chart } = newChart();
  const job = new kplus.Job(chart, 'job', {
    containers: [
      { name: 'a', image: ALPINE, command: ['tail', '-F', '/x'] },
      { name: 'b', image: ALPINE, command: ['sleep', 'infinity'] },
    ],
  });
  expect(jobCompletionProblems(job).map(p => p.split(':')[0])).toEqual(['containers[a]', 'containers[b]']);
});

test('the check is added once per chart: two sidecars in it, each problem reported once', () => {
  const { app, chart } = newChart();
  new kplus.Job(chart, 'job', {
    containers: [{ name: 'main', image: ALPINE, command: ['true'] }, { name: 'helper', image: ALPINE, command: ['sleep', 'infinity'] }],
  });
  const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: ALPINE }] });
  for (const id of ['a', 'b']) {
    new Sidecar(chart, id, { workload: web, image: ALPINE, command: Sidecar.exitOnSigterm(['sleep', 'infinity']) });
  }
  expect(synthErrorLines(app).filter(line => line.includes('[test/job] containers[helper]'))).toHaveLength(1);
});
