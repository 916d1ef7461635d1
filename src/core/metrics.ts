import { IConstruct } from 'constructs';
import { fail } from './errors';
import { isJobKind } from './pod-template';
import { checkPort, isPortName, isUrlPath } from './validate';
import { Workload } from './workload';

/**
 * How a sidecar of one of this library's kinds serves its metrics.
 */
export interface MetricsOptions {
  /**
   * The port the sidecar serves its Prometheus metrics on, for a kind whose metrics
   * have a server of their own (`ConfigSyncSidecar`, Vector's exporter). A kind that
   * serves them on the port of another prop (Fluent Bit on `monitoringPort`, the mesh
   * proxy on `healthPort`) makes this an error naming that prop.
   *
   * @default - the kind's own port (see each construct)
   */
  readonly port?: number;

  /**
   * Whether the sidecar may be the endpoint that the Pod's `prometheus.io/*`
   * annotations announce. Its metrics port stays declared (and listed by a
   * `PodMonitor`) either way.
   *
   * @default true
   */
  readonly announce?: boolean;
}

/**
 * The Prometheus endpoint of a plain `Sidecar` (an exporter, an agent).
 */
export interface SidecarMetrics {
  /**
   * The port the sidecar serves its metrics on. Declared as a container port of the
   * sidecar, unless `ports` declares it already.
   */
  readonly port: number;

  /**
   * The HTTP path of the metrics.
   *
   * @default "/metrics"
   */
  readonly path?: string;

  /**
   * The name of the container port, ending in `-metrics` (the name a `PodMonitor`
   * and the mesh proxy's NetworkPolicy select metrics ports by), at most 15
   * characters. When `ports` declares the port, its name there must be this one.
   *
   * @default "sidecar-metrics". Sidecars whose ports share a name are scraped
   * alike through it by a `PodMonitor`, which makes two that serve different paths an
   * error: give one of them a name of its own.
   */
  readonly portName?: string;

  /**
   * Whether the sidecar may be the endpoint that the Pod's `prometheus.io/*`
   * annotations announce.
   *
   * @default true
   */
  readonly announce?: boolean;
}

/**
 * Which sidecars the `prometheus.io/*` annotations prefer, first to last: an
 * exporter's (a plain `Sidecar` that serves the app's metrics is there for them),
 * the mesh proxy's (the app's traffic), the log shipper's, the config sync's.
 *
 * @internal
 */
export enum MetricsRank {
  SIDECAR = 0,
  MESH_PROXY = 1,
  LOG_SHIPPER = 2,
  CONFIG_SYNC = 3,
}

/**
 * A metrics endpoint of a sidecar, as the annotations and a PodMonitor see it.
 *
 * @internal
 */
export interface MetricsEndpoint {
  readonly rank: MetricsRank;
  readonly container: string;
  readonly port: number;
  readonly portName: string;
  readonly path: string;
  readonly announce: boolean;
}

const PROMETHEUS_KEYS = ['prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path'];

const endpoints = new WeakMap<Workload, MetricsEndpoint[]>();

/**
 * Records a sidecar's metrics endpoint, and announces one endpoint per Pod with the
 * `prometheus.io/*` annotations of the pod template (they name one endpoint). The
 * rule, whatever the order in which sidecars are created:
 *
 * 1. annotations in the rendered template win: the app's own `prometheus.io/*`, set
 *    before or after any sidecar (`prometheus.io/scrape: "false"` turns them off for
 *    the workload);
 * 2. else the first endpoint by rank (`MetricsRank`), then by container name, among
 *    the sidecars that allow it (`announce`);
 * 3. a Job's or CronJob's Pods get none (they run to completion: a scrape every 30 s
 *    or so would catch few of them).
 *
 * The endpoint is declared as a named container port ending in `-metrics` by its
 * sidecar, so that a `PodMonitor` or a scrape job can select all of them by name.
 *
 * @internal
 */
export function announceMetrics(scope: IConstruct, workload: IConstruct, endpoint: MetricsEndpoint): void {
  const target = Workload.of(scope, 'workload', workload);
  let list = endpoints.get(target);
  if (!list) {
    list = [];
    endpoints.set(target, list);
    if (!isJobKind(target.kind)) {
      const all = list;
      target.addPodAnnotations(() => annotationsOf(all), PROMETHEUS_KEYS);
    }
  }
  list.push(endpoint);
}

/**
 * The metrics endpoints of the sidecars of a workload, in the order of the rule above.
 *
 * @internal
 */
export function metricsEndpointsOf(workload: Workload): MetricsEndpoint[] {
  return [...endpoints.get(workload) ?? []].sort(byRank);
}

function byRank(a: MetricsEndpoint, b: MetricsEndpoint): number {
  return a.rank - b.rank || (a.container < b.container ? -1 : a.container > b.container ? 1 : 0);
}

function annotationsOf(list: MetricsEndpoint[]): { [key: string]: string } {
  const first = [...list].sort(byRank).find(e => e.announce);
  return first ? {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(first.port),
    'prometheus.io/path': first.path,
  } : {};
}

/**
 * The name of a metrics port: the one given, checked, or one made from the container name.
 *
 * @internal
 */
export function metricsPortName(scope: IConstruct, field: string, given: string | undefined): string {
  if (given === undefined) {
    return 'sidecar-metrics';
  }
  if (!isPortName(given) || !given.endsWith('-metrics')) {
    fail(scope, field, given, 'is not a port name ending in "-metrics" (the names PodMonitors and the mesh proxy\'s NetworkPolicy select metrics ports by)',
      'Use at most 15 lower-case letters, digits and single hyphens ending in "-metrics", for example "pg-metrics".');
  }
  return given;
}

/**
 * Checks an HTTP path of metrics.
 *
 * @internal
 */
export function checkMetricsPath(scope: IConstruct, field: string, path: string): void {
  if (!isUrlPath(path)) {
    fail(scope, field, path, 'is not an absolute URL path', 'Give a path such as "/metrics": a slash, then letters, digits and -._~!$&()*+,;=:@%/ only.');
  }
}

/**
 * Checks a kind's `metrics.port`, which only kinds whose metrics have a server of
 * their own take: `portProp` names the prop that moves the port otherwise.
 *
 * @internal
 */
export function checkKindMetricsPort(scope: IConstruct, options: MetricsOptions | undefined, portProp?: string): void {
  if (options?.port === undefined) {
    return;
  }
  if (portProp !== undefined) {
    fail(scope, 'metrics.port', options.port, `is not where this sidecar serves its metrics: they are on ${portProp}`,
      `Leave metrics.port out and set ${portProp}.`);
  }
  checkPort(scope, 'metrics.port', options.port);
}
