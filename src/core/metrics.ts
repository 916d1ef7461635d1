import * as kplus from 'cdk8s-plus-28';

const PROMETHEUS_KEYS = ['prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path'];

/**
 * Announces a sidecar's Prometheus endpoint with the `prometheus.io/*` annotations of
 * the pod template, which name one endpoint per Pod. The rule, for every sidecar kind:
 * annotations already there (the app's own, or an earlier sidecar's) win, so the
 * first endpoint announced is the one scraped through them. Every sidecar declares
 * its metrics port as a named container port ending in `-metrics`, so that a
 * PodMonitor or a scrape job can select all of them by name.
 *
 * @internal
 */
export function announceMetrics(workload: kplus.AbstractPod, port: number, path: string): void {
  const annotations = workload.podMetadata.toJson().annotations ?? {};
  if (PROMETHEUS_KEYS.some(key => annotations[key] !== undefined)) {
    return;
  }
  workload.podMetadata.addAnnotation('prometheus.io/scrape', 'true');
  workload.podMetadata.addAnnotation('prometheus.io/port', String(port));
  workload.podMetadata.addAnnotation('prometheus.io/path', path);
}
