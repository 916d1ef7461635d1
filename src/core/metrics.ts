import { IConstruct } from 'constructs';
import { isJobKind } from './pod-template';
import { Workload } from './workload';

const PROMETHEUS_KEYS = ['prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path'];

/**
 * Announces a sidecar's Prometheus endpoint with the `prometheus.io/*` annotations of
 * the pod template, which name one endpoint per Pod. The rule, for every sidecar kind:
 * annotations in the rendered template (the app's own, set any time, or an earlier
 * sidecar's) win, so the first endpoint announced is the one scraped through them.
 * Every sidecar declares its metrics port as a named container port ending in
 * `-metrics`, so that a PodMonitor or a scrape job can select all of them by name.
 * Jobs and CronJobs get no annotations (their metrics ports are still declared).
 *
 * @internal
 */
export function announceMetrics(scope: IConstruct, workload: IConstruct, port: number, path: string): void {
  const target = Workload.of(scope, 'workload', workload);
  // the Pods of a Job run to completion: a scrape every 30 s or so would catch few of
  // them, and the annotations would only make Prometheus chase Pods that are gone
  if (isJobKind(target.kind)) {
    return;
  }
  target.addPodAnnotations({
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(port),
    'prometheus.io/path': path,
  }, PROMETHEUS_KEYS);
}
