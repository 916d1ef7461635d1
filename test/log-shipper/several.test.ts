import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { FluentBitConfigFormat, LogOutput, LogShipperEngine, LogShipperSidecar, LogShipperSidecarProps } from '../../src';
import { newChart, only, podSpec, synth } from '../util';
import { FLUENT_BIT_KEYS, VECTOR_KEYS, expectOnlyKeys, parseFluentBitClassic } from './config-parsers';

type Options = Omit<LogShipperSidecarProps, 'workload'>;

function ship(options: Options) {
  const { app, chart } = newChart();
  const web = new kplus.Deployment(chart, 'web', {
    containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, securityContext: { user: 101, group: 101 } }],
  });
  const shipper = new LogShipperSidecar(chart, 'logs', { workload: web, ...options });
  const manifests = synth(app);
  const spec = podSpec(only(manifests, 'Deployment'));
  const container = [...spec.initContainers ?? [], ...spec.containers].find((c: any) => c.name === shipper.sidecar.containerName);
  return { manifests, spec, container, shipper };
}

// Loki for search and an HTTP archive, each with its own login and CA
const LOKI = LogOutput.loki({ host: 'loki.logging.svc', tls: { caConfigMapName: 'loki-ca' }, credentials: { secretName: 'loki-login' } });
const ARCHIVE = LogOutput.http({ host: 'archive.logging.svc', path: '/ingest', tls: { caSecretName: 'archive-ca', caKey: 'root.pem' }, credentials: { secretName: 'archive-login', usernameKey: 'user' } });

/** The Fluent Bit sections of either format, as [name, entries]. */
function fluentBitSections(files: { [name: string]: string }) {
  if (files['fluent-bit.conf']) {
    return parseFluentBitClassic(files['fluent-bit.conf']);
  }
  const doc = yaml.parse(files['fluent-bit.yaml']);
  const entries = (o: any) => Object.entries(o).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map(x => [k, String(x)] as [string, string]));
  return [
    { name: 'SERVICE', entries: entries(doc.service) },
    ...doc.pipeline.inputs.map((o: any) => ({ name: 'INPUT', entries: entries(o) })),
    ...doc.pipeline.filters.map((o: any) => ({ name: 'FILTER', entries: entries(o) })),
    ...doc.pipeline.outputs.map((o: any) => ({ name: 'OUTPUT', entries: entries(o) })),
  ];
}

describe('several outputs', () => {
  test.each([FluentBitConfigFormat.CLASSIC, FluentBitConfigFormat.YAML])('Fluent Bit (%s): an output section each, every record to each, with its own login and CA', (format) => {
    const { shipper, container, spec } = ship({ logDirectory: '/var/log/nginx', outputs: [LOKI, ARCHIVE], fluentBitConfigFormat: format });
    const sections = fluentBitSections(shipper.configFiles);
    expect(sections.map(s => s.name)).toEqual(['SERVICE', 'INPUT', 'FILTER', 'OUTPUT', 'OUTPUT']);
    for (const section of sections.slice(1)) {
      const plugin = section.entries.find(([k]) => k === 'name')![1];
      expectOnlyKeys(`${section.name} ${plugin}`, Object.fromEntries(section.entries), FLUENT_BIT_KEYS[`${section.name} ${plugin}`]);
    }
    const [loki, archive] = sections.slice(3).map(s => new Map(s.entries));
    expect(Object.fromEntries(loki)).toEqual({
      'name': 'loki',
      'match': '*',
      'host': 'loki.logging.svc',
      'port': '3100',
      'retry_limit': 'no_limits',
      'labels': 'job=log-shipper',
      'line_format': 'json',
      'http_user': '${LOG_OUTPUT_1_USERNAME}',
      'http_passwd': '${LOG_OUTPUT_1_PASSWORD}',
      'tls': 'on',
      'tls.verify': 'on',
      'tls.ca_file': '/etc/log-shipper-tls-1/ca.crt',
    });
    expect(Object.fromEntries(archive)).toEqual({
      'name': 'http',
      'match': '*',
      'host': 'archive.logging.svc',
      'port': '80',
      'retry_limit': 'no_limits',
      'uri': '/ingest',
      'format': 'json',
      'http_user': '${LOG_OUTPUT_2_USERNAME}',
      'http_passwd': '${LOG_OUTPUT_2_PASSWORD}',
      'tls': 'on',
      'tls.verify': 'on',
      'tls.ca_file': '/etc/log-shipper-tls-2/root.pem',
    });
    const env = Object.fromEntries(container.env.filter((e: any) => e.name.startsWith('LOG_OUTPUT')).map((e: any) => [e.name, e.valueFrom.secretKeyRef]));
    expect(env).toEqual({
      LOG_OUTPUT_1_USERNAME: { name: 'loki-login', key: 'username' },
      LOG_OUTPUT_1_PASSWORD: { name: 'loki-login', key: 'password' },
      LOG_OUTPUT_2_USERNAME: { name: 'archive-login', key: 'user' },
      LOG_OUTPUT_2_PASSWORD: { name: 'archive-login', key: 'password' },
    });
    expect(container.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'log-shipper-ca-1', mountPath: '/etc/log-shipper-tls-1', readOnly: true },
      { name: 'log-shipper-ca-2', mountPath: '/etc/log-shipper-tls-2', readOnly: true },
    ]));
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'log-shipper-ca-1', configMap: { name: 'loki-ca' } },
      { name: 'log-shipper-ca-2', secret: { secretName: 'archive-ca' } },
    ]));
  });

  test('Fluent Bit: each output may keep its share of the filesystem buffer', () => {
    const { shipper } = ship({ logDirectory: '/var/log/nginx', outputs: [LOKI, ARCHIVE, LogOutput.stdout()], filesystemBuffer: Size.mebibytes(100) });
    const outputs = fluentBitSections(shipper.configFiles).filter(s => s.name === 'OUTPUT').map(s => new Map(s.entries));
    expect(outputs.map(o => [o.get('name'), o.get('storage.total_limit_size')])).toEqual([['loki', '33M'], ['http', '33M'], ['stdout', '33M']]);
    // the input's memory limit stays whole: it is the input's, shared by every output
    expect(new Map(fluentBitSections(shipper.configFiles)[1].entries).get('mem_buf_limit')).toBe('32M');
  });

  test('Vector: a sink each, numbered, each with its share of the buffer', () => {
    const doc = yaml.parse(ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/nginx', outputs: [LOKI, ARCHIVE] }).shipper.configFiles['vector.yaml']);
    expect(Object.keys(doc.sinks)).toEqual(['output_1', 'output_2', 'metrics']);
    for (const name of ['output_1', 'output_2']) {
      const sink = doc.sinks[name];
      expectOnlyKeys(name, sink, VECTOR_KEYS[`sink ${sink.type}`]);
      expect(sink.inputs).toEqual(['app_records']);
      // a quarter of the 256Mi limit, 512 events a MiB, halved
      expect(sink.buffer).toEqual({ type: 'memory', max_events: 64 * 512 / 2, when_full: 'block' });
    }
    expect(doc.sinks.output_1.auth).toEqual({ strategy: 'basic', user: '${LOG_OUTPUT_1_USERNAME}', password: '${LOG_OUTPUT_1_PASSWORD}' });
    expect(doc.sinks.output_1.tls).toEqual({ verify_certificate: true, ca_file: '/etc/log-shipper-tls-1/ca.crt' });
    expect(doc.sinks.output_2.uri).toBe('https://archive.logging.svc:80/ingest');
    expect(doc.sinks.output_2.tls).toEqual({ verify_certificate: true, ca_file: '/etc/log-shipper-tls-2/root.pem' });

    const disk = yaml.parse(ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/nginx', outputs: [LOKI, ARCHIVE], filesystemBuffer: Size.mebibytes(515) })
      .shipper.configFiles['vector.yaml']);
    expect([disk.sinks.output_1.buffer, disk.sinks.output_2.buffer]).toEqual([
      { type: 'disk', max_size: 257 * 1024 * 1024, when_full: 'block' }, { type: 'disk', max_size: 257 * 1024 * 1024, when_full: 'block' },
    ]);
  });

  test('one output keeps the plain names', () => {
    const { shipper, container } = ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/nginx', outputs: [LOKI] });
    expect(Object.keys(yaml.parse(shipper.configFiles['vector.yaml']).sinks)).toEqual(['output', 'metrics']);
    expect(container.env.map((e: any) => e.name)).toEqual(expect.arrayContaining(['LOG_OUTPUT_USERNAME', 'LOG_OUTPUT_PASSWORD']));
    expect(container.volumeMounts).toContainEqual({ name: 'log-shipper-ca', mountPath: '/etc/log-shipper-tls', readOnly: true });
  });

  test.each([
    [{ outputs: [] }, 'outputs: [] is empty, so the records would go nowhere. Give at least one output, or leave outputs out to print the records on stdout.'],
    [{ engine: LogShipperEngine.FILEBEAT, outputs: [LogOutput.elasticsearch({ host: 'es.svc', index: 'web' }), LogOutput.stdout()] },
      'outputs: ["elasticsearch","stdout"] are 2 outputs, and the filebeat engine sends to one. Keep one output, or use an engine that sends every record to several: fluent-bit, vector.'],
    [{ engine: LogShipperEngine.TAIL, outputs: [LogOutput.stdout(), LogOutput.stdout()] },
      'outputs: ["stdout","stdout"] are 2 outputs, and the tail engine sends to one. Keep one output, or use an engine that sends every record to several: fluent-bit, vector.'],
    [{ outputs: [LOKI, ARCHIVE, LogOutput.loki({ host: 'loki.logging.svc' })] },
      'outputs[2]: "loki loki.logging.svc:3100" sends to the same place as outputs[0], so every record would arrive twice. Remove one of the two outputs.'],
    [{ outputs: [LogOutput.stdout(), LogOutput.stdout()] },
      'outputs[1]: "stdout" sends to the same place as outputs[0], so every record would arrive twice. Remove one of the two outputs.'],
    [{ outputs: [LOKI, ARCHIVE, LogOutput.stdout()], filesystemBuffer: Size.mebibytes(2) },
      'filesystemBuffer: "2Mi" leaves less than 1Mi to each of the 3 outputs, which share it. Use Size.mebibytes(3) or more.'],
    [{ engine: LogShipperEngine.VECTOR, outputs: [LOKI, ARCHIVE], filesystemBuffer: Size.mebibytes(513) },
      'filesystemBuffer: "513Mi" gives each of the 2 outputs less than the 257Mi that Vector\'s disk buffer needs at least. Use Size.mebibytes(514) or more with Vector and 2 outputs.'],
    [{ engine: LogShipperEngine.VECTOR, outputs: [LOKI, LogOutput.http({ host: 'in valid' })] },
      'outputs[1].host: "in valid" is not a host name or IP address'],
  ] as Array<[Partial<Options>, string]>)('error %#', (options, message) => {
    expect(() => ship({ logDirectory: '/var/log/nginx', ...options })).toThrow(`[test/logs] ${message}`);
  });

  test('outputs that differ only in their path, index or tenant are distinct', () => {
    expect(() => ship({ logDirectory: '/var/log/nginx', outputs: [LogOutput.http({ host: 'a.svc', path: '/x' }), LogOutput.http({ host: 'a.svc', path: '/y' })] })).not.toThrow();
    expect(() => ship({ logDirectory: '/var/log/nginx', outputs: [LogOutput.loki({ host: 'a.svc', tenantId: 'x' }), LogOutput.loki({ host: 'a.svc', tenantId: 'y' })] })).not.toThrow();
    expect(() => ship({
      logDirectory: '/var/log/nginx',
      outputs: [LogOutput.elasticsearch({ host: 'a.svc', index: 'x' }), LogOutput.elasticsearch({ host: 'a.svc', index: 'y' }), LogOutput.elasticsearch({ host: 'a.svc', port: 9201, index: 'x' })],
    })).not.toThrow();
  });
});

describe('several shippers on one workload', () => {
  function twoShippers(second: Partial<Options>) {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, securityContext: { user: 101, group: 101 } }],
    });
    new LogShipperSidecar(chart, 'access', { workload: web, logDirectory: '/var/log/access', outputs: [LogOutput.loki({ host: 'loki.svc' })] });
    new LogShipperSidecar(chart, 'audit', { workload: web, logDirectory: '/var/log/audit', outputs: [LogOutput.http({ host: 'archive.svc' })], ...second });
    return () => synth(app);
  }

  test('with their own container names and ports, each has its own volumes, config and port', () => {
    const manifests = twoShippers({ containerName: 'audit-shipper', monitoringPort: 2021 })();
    const spec = podSpec(only(manifests, 'Deployment'));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['log-shipper', 'audit-shipper']);
    expect(spec.volumes.map((v: any) => v.name).sort()).toEqual([
      'audit-shipper-config', 'audit-shipper-logs', 'audit-shipper-state', 'log-shipper-config', 'log-shipper-logs', 'log-shipper-state',
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'log-shipper-logs', mountPath: '/var/log/access', readOnly: false },
      { name: 'audit-shipper-logs', mountPath: '/var/log/audit', readOnly: false },
    ]);
    expect(spec.initContainers.map((c: any) => c.ports)).toEqual([
      [{ containerPort: 2020, name: 'http-metrics' }], [{ containerPort: 2021, name: 'http-metrics' }],
    ]);
    expect(manifests.filter((m: any) => m.kind === 'ConfigMap')).toHaveLength(2);
  });

  test('the same container name is an error that names containerName', () => {
    expect(twoShippers({ monitoringPort: 2021 })).toThrow('[test/web] initContainers[log-shipper].name: "log-shipper" is used by two containers in initContainers. '
      + 'Give every container, sidecars included, a name of its own (sidecars take theirs from the containerName prop).');
  });

  test('the same port is an error that names monitoringPort', () => {
    expect(twoShippers({ containerName: 'audit-shipper' })).toThrow('[test/web] initContainers[audit-shipper].ports: 2020 is also declared by container "log-shipper", '
      + 'and all containers of a Pod share one network namespace. Move one of them to a free port: set monitoringPort of the sidecar "audit-shipper" to another port.');
  });

  test('two Vector shippers share the exporter port 9598: the fix names metrics.port, which moves it', () => {
    const vectors = (metrics?: { port: number }) => {
      const { app, chart } = newChart();
      const web = new kplus.Deployment(chart, 'web', {
        containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, securityContext: { user: 101, group: 101 } }],
      });
      new LogShipperSidecar(chart, 'access', { workload: web, engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/access' });
      new LogShipperSidecar(chart, 'audit', {
        workload: web, engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/audit', containerName: 'audit-shipper', monitoringPort: 8687, metrics,
      });
      return app;
    };
    expect(() => synth(vectors())).toThrow('[test/web] initContainers[audit-shipper].ports: 9598 is also declared by container "log-shipper", '
      + 'and all containers of a Pod share one network namespace. Move one of them to a free port: set metrics.port of the sidecar "audit-shipper" to another port.');
    const manifests = synth(vectors({ port: 9599 }));
    const audit = podSpec(manifests.find(m => m.kind === 'Deployment')).initContainers.find((c: any) => c.name === 'audit-shipper');
    const configs = manifests.filter(m => m.kind === 'ConfigMap').map(m => yaml.parse(m.data['vector.yaml']));
    expect(configs.map(c => c.sinks.metrics.address).sort()).toEqual(['0.0.0.0:9598', '0.0.0.0:9599']);
    expect(audit.ports).toEqual([{ containerPort: 9599, name: 'http-metrics' }]);
    expect(audit.livenessProbe.httpGet.port).toBe(9599);
  });

  test('Vector\'s API on 127.0.0.1 takes its port: an app container that declares it is an error naming monitoringPort', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8686, securityContext: { user: 101, group: 101 } }],
    });
    new LogShipperSidecar(chart, 'logs', { workload: web, engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/nginx' });
    expect(() => synth(app)).toThrow('containers[web].ports: 8686 is also used by the API of container "log-shipper" (on 127.0.0.1; monitoringPort)');
  });
});
