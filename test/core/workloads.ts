import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

const APP: kplus.ContainerProps = {
  name: 'app',
  image: 'nginx:1.27.3',
  portNumber: 8080,
  securityContext: { user: 101, group: 101 },
};

/** One factory per cdk8s-plus workload kind that sidecars attach to. */
export const WORKLOADS: { [kind: string]: (scope: Construct, id: string) => kplus.AbstractPod } = {
  Pod: (scope, id) => new kplus.Pod(scope, id, { containers: [APP] }),
  Deployment: (scope, id) => new kplus.Deployment(scope, id, { containers: [APP] }),
  StatefulSet: (scope, id) => new kplus.StatefulSet(scope, id, { containers: [APP] }),
  DaemonSet: (scope, id) => new kplus.DaemonSet(scope, id, { containers: [APP] }),
  Job: (scope, id) => new kplus.Job(scope, id, { containers: [{ ...APP, portNumber: undefined }] }),
  CronJob: (scope, id) => new kplus.CronJob(scope, id, { schedule: Cron.daily(), containers: [{ ...APP, portNumber: undefined }] }),
};
