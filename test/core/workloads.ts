import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SidecarCronJob, SidecarJob, SidecarMode } from '../../src';

const APP: kplus.ContainerProps = {
  name: 'app',
  image: 'nginx:1.27.3',
  portNumber: 8080,
  securityContext: { user: 101, group: 101 },
};

const JOB_MAIN: kplus.ContainerProps = { ...APP, portNumber: undefined, command: ['sh', '-c', 'echo done > /var/log/app/app.log'] };

/** One factory per cdk8s-plus workload kind that sidecars attach to. */
export const WORKLOADS: { [kind: string]: (scope: Construct, id: string, mode?: SidecarMode) => kplus.AbstractPod } = {
  Pod: (scope, id) => new kplus.Pod(scope, id, { containers: [APP] }),
  Deployment: (scope, id) => new kplus.Deployment(scope, id, { containers: [APP] }),
  StatefulSet: (scope, id) => new kplus.StatefulSet(scope, id, { containers: [APP] }),
  DaemonSet: (scope, id) => new kplus.DaemonSet(scope, id, { containers: [APP] }),
  // Jobs are SidecarJobs: a classic sidecar on a plain Job is a synth-time error (it never completes)
  Job: (scope, id, mode) => new SidecarJob(scope, id, { mode, containers: [JOB_MAIN] }),
  CronJob: (scope, id, mode) => new SidecarCronJob(scope, id, { mode, schedule: Cron.daily(), containers: [JOB_MAIN] }),
};
