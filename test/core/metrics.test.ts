import * as path from 'path';
import { ApiObject, Duration, Include } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ConfigSyncSidecar, LogShipperEngine, LogShipperSidecar, MeshProxySidecar, PodMonitor, Sidecar, SidecarJob,
} from '../../src';
import { newChart, only, podMetadata, podSpec, synth, synthErrorLines } from '../util';

const EXPORTER = 'quay.io/prometheuscommunity/postgres-exporter:v0.16.0';

function prometheus(manifest: any): { [key: string]: string } {
  const annotations = podMetadata(manifest).annotations ?? {};
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith('prometheus.io/'))) as { [key: string]: string };
}

function web(chart: any, annotations?: { [key: string]: string }): kplus.Deployment {
  return new kplus.Deployment(chart, 'web', {
    containers: [{
      name: 'web',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      securityContext: { user: 101, group: 101 },
      ports: [{ number: 8080, name: 'http' }, { number: 9113, name: 'app-metrics' }],
    }],
    podMetadata: annotations && { annotations },
  });
}

/** Adds the four kinds with metrics, in the given order. */
function addAll(chart: any, workload: kplus.Deployment, order: string[]): void {
  const add: { [kind: string]: () => void } = {
    shipper: () => new LogShipperSidecar(chart, 'logs', { workload, logDirectory: '/var/log/nginx' }),
    proxy: () => new MeshProxySidecar(chart, 'proxy', { workload, appPort: 8080 }),
    exporter: () => new Sidecar(chart, 'exporter', { workload, image: EXPORTER, metrics: { port: 9187 } }),
    sync: () => new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/site.git', mountPath: '/srv/site' }),
  };
  order.forEach(kind => add[kind]());
}

describe('the prometheus.io annotations of a Pod with several metrics endpoints', () => {
  test.each([
    [['shipper', 'proxy', 'exporter', 'sync']],
    [['sync', 'shipper', 'proxy', 'exporter']],
    [['exporter', 'sync', 'proxy', 'shipper']],
  ])('the exporter\'s win whatever the order the sidecars are created in (%j)', order => {
    const { app, chart } = newChart();
    addAll(chart, web(chart), order);
    expect(prometheus(only(synth(app), 'Deployment'))).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9187', 'prometheus.io/path': '/metrics' });
  });

  test('then the proxy\'s, the shipper\'s, the config sync\'s: each in turn when the ones before say announce: false', () => {
    const cases: Array<[string[], string, string]> = [
      [['exporter'], '15021', '/stats/prometheus'],
      [['exporter', 'proxy'], '2020', '/api/v2/metrics/prometheus'],
      [['exporter', 'proxy', 'shipper'], '2112', '/metrics'],
    ];
    for (const [silent, port, metricsPath] of cases) {
      const { app, chart } = newChart();
      const workload = web(chart);
      const announce = (kind: string) => !silent.includes(kind);
      new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/site.git', mountPath: '/srv/site' });
      new LogShipperSidecar(chart, 'logs', { workload, logDirectory: '/var/log/nginx', metrics: { announce: announce('shipper') } });
      new MeshProxySidecar(chart, 'proxy', { workload, appPort: 8080, metrics: { announce: announce('proxy') } });
      new Sidecar(chart, 'exporter', { workload, image: EXPORTER, metrics: { port: 9187, announce: announce('exporter') } });
      expect(prometheus(only(synth(app), 'Deployment'))).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': port, 'prometheus.io/path': metricsPath });
    }
  });

  test('none when every sidecar says announce: false; the ports stay declared', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    new LogShipperSidecar(chart, 'logs', { workload, logDirectory: '/var/log/nginx', metrics: { announce: false } });
    new Sidecar(chart, 'exporter', { workload, image: EXPORTER, metrics: { port: 9187, announce: false } });
    const deployment = only(synth(app), 'Deployment');
    expect(prometheus(deployment)).toEqual({});
    expect(podSpec(deployment).initContainers.map((c: any) => c.ports)).toEqual([
      [{ containerPort: 2020, name: 'http-metrics' }],
      [{ containerPort: 9187, name: 'sidecar-metrics' }],
    ]);
  });

  test('among sidecars of one rank, the container name decides', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    new Sidecar(chart, 'b', { workload, image: EXPORTER, containerName: 'pg-exporter', metrics: { port: 9187, portName: 'pg-metrics' } });
    new Sidecar(chart, 'a', { workload, image: 'oliver006/redis_exporter:v1.67.0', containerName: 'redis-exporter', metrics: { port: 9121, portName: 'redis-metrics' } });
    expect(prometheus(only(synth(app), 'Deployment'))['prometheus.io/port']).toBe('9187');
  });

  test('the app\'s own annotations win, set before or after the sidecars, by addJsonPatch too', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    addAll(chart, workload, ['shipper', 'exporter']);
    workload.podMetadata.addAnnotation('prometheus.io/port', '9113');
    expect(prometheus(only(synth(app), 'Deployment'))).toEqual({ 'prometheus.io/port': '9113' });
  });

  test('the Pods of a Job get none; the metrics ports stay declared', () => {
    const { app, chart } = newChart();
    const job = new SidecarJob(chart, 'job', { containers: [{ name: 'main', image: 'busybox:1.37.0', command: ['true'] }] });
    new Sidecar(chart, 'exporter', { workload: job, image: EXPORTER, metrics: { port: 9187 } });
    const manifest = only(synth(app), 'Job');
    expect(prometheus(manifest)).toEqual({});
    expect(podSpec(manifest).initContainers[0].ports).toEqual([{ containerPort: 9187, name: 'sidecar-metrics' }]);
  });
});

describe('Sidecar metrics', () => {
  test('a port that ports declares keeps its name there; path and portName are used', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    new Sidecar(chart, 'exporter', {
      workload, image: EXPORTER, ports: [{ number: 9187, name: 'pg-metrics' }], metrics: { port: 9187, path: '/probe/metrics', portName: 'pg-metrics' },
    });
    const deployment = only(synth(app), 'Deployment');
    expect(podSpec(deployment).initContainers[0].ports).toEqual([{ containerPort: 9187, name: 'pg-metrics' }]);
    expect(prometheus(deployment)['prometheus.io/path']).toBe('/probe/metrics');
  });

  test.each([
    [{ port: 0 }, undefined, '[test/exporter] metrics.port: 0 is not a port number. Use a whole number from 1 to 65535.'],
    [{ port: 9187, path: 'metrics' }, undefined, '[test/exporter] metrics.path: "metrics" is not an absolute URL path.'],
    [{ port: 9187, portName: 'pg' }, undefined, '[test/exporter] metrics.portName: "pg" is not a port name ending in "-metrics"'],
    [{ port: 9187, portName: 'postgres-exporter-metrics' }, undefined, '[test/exporter] metrics.portName: "postgres-exporter-metrics" is not a port name ending in "-metrics"'],
    [{ port: 9187 }, [{ number: 9187 }], '[test/exporter] ports[0].name: "no name" is missing on the port that metrics.port names. Name the port "sidecar-metrics", or leave it out of ports: metrics declares it.'],
    [{ port: 9187 }, [{ number: 9187, name: 'exporter' }], '[test/exporter] ports[0].name: "exporter" is not a port name ending in "-metrics"'],
    [{ port: 9187, portName: 'pg-metrics' }, [{ number: 9187, name: 'db-metrics' }],
      '[test/exporter] metrics.portName: "pg-metrics" differs from the name "db-metrics" that ports[0] gives the port. Keep one name'],
  ])('%j with ports %j is an error', (metrics, ports, message) => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'exporter', { workload: web(chart), image: EXPORTER, metrics: metrics as any, ports: ports as any })).toThrow(message);
  });

  test('a metrics port taken by another container is the port conflict, naming metrics.port', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'exporter', { workload: web(chart), image: EXPORTER, metrics: { port: 9113 } });
    expect(synthErrorLines(app)).toContain('[test/web] containers[web].ports: 9113 is also declared by container "exporter", and all containers of a Pod share one network namespace. '
      + 'Move one of them to a free port: set metrics.port of the sidecar "exporter" to another port.');
  });

  test('the kinds take metrics.port only where the metrics have a server of their own', () => {
    const { chart } = newChart();
    const workload = web(chart);
    expect(() => new LogShipperSidecar(chart, 'fb', { workload, logDirectory: '/var/log/a', metrics: { port: 2021 } }))
      .toThrow('[test/fb] metrics.port: 2021 is not where this sidecar serves its metrics: they are on monitoringPort. Leave metrics.port out and set monitoringPort.');
    expect(() => new MeshProxySidecar(chart, 'proxy', { workload, appPort: 8080, metrics: { port: 9000 } }))
      .toThrow('[test/proxy] metrics.port: 9000 is not where this sidecar serves its metrics: they are on healthPort. Leave metrics.port out and set healthPort.');
    expect(() => new LogShipperSidecar(chart, 'vector', { workload, logDirectory: '/var/log/b', engine: LogShipperEngine.VECTOR, metrics: { port: 70000 } }))
      .toThrow('[test/vector] metrics.port: 70000 is not a port number.');
    for (const engine of [LogShipperEngine.FILEBEAT, LogShipperEngine.TAIL]) {
      expect(() => new LogShipperSidecar(chart, `s-${engine}`, { workload, logDirectory: '/var/log/c', engine, metrics: { announce: false } }))
        .toThrow(`[test/s-${engine}] metrics: {"announce":false} is set, and the ${engine} engine serves no Prometheus metrics. Leave metrics out, or use an engine that serves them: fluent-bit, vector.`);
    }
  });
});

describe('PodMonitor', () => {
  test('a Pod with a log shipper, a mesh proxy, an exporter and a config sync: one annotated endpoint, and every endpoint in the PodMonitor', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    addAll(chart, workload, ['shipper', 'proxy', 'exporter', 'sync']);
    new PodMonitor(chart, 'monitor', {
      workload, interval: Duration.seconds(30), appEndpoints: [{ portName: 'app-metrics' }], metadata: { labels: { release: 'prometheus' } },
    });
    const manifests = synth(app);
    const deployment = only(manifests, 'Deployment');
    expect(prometheus(deployment)).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9187', 'prometheus.io/path': '/metrics' });
    const monitor = only(manifests, 'PodMonitor');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels).toEqual({ release: 'prometheus' });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: podMetadata(deployment).labels },
      podMetricsEndpoints: [
        { port: 'app-metrics', path: '/metrics', interval: '30s' },
        { port: 'sidecar-metrics', path: '/metrics', interval: '30s' },
        { port: 'proxy-metrics', path: '/stats/prometheus', interval: '30s' },
        { port: 'http-metrics', path: '/api/v2/metrics/prometheus', interval: '30s' },
        { port: 'sync-metrics', path: '/metrics', interval: '30s' },
      ],
    });
    // every endpoint is a named port of the Pod
    const ports = [...podSpec(deployment).initContainers, ...podSpec(deployment).containers]
      .flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
    for (const endpoint of monitor.spec.podMetricsEndpoints) {
      expect(ports).toContain(endpoint.port);
    }
  });

  test('selects the Pods of a workload of any source, in its namespace; sidecars that share a port name and path are one endpoint', () => {
    const { app, chart } = newChart();
    const included = new Include(chart, 'included', { url: path.join(__dirname, '..', 'sources', 'workloads.yaml') });
    const vendored = included.node.children.find(c => c instanceof ApiObject && (c as ApiObject).kind === 'Deployment') as ApiObject;
    const own = new ApiObject(chart, 'own', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'own' } }, template: { metadata: { labels: { app: 'own' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.37.0' }] } } },
    });
    for (const workload of [vendored, own]) {
      new Sidecar(chart, `${workload.node.id}-a`, { workload, image: EXPORTER, containerName: 'a', metrics: { port: 9187 } });
      new Sidecar(chart, `${workload.node.id}-b`, { workload, image: EXPORTER, containerName: 'b', metrics: { port: 9188 } });
      new PodMonitor(chart, `${workload.node.id}-monitor`, { workload });
    }
    const monitors = synth(app).filter(m => m.kind === 'PodMonitor');
    expect(monitors.map(m => [m.metadata.namespace, m.spec.selector.matchLabels])).toEqual([
      [undefined, { 'app.kubernetes.io/name': 'web' }],
      ['shop', { app: 'own' }],
    ]);
    expect(monitors[1].spec.podMetricsEndpoints).toEqual([{ port: 'sidecar-metrics', path: '/metrics' }]);
  });

  test.each([
    ['a name that no app container has', { appEndpoints: [{ portName: 'metrics' }] },
      '[test/monitor] appEndpoints[0].portName: "metrics" is not the name of a port of an app container. Name one of the app containers\' ports: http, app-metrics.'],
    ['a port name used with two paths', { appEndpoints: [{ portName: 'app-metrics', path: '/a' }, { portName: 'app-metrics', path: '/b' }] },
      '[test/monitor] appEndpoints[1]: "app-metrics" is also the port name of appEndpoints[0], with another path (/a, not /b); a PodMonitor selects ports by name.'],
    ['nothing to list', {}, '[test/monitor] appEndpoints: [] lists nothing, and no sidecar of test/web serves metrics.'],
  ])('%s is an error at synth', (_, props, message) => {
    const { app, chart } = newChart();
    new PodMonitor(chart, 'monitor', { workload: web(chart), ...props });
    expect(synthErrorLines(app).join('\n')).toContain(message);
  });

  test.each([
    ['an interval of a fraction of a second', { interval: Duration.millis(1500) }, '[test/monitor] interval:'],
    ['an interval of 0', { interval: Duration.seconds(0) }, '[test/monitor] interval: "0s" is not a scrape interval.'],
    ['a bad port name', { appEndpoints: [{ portName: 'App Metrics' }] }, '[test/monitor] appEndpoints[0].portName: "App Metrics" is not a port name.'],
    ['a bad path', { appEndpoints: [{ portName: 'app-metrics', path: 'm' }] }, '[test/monitor] appEndpoints[0].path: "m" is not an absolute URL path.'],
    ['another namespace', { metadata: { namespace: 'monitoring' } }, '[test/monitor] metadata.namespace: "monitoring" is not the namespace of the workload'],
  ])('%s is an error', (_, props, message) => {
    const { chart } = newChart();
    expect(() => new PodMonitor(chart, 'monitor', { workload: web(chart), ...props })).toThrow(message);
  });

  test('a pod template without labels is an error; so is a workload in another chart', () => {
    const { app, chart } = newChart();
    const pod = new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'app', image: 'busybox:1.37.0', ports: [{ containerPort: 9000, name: 'app-metrics' }] }] } });
    new PodMonitor(chart, 'monitor', { workload: pod, appEndpoints: [{ portName: 'app-metrics' }] });
    expect(synthErrorLines(app).join('\n')).toContain('[test/monitor] workload: "test/pod" has a pod template without labels, so no PodMonitor can select its Pods.');
    const other = newChart();
    expect(() => new PodMonitor(other.chart, 'monitor', { workload: web(chart) })).toThrow('[test/monitor] workload: "test/web" is in chart "test", not in this PodMonitor\'s chart "test"');
  });
});
