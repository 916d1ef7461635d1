import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import {
  FluentBitConfigFormat, LogOutput, LogOutputKind, LogParser, LogShipperEngine, LogShipperSidecar, LogShipperSidecarProps, MeshProxySidecar,
  NetshootDebugSidecar, SidecarJob, SidecarMode,
} from '../../src';
import { COMBINED_LOG_REGEX } from '../../src/log-shipper/fluent-bit';
import { newChart, only, podMetadata, podSpec, synth } from '../util';
import { FILEBEAT_KEYS, FLUENT_BIT_KEYS, VECTOR_KEYS, expectOnlyKeys, parseFluentBitClassic } from './config-parsers';

type Options = Omit<LogShipperSidecarProps, 'workload'>;

function ship(options: Options, workloadProps: kplus.DeploymentProps = {}) {
  const { app, chart } = newChart();
  const web = new kplus.Deployment(chart, 'web', {
    containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, securityContext: { user: 101, group: 101 } }],
    ...workloadProps,
  });
  const shipper = new LogShipperSidecar(chart, 'logs', { workload: web, ...options });
  const manifests = synth(app);
  const spec = podSpec(only(manifests, 'Deployment'));
  const container = [...spec.initContainers ?? [], ...spec.containers].find((c: any) => c.name === shipper.sidecar.containerName);
  return { manifests, spec, container, shipper };
}

const TLS = { caConfigMapName: 'logging-ca' };
const CREDENTIALS = { secretName: 'log-credentials' };
const OUTPUTS: { [kind: string]: LogOutput } = {
  [LogOutputKind.STDOUT]: LogOutput.stdout(),
  [LogOutputKind.ELASTICSEARCH]: LogOutput.elasticsearch({ host: 'elasticsearch.logging.svc', index: 'web', tls: TLS, credentials: CREDENTIALS }),
  [LogOutputKind.LOKI]: LogOutput.loki({ host: 'loki.logging.svc', labels: { app: 'web' }, tenantId: 'team-a', tls: TLS, credentials: CREDENTIALS }),
  [LogOutputKind.OPENTELEMETRY]: LogOutput.openTelemetry({ host: 'otel-collector.observability.svc', tls: TLS, credentials: CREDENTIALS }),
  [LogOutputKind.HTTP]: LogOutput.http({ host: 'ingest.example.com', port: 8443, path: '/logs', tls: TLS, credentials: CREDENTIALS }),
};
const SUPPORTED: { [engine: string]: string[] } = {
  [LogShipperEngine.FLUENT_BIT]: ['stdout', 'elasticsearch', 'loki', 'opentelemetry', 'http'],
  [LogShipperEngine.VECTOR]: ['stdout', 'elasticsearch', 'loki', 'http'],
  [LogShipperEngine.FILEBEAT]: ['stdout', 'elasticsearch'],
  [LogShipperEngine.TAIL]: ['stdout'],
};
const ALL_PAIRS = Object.values(LogShipperEngine)
  .flatMap(engine => Object.values(LogOutputKind).map(output => [engine, output] as [LogShipperEngine, string]));

/** Checks the parsed config of any engine: documented keys only, and the output's fields. */
function checkConfig(engine: LogShipperEngine, outputKind: string, files: { [name: string]: string }, format = FluentBitConfigFormat.CLASSIC) {
  const network = outputKind !== 'stdout';
  switch (engine) {
    case LogShipperEngine.FLUENT_BIT: {
      let sections: Array<{ name: string; entries: Array<[string, string]> }>;
      if (format === FluentBitConfigFormat.CLASSIC) {
        sections = parseFluentBitClassic(files['fluent-bit.conf']);
      } else {
        const doc = yaml.parse(files['fluent-bit.yaml']);
        expectOnlyKeys('fluent-bit.yaml', doc, ['service', 'pipeline']);
        const entries = (o: any) => Object.entries(o).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map(x => [k, String(x)] as [string, string]));
        sections = [
          { name: 'SERVICE', entries: entries(doc.service) },
          ...doc.pipeline.inputs.map((o: any) => ({ name: 'INPUT', entries: entries(o) })),
          ...doc.pipeline.filters.map((o: any) => ({ name: 'FILTER', entries: entries(o) })),
          ...doc.pipeline.outputs.map((o: any) => ({ name: 'OUTPUT', entries: entries(o) })),
        ];
      }
      expect(sections.map(s => s.name)).toEqual(['SERVICE', 'INPUT', 'FILTER', 'OUTPUT']);
      for (const section of sections) {
        const plugin = section.entries.find(([k]) => k === 'name')?.[1];
        const allowed = FLUENT_BIT_KEYS[section.name === 'SERVICE' ? 'SERVICE' : `${section.name} ${plugin}`];
        expect(allowed).toBeDefined();
        expectOnlyKeys(`${section.name} ${plugin}`, Object.fromEntries(section.entries), allowed);
      }
      const get = (name: string) => new Map(sections.find(s => s.name === name)!.entries);
      expect(get('INPUT').get('db')).toBe('/var/lib/log-shipper/tail.db');
      expect(get('INPUT').get('mem_buf_limit')).toBe('32M');
      expect(sections[2].entries.filter(([k]) => k === 'record').map(([, v]) => v)).toEqual([
        'k8s.pod.name ${POD_NAME}', 'k8s.namespace.name ${POD_NAMESPACE}', 'k8s.node.name ${NODE_NAME}', 'k8s.pod.ip ${POD_IP}',
      ]);
      const out = get('OUTPUT');
      expect(out.get('name')).toBe({ stdout: 'stdout', elasticsearch: 'es', loki: 'loki', opentelemetry: 'opentelemetry', http: 'http' }[outputKind]);
      if (network) {
        expect(out.get('http_user')).toBe('${LOG_OUTPUT_USERNAME}');
        expect(out.get('http_passwd')).toBe('${LOG_OUTPUT_PASSWORD}');
        expect([out.get('tls'), out.get('tls.verify'), out.get('tls.ca_file')]).toEqual(['on', 'on', '/etc/log-shipper-tls/ca.crt']);
      }
      if (outputKind === 'elasticsearch') {
        expect([out.get('host'), out.get('port'), out.get('index')]).toEqual(['elasticsearch.logging.svc', '9200', 'web']);
      }
      if (outputKind === 'loki') {
        expect([out.get('host'), out.get('port'), out.get('labels'), out.get('tenant_id')]).toEqual(['loki.logging.svc', '3100', 'app=web', 'team-a']);
      }
      if (outputKind === 'opentelemetry') {
        expect([out.get('port'), out.get('logs_uri')]).toEqual(['4318', '/v1/logs']);
      }
      if (outputKind === 'http') {
        expect([out.get('port'), out.get('uri'), out.get('format')]).toEqual(['8443', '/logs', 'json']);
      }
      break;
    }
    case LogShipperEngine.VECTOR: {
      const doc = yaml.parse(files['vector.yaml']);
      expectOnlyKeys('vector', doc, VECTOR_KEYS.top);
      expectOnlyKeys('api', doc.api, VECTOR_KEYS.api);
      expectOnlyKeys('source', doc.sources.app_logs, VECTOR_KEYS['source file']);
      expectOnlyKeys('transform', doc.transforms.app_records, VECTOR_KEYS['transform remap']);
      const sink = doc.sinks.output;
      expectOnlyKeys('sink', sink, VECTOR_KEYS[`sink ${sink.type}`]);
      expectOnlyKeys('buffer', sink.buffer, VECTOR_KEYS.buffer);
      expectOnlyKeys('metrics sink', doc.sinks.metrics, VECTOR_KEYS['sink prometheus_exporter']);
      expect(doc.data_dir).toBe('/var/lib/log-shipper');
      expect(doc.transforms.app_records.source).toContain('."k8s.pod.name" = "${POD_NAME}"');
      expect(sink.type).toBe({ stdout: 'console', elasticsearch: 'elasticsearch', loki: 'loki', http: 'http' }[outputKind]);
      if (network) {
        expectOnlyKeys('auth', sink.auth, VECTOR_KEYS.auth);
        expectOnlyKeys('tls', sink.tls, VECTOR_KEYS.tls);
        expect(sink.auth).toEqual({ strategy: 'basic', user: '${LOG_OUTPUT_USERNAME}', password: '${LOG_OUTPUT_PASSWORD}' });
        expect(sink.tls).toEqual({ verify_certificate: true, ca_file: '/etc/log-shipper-tls/ca.crt' });
      }
      if (outputKind === 'elasticsearch') {
        expect(sink.endpoints).toEqual(['https://elasticsearch.logging.svc:9200']);
        expect(sink.bulk).toEqual({ index: 'web' });
      }
      if (outputKind === 'loki') {
        expect([sink.endpoint, sink.labels, sink.tenant_id]).toEqual(['https://loki.logging.svc:3100', { app: 'web' }, 'team-a']);
      }
      if (outputKind === 'http') {
        expect(sink.uri).toBe('https://ingest.example.com:8443/logs');
      }
      break;
    }
    case LogShipperEngine.FILEBEAT: {
      const doc = yaml.parse(files['filebeat.yml']);
      expectOnlyKeys('filebeat', doc, FILEBEAT_KEYS.top);
      expectOnlyKeys('input', doc['filebeat.inputs'][0], FILEBEAT_KEYS['input filestream']);
      expect(doc['path.data']).toBe('/var/lib/log-shipper');
      expect(doc.processors).toEqual([{
        add_fields: {
          target: '',
          fields: {
            'k8s.pod.name': '${POD_NAME}', 'k8s.namespace.name': '${POD_NAMESPACE}', 'k8s.node.name': '${NODE_NAME}', 'k8s.pod.ip': '${POD_IP}',
          },
        },
      }]);
      if (outputKind === 'elasticsearch') {
        const es = doc['output.elasticsearch'];
        expectOnlyKeys('output.elasticsearch', es, FILEBEAT_KEYS['output.elasticsearch']);
        expectOnlyKeys('ssl', es.ssl, FILEBEAT_KEYS.ssl);
        expect(es).toEqual({
          hosts: ['https://elasticsearch.logging.svc:9200'],
          index: 'web',
          username: '${LOG_OUTPUT_USERNAME}',
          password: '${LOG_OUTPUT_PASSWORD}',
          ssl: { verification_mode: 'full', certificate_authorities: ['/etc/log-shipper-tls/ca.crt'] },
        });
        expect([doc['setup.template.name'], doc['setup.template.pattern'], doc['setup.ilm.enabled']]).toEqual(['web', 'web*', false]);
      } else {
        expect(doc['output.console']).toEqual({ codec: { json: { pretty: false } } });
      }
      break;
    }
    case LogShipperEngine.TAIL:
      expect(files).toEqual({});
      break;
  }
}

describe('engine × output', () => {
  test.each(ALL_PAIRS)('%s → %s', (engine, outputKind) => {
    const options = { engine, logDirectory: '/var/log/nginx', outputs: [OUTPUTS[outputKind]] };
    if (!SUPPORTED[engine].includes(outputKind)) {
      const can = Object.keys(SUPPORTED).filter(e => SUPPORTED[e].includes(outputKind)).join(', ');
      expect(() => ship(options)).toThrow(`[test/logs] outputs[0]: "${outputKind}" is not an output the ${engine} engine can serve. Use an engine that can: ${can}.`);
      return;
    }
    const { manifests, container, shipper } = ship(options);
    checkConfig(engine, outputKind, shipper.configFiles);
    if (engine !== LogShipperEngine.TAIL) {
      expect(only(manifests, 'ConfigMap').data).toEqual(shipper.configFiles);
    }
    const envNames = container.env.map((e: any) => e.name);
    // every variable of the Pod's metadata that the configuration reads is set, and no other
    expect(envNames.slice(0, engine === LogShipperEngine.TAIL ? 2 : 4)).toEqual(
      engine === LogShipperEngine.TAIL ? ['POD_NAME', 'POD_NAMESPACE'] : ['POD_NAME', 'POD_NAMESPACE', 'NODE_NAME', 'POD_IP']);
    const text = [...Object.values(shipper.configFiles), ...container.command].join('\n');
    for (const name of envNames.filter((n: string) => !n.startsWith('LOG_OUTPUT_'))) {
      expect(text).toMatch(new RegExp(`\\$\\{?${name}\\b`));
    }
    if (outputKind !== 'stdout') {
      expect(container.env.find((e: any) => e.name === 'LOG_OUTPUT_PASSWORD').valueFrom).toEqual({ secretKeyRef: { name: 'log-credentials', key: 'password' } });
      expect(container.volumeMounts).toContainEqual({ name: 'log-shipper-ca', mountPath: '/etc/log-shipper-tls', readOnly: true });
      // credentials never inline
      expect(JSON.stringify(manifests)).not.toMatch(/"value":"[^"]*password/i);
    }
  });

  test.each([FluentBitConfigFormat.CLASSIC, FluentBitConfigFormat.YAML])('Fluent Bit %s config for every output', (format) => {
    for (const outputKind of SUPPORTED[LogShipperEngine.FLUENT_BIT]) {
      const { shipper } = ship({ logDirectory: '/var/log/nginx', outputs: [OUTPUTS[outputKind]], fluentBitConfigFormat: format });
      expect(Object.keys(shipper.configFiles).sort()).toEqual([format === FluentBitConfigFormat.YAML ? 'fluent-bit.yaml' : 'fluent-bit.conf', 'parsers.conf']);
      checkConfig(LogShipperEngine.FLUENT_BIT, outputKind, shipper.configFiles, format);
    }
  });
});

describe('defaults of the sidecar', () => {
  test('Fluent Bit: native, pinned, sized, read-only logs, own state volume, liveness, metrics, checksum', () => {
    const { manifests, spec, container } = ship({ logDirectory: '/var/log/nginx' });
    const deployment = only(manifests, 'Deployment');
    expect(container.restartPolicy).toBe('Always');
    // the release image with a shell: the drain wrapper runs Fluent Bit
    expect(container.image).toBe('fluent/fluent-bit:4.0.7-debug');
    expect(container.command.slice(3)).toEqual(['log-shipper', '/fluent-bit/bin/fluent-bit', '-c', '/etc/log-shipper/fluent-bit.conf']);
    expect(container.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, readOnlyRootFilesystem: true });
    expect(container.volumeMounts).toEqual([
      { name: 'log-shipper-logs', mountPath: '/var/log/nginx', readOnly: true },
      { name: 'log-shipper-state', mountPath: '/var/lib/log-shipper', readOnly: false },
      { name: 'log-shipper-config', mountPath: '/etc/log-shipper', readOnly: true },
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'log-shipper-logs', mountPath: '/var/log/nginx', readOnly: false }]);
    expect(spec.volumes).toContainEqual({ name: 'log-shipper-logs', emptyDir: { sizeLimit: '256Mi' } });
    expect(spec.volumes).toContainEqual({ name: 'log-shipper-state', emptyDir: { sizeLimit: '64Mi' } });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 2020, scheme: 'HTTP' });
    expect(container.readinessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
    expect(container.ports).toEqual([{ containerPort: 2020, name: 'http-metrics' }]);
    expect(podMetadata(deployment).annotations).toMatchObject({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '2020', 'prometheus.io/path': '/api/v2/metrics/prometheus',
    });
    expect(podMetadata(deployment).annotations['checksum.cdk8s-sidecars/log-shipper']).toMatch(/^[0-9a-f]{64}$/);
    expect(manifests).toMatchSnapshot();
  });

  test('the shipper joins the Pod\'s fsGroup to read group-readable files', () => {
    const { container } = ship({ logDirectory: '/var/log/nginx' }, { securityContext: { fsGroup: 2000 } });
    expect(container.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 2000 });
  });

  test('filesystem buffering: storage on the state volume, bounded by it', () => {
    const { shipper, spec } = ship({ logDirectory: '/var/log/nginx', filesystemBuffer: Size.mebibytes(512) });
    const sections = parseFluentBitClassic(shipper.configFiles['fluent-bit.conf']);
    expect(new Map(sections[0].entries).get('storage.path')).toBe('/var/lib/log-shipper/buffer');
    expect(new Map(sections[1].entries).get('storage.type')).toBe('filesystem');
    expect(new Map(sections[3].entries).get('storage.total_limit_size')).toBe('512M');
    expect(spec.volumes).toContainEqual({ name: 'log-shipper-state', emptyDir: { sizeLimit: '576Mi' } });
  });

  test('the memory buffer follows the memory limit', () => {
    const { shipper } = ship({ logDirectory: '/var/log/nginx', resources: { memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } } });
    expect(new Map(parseFluentBitClassic(shipper.configFiles['fluent-bit.conf'])[1].entries).get('mem_buf_limit')).toBe('64M');
  });

  test('pod labels of choice become env from the downward API and record fields', () => {
    const { shipper, container } = ship({ logDirectory: '/var/log/nginx', podLabels: ['app.kubernetes.io/name'] });
    expect(container.env).toContainEqual({ name: 'POD_LABEL_APP_KUBERNETES_IO_NAME', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/name']" } } });
    expect(shipper.configFiles['fluent-bit.conf']).toContain('record k8s.pod.label.app.kubernetes.io/name ${POD_LABEL_APP_KUBERNETES_IO_NAME}');
  });

  test('the tail engine adds no labels: podLabels is an error, not ignored', () => {
    expect(() => ship({ engine: LogShipperEngine.TAIL, logDirectory: '/var/log/app', podLabels: ['app'] })).toThrow(
      '[test/logs] podLabels: ["app"] are not added by the tail engine, which prints lines with the Pod\'s namespace and name in front, not records. '
      + 'Leave podLabels out, or choose an engine that writes records: fluent-bit, vector, filebeat.');
  });

  test('Vector: disk buffer, its API on loopback only, liveness and metrics on the exporter\'s 9598', () => {
    const { shipper, container } = ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/nginx', filesystemBuffer: Size.mebibytes(300) });
    const doc = yaml.parse(shipper.configFiles['vector.yaml']);
    expect(doc.sinks.output.buffer).toEqual({ type: 'disk', max_size: 300 * 1024 * 1024, when_full: 'block' });
    // the API streams the events (vector tap): not on the Pod IP, so no container port and no probe
    expect(doc.api).toEqual({ enabled: true, address: '127.0.0.1:8686' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/metrics', port: 9598 });
    expect(container.ports).toEqual([{ containerPort: 9598, name: 'http-metrics' }]);
  });
});

describe('whole configurations', () => {
  const METADATA = '."k8s.pod.name" = "${POD_NAME}"\n."k8s.namespace.name" = "${POD_NAMESPACE}"\n."k8s.node.name" = "${NODE_NAME}"\n."k8s.pod.ip" = "${POD_IP}"\n';
  const vectorDocument = (options: Options) => {
    const text = ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/app', ...options }).shipper.configFiles['vector.yaml'];
    expect(text.startsWith('# Generated by cdk8s-sidecars.\n')).toBe(true);
    return yaml.parse(text);
  };
  const filebeatDocument = (options: Options) => {
    const text = ship({ engine: LogShipperEngine.FILEBEAT, logDirectory: '/var/log/app', ...options }).shipper.configFiles['filebeat.yml'];
    expect(text.startsWith('# Generated by cdk8s-sidecars.\n')).toBe(true);
    return yaml.parse(text);
  };

  test('Vector, the defaults: file source from the beginning, metadata only, console sink with a memory buffer of 512 events per MiB', () => {
    expect(vectorDocument({})).toEqual({
      data_dir: '/var/lib/log-shipper',
      api: { enabled: true, address: '127.0.0.1:8686' },
      sources: {
        app_logs: { type: 'file', include: ['/var/log/app/*.log'], read_from: 'beginning', glob_minimum_cooldown_ms: 1000 },
        vector_metrics: { type: 'internal_metrics' },
      },
      transforms: { app_records: { type: 'remap', inputs: ['app_logs'], source: METADATA } },
      sinks: {
        // the memory buffer is a quarter of the 256Mi limit: 64 MiB, about 2 KiB an event
        output: { inputs: ['app_records'], type: 'console', encoding: { codec: 'json' }, buffer: { type: 'memory', max_events: 64 * 512, when_full: 'block' } },
        metrics: { type: 'prometheus_exporter', inputs: ['vector_metrics'], address: '0.0.0.0:9598' },
      },
    });
  });

  test.each([
    ['json', () => LogParser.json(), 'parse_json(.message)'],
    ['nginx', () => LogParser.nginx(), `parse_regex(.message, r'${COMBINED_LOG_REGEX.replace(/\$/g, '$$$$')}')`],
    ['apache', () => LogParser.apache(), `parse_regex(.message, r'${COMBINED_LOG_REGEX.replace(/\$/g, '$$$$')}')`],
    ['regex', () => LogParser.regex('^(?<level>\\w+)'), "parse_regex(.message, r'^(?<level>\\w+)')"],
  ])('Vector, the %s parser: parsed into the record, a line that does not parse kept with its error', (_name, parser, parse) => {
    expect(vectorDocument({ parser: parser() }).transforms.app_records.source).toBe(
      `parsed, err = ${parse}\nif err == null && is_object(parsed) {\n  . = merge(., object!(parsed))\n} else {\n  .parse_error = err\n}\n` + METADATA);
  });

  test('Vector, network sinks without TLS or credentials: plain http, no auth, no tls', () => {
    const buffer = { type: 'memory', max_events: 32768, when_full: 'block' };
    expect(vectorDocument({ outputs: [LogOutput.elasticsearch({ host: 'es.svc', index: 'web' })] }).sinks.output).toEqual({
      inputs: ['app_records'], type: 'elasticsearch', endpoints: ['http://es.svc:9200'], mode: 'bulk', bulk: { index: 'web' }, buffer,
    });
    expect(vectorDocument({ outputs: [LogOutput.loki({ host: 'loki.svc' })] }).sinks.output).toEqual({
      inputs: ['app_records'], type: 'loki', endpoint: 'http://loki.svc:3100', encoding: { codec: 'json' }, labels: { job: 'log-shipper' }, buffer,
    });
    expect(vectorDocument({ outputs: [LogOutput.http({ host: 'in.svc' })] }).sinks.output).toEqual({
      inputs: ['app_records'], type: 'http', uri: 'http://in.svc:80/', method: 'post', encoding: { codec: 'json' }, buffer,
    });
  });

  test('Filebeat, the defaults: a filestream input, metadata fields, a memory queue of 512 events per MiB, the console', () => {
    expect(filebeatDocument({})).toEqual({
      'filebeat.inputs': [{
        'type': 'filestream',
        'id': 'log-shipper-logs',
        'paths': ['/var/log/app/*.log'],
        'prospector.scanner.check_interval': '1s',
        'backoff.init': '1s',
        'backoff.max': '1s',
      }],
      'processors': [{
        add_fields: {
          target: '',
          fields: { 'k8s.pod.name': '${POD_NAME}', 'k8s.namespace.name': '${POD_NAMESPACE}', 'k8s.node.name': '${NODE_NAME}', 'k8s.pod.ip': '${POD_IP}' },
        },
      }],
      'path.data': '/var/lib/log-shipper',
      'filebeat.shutdown_timeout': '5s',
      'http.enabled': true,
      'http.host': '0.0.0.0',
      'http.port': 5066,
      'queue.mem': { events: 64 * 512 },
      'output.console': { codec: { json: { pretty: false } } },
    });
  });

  test('Filebeat with a filesystem buffer and Elasticsearch without TLS or credentials: a disk queue on the state volume, no username, no ssl', () => {
    const document = filebeatDocument({ outputs: [LogOutput.elasticsearch({ host: 'es.svc', index: 'web' })], filesystemBuffer: Size.mebibytes(100) });
    expect(document['queue.disk']).toEqual({ path: '/var/lib/log-shipper/queue', max_size: '100MiB' });
    expect(document['queue.mem']).toBeUndefined();
    expect(document['output.elasticsearch']).toEqual({ hosts: ['http://es.svc:9200'], index: 'web' });
  });

  test('Fluent Bit, Loki without labels: the container name as the job label', () => {
    const output = new Map(parseFluentBitClassic(ship({ logDirectory: '/var/log/app', outputs: [LogOutput.loki({ host: 'loki.svc' })] })
      .shipper.configFiles['fluent-bit.conf']).find(x => x.name === 'OUTPUT')!.entries);
    expect([output.get('labels'), output.has('tenant_id')]).toEqual(['job=log-shipper', false]);
  });

  test('Fluent Bit, Loki with two labels: both, comma-separated', () => {
    const output = new Map(parseFluentBitClassic(ship({ logDirectory: '/var/log/app', outputs: [LogOutput.loki({ host: 'loki.svc', labels: { app: 'web', team: 'a' } })] })
      .shipper.configFiles['fluent-bit.conf']).find(x => x.name === 'OUTPUT')!.entries);
    expect(output.get('labels')).toBe('app=web,team=a');
  });

  test('Vector, the multiline parser: the source joins the lines, the transform only adds metadata', () => {
    expect(vectorDocument({ parser: LogParser.multiline('^\\[') }).transforms.app_records.source).toBe(METADATA);
  });

  test.each([
    [LogShipperEngine.FLUENT_BIT, '2020', '/api/v2/metrics/prometheus'],
    [LogShipperEngine.VECTOR, '9598', '/metrics'],
  ])('%s: its metrics announced to Prometheus on the Pod', (engine, port, metricsPath) => {
    const { manifests } = ship({ engine, logDirectory: '/var/log/app' });
    const annotations = podMetadata(only(manifests, 'Deployment')).annotations;
    expect([annotations['prometheus.io/scrape'], annotations['prometheus.io/port'], annotations['prometheus.io/path']]).toEqual(['true', port, metricsPath]);
  });

  test('Fluent Bit, the YAML format: a generated-file header, then the same sections', () => {
    const text = ship({ logDirectory: '/var/log/app', fluentBitConfigFormat: FluentBitConfigFormat.YAML }).shipper.configFiles['fluent-bit.yaml'];
    expect(text.startsWith('# Generated by cdk8s-sidecars.\nservice:\n')).toBe(true);
  });

  test('OpenTelemetry: port 4318 and the path /v1/logs unless told otherwise', () => {
    const output = new Map(parseFluentBitClassic(ship({ logDirectory: '/var/log/app', outputs: [LogOutput.openTelemetry({ host: 'otel.svc' })] })
      .shipper.configFiles['fluent-bit.conf']).find(x => x.name === 'OUTPUT')!.entries);
    expect([output.get('host'), output.get('port'), output.get('logs_uri')]).toEqual(['otel.svc', '4318', '/v1/logs']);
  });
});

describe('TLS to the output', () => {
  test('without a CA of its own: TLS on and verified against the image\'s CAs, no CA file, no CA volume', () => {
    const output = LogOutput.elasticsearch({ host: 'es.svc', index: 'web', tls: {} });
    const fluentBit = ship({ logDirectory: '/var/log', outputs: [output] });
    const es = new Map(parseFluentBitClassic(fluentBit.shipper.configFiles['fluent-bit.conf']).find(x => x.name === 'OUTPUT')!.entries);
    expect([es.get('tls'), es.get('tls.verify'), es.has('tls.ca_file')]).toEqual(['on', 'on', false]);
    expect(fluentBit.container.volumeMounts.map((m: any) => m.mountPath)).not.toContain('/etc/log-shipper-tls');
    expect(fluentBit.spec.volumes.map((v: any) => v.name)).toEqual(['log-shipper-logs', 'log-shipper-state', 'log-shipper-config']);
    const vector = ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log', outputs: [output] });
    expect(yaml.parse(vector.shipper.configFiles['vector.yaml']).sinks.output.tls).toEqual({ verify_certificate: true });
    const filebeat = ship({ engine: LogShipperEngine.FILEBEAT, logDirectory: '/var/log', outputs: [output] });
    expect(yaml.parse(filebeat.shipper.configFiles['filebeat.yml'])['output.elasticsearch'].ssl).toEqual({ verification_mode: 'full' });
  });

  test('verification turned off is written as such in every engine', () => {
    const output = LogOutput.elasticsearch({ host: 'es.svc', index: 'web', tls: { verify: false } });
    const es = new Map(parseFluentBitClassic(ship({ logDirectory: '/var/log', outputs: [output] }).shipper.configFiles['fluent-bit.conf']).find(x => x.name === 'OUTPUT')!.entries);
    expect(es.get('tls.verify')).toBe('off');
    expect(yaml.parse(ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log', outputs: [output] }).shipper.configFiles['vector.yaml']).sinks.output.tls)
      .toEqual({ verify_certificate: false });
    expect(yaml.parse(ship({ engine: LogShipperEngine.FILEBEAT, logDirectory: '/var/log', outputs: [output] }).shipper.configFiles['filebeat.yml'])['output.elasticsearch'].ssl)
      .toEqual({ verification_mode: 'none' });
  });

  test('a CA from a Secret, under a key of its own: the Secret mounted read-only, the engines pointed at the key', () => {
    const output = LogOutput.elasticsearch({ host: 'es.svc', index: 'web', tls: { caSecretName: 'logging-ca', caKey: 'root.pem' } });
    const fluentBit = ship({ logDirectory: '/var/log', outputs: [output] });
    expect(fluentBit.spec.volumes).toContainEqual({ name: 'log-shipper-ca', secret: { secretName: 'logging-ca' } });
    expect(fluentBit.container.volumeMounts).toContainEqual({ name: 'log-shipper-ca', mountPath: '/etc/log-shipper-tls', readOnly: true });
    const es = new Map(parseFluentBitClassic(fluentBit.shipper.configFiles['fluent-bit.conf']).find(x => x.name === 'OUTPUT')!.entries);
    expect(es.get('tls.ca_file')).toBe('/etc/log-shipper-tls/root.pem');
    const vector = ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log', outputs: [output] });
    expect(yaml.parse(vector.shipper.configFiles['vector.yaml']).sinks.output.tls).toEqual({ verify_certificate: true, ca_file: '/etc/log-shipper-tls/root.pem' });
    const filebeat = ship({ engine: LogShipperEngine.FILEBEAT, logDirectory: '/var/log', outputs: [output] });
    expect(yaml.parse(filebeat.shipper.configFiles['filebeat.yml'])['output.elasticsearch'].ssl)
      .toEqual({ verification_mode: 'full', certificate_authorities: ['/etc/log-shipper-tls/root.pem'] });
  });

  test('a CA from a ConfigMap, under the default key ca.crt', () => {
    const { spec, shipper } = ship({ logDirectory: '/var/log', outputs: [LogOutput.http({ host: 'in.svc', tls: { caConfigMapName: 'logging-ca' } })] });
    expect(spec.volumes).toContainEqual({ name: 'log-shipper-ca', configMap: { name: 'logging-ca' } });
    expect(shipper.configFiles['fluent-bit.conf']).toMatch(/tls\.ca_file\s+\/etc\/log-shipper-tls\/ca\.crt/);
  });

  test('credentials from a Secret under keys of their own', () => {
    const { container } = ship({
      logDirectory: '/var/log',
      outputs: [LogOutput.elasticsearch({ host: 'es.svc', index: 'web', credentials: { secretName: 'es-login', usernameKey: 'user', passwordKey: 'pass.word' } })],
    });
    const env = container.env.filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => e.valueFrom.secretKeyRef);
    expect(env).toEqual([{ name: 'es-login', key: 'user' }, { name: 'es-login', key: 'pass.word' }]);
  });
});

describe('parsers', () => {
  const combined = (name: string) => [
    '[PARSER]', `    name        ${name}`, '    format      regex', `    regex       ${COMBINED_LOG_REGEX}`, '    time_key    time', '    time_format %d/%b/%Y:%H:%M:%S %z',
  ];
  test.each([
    [() => LogParser.none(), undefined, []],
    [() => LogParser.json(), 'parser app-json', ['[PARSER]', '    name        app-json', '    format      json']],
    [() => LogParser.nginx(), 'parser app-nginx', combined('app-nginx')],
    [() => LogParser.apache(), 'parser app-apache', combined('app-apache')],
    [() => LogParser.regex('^(?<level>[A-Z]+) (?<message>.*)$'), 'parser app-regex',
      ['[PARSER]', '    name        app-regex', '    format      regex', '    regex       ^(?<level>[A-Z]+) (?<message>.*)$']],
    [() => LogParser.multiline('^\\d{4}-\\d{2}-\\d{2}'), 'multiline.parser app-multiline', [
      '[MULTILINE_PARSER]', '    name          app-multiline', '    type          regex', '    flush_timeout 1000',
      '    rule          "start_state" "/^\\d{4}-\\d{2}-\\d{2}/" "cont"',
      '    rule          "cont" "/^(?!.*(?:^\\d{4}-\\d{2}-\\d{2}))/" "cont"',
    ]],
  ])('Fluent Bit %#: the input names the parser, parsers.conf holds it whole', (parser, inputLine, parsersLines) => {
    const { shipper } = ship({ logDirectory: '/var/log/app', parser: parser() });
    const input = parseFluentBitClassic(shipper.configFiles['fluent-bit.conf'])[1].entries.map(([k, v]) => `${k} ${v}`);
    expect(input.filter(line => /^(multiline\.)?parser /.test(line))).toEqual(inputLine ? [inputLine] : []);
    expect(shipper.configFiles['parsers.conf']).toBe(['# Generated by cdk8s-sidecars.', ...parsersLines].join('\n') + '\n');
    for (const section of parseFluentBitClassic(shipper.configFiles['parsers.conf'])) {
      expectOnlyKeys(section.name, Object.fromEntries(section.entries), FLUENT_BIT_KEYS[section.name]);
    }
  });

  // found by test/properties: Fluent Bit anchored the pattern at the line start, Vector and
  // Filebeat match it anywhere in the line, so one parser split records differently
  test.each([
    ['^\\d{4}-\\d{2}-\\d{2}', ['2026-11-22 start', '  at frame', 'x 2026-11-22 not at the start', '2026-11-23 next']],
    ['ERROR|WARN', ['ERROR one', '  detail', 'a WARN inside', 'plain', 'INFO x']],
    ['^\\[', ['[a]', 'b', ' [c]', '[d]']],
  ])('a multiline pattern starts the same records in Fluent Bit as in Vector and Filebeat: %s', (pattern, lines) => {
    const { shipper } = ship({ logDirectory: '/var/log/app', parser: LogParser.multiline(pattern) });
    const rules = parseFluentBitClassic(shipper.configFiles['parsers.conf'])[0].entries.filter(([k]) => k === 'rule')
      .map(([, v]) => new RegExp(/^"[^"]+" "\/(.*)\/" "cont"$/.exec(v)![1]));
    const [start, cont] = rules;
    // Vector (condition_pattern, halt_before) and Filebeat (negate, match: after): a line the pattern is found in starts a record
    const starts = lines.map(line => new RegExp(pattern).test(line));
    expect(lines.map(line => start.test(line))).toEqual(starts);
    expect(lines.map(line => cont.test(line))).toEqual(starts.map(s => !s));
  });

  test('the nginx/apache expression reads a combined log line', () => {
    const line = '10.0.0.7 - - [21/Nov/2026:14:51:34 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.31"';
    expect(new RegExp(COMBINED_LOG_REGEX).exec(line)!.groups).toEqual({
      remote: '10.0.0.7',
      user: '-',
      time: '21/Nov/2026:14:51:34 +0000',
      method: 'GET',
      path: '/healthz',
      protocol: 'HTTP/1.1',
      code: '200',
      size: '2',
      referer: '-',
      agent: 'kube-probe/1.31',
    });
  });

  test('Vector: VRL parsing keeps unparsed lines, multiline on the source, $ escaped', () => {
    const json = yaml.parse(ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/app', parser: LogParser.json() }).shipper.configFiles['vector.yaml']);
    expect(json.transforms.app_records.source).toContain('parsed, err = parse_json(.message)\nif err == null && is_object(parsed) {');
    const regex = yaml.parse(ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/app', parser: LogParser.regex('^(?<level>\\w+) (?<msg>.*)$') }).shipper.configFiles['vector.yaml']);
    expect(regex.transforms.app_records.source).toContain("parse_regex(.message, r'^(?<level>\\w+) (?<msg>.*)$$')");
    const multi = yaml.parse(ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/app', parser: LogParser.multiline('^\\[') }).shipper.configFiles['vector.yaml']);
    expect(multi.sources.app_logs.multiline).toEqual({ start_pattern: '^\\[', condition_pattern: '^\\[', mode: 'halt_before', timeout_ms: 1000 });
    expectOnlyKeys('multiline', multi.sources.app_logs.multiline, VECTOR_KEYS.multiline);
  });

  // found by test/properties: Vector read "$b" in an HTTP output path as the environment variable b
  test('Vector: a "$" in an output path is escaped, as Vector interpolates "$NAME"', () => {
    const { shipper } = ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log/app', outputs: [LogOutput.http({ host: 'collector.svc', path: '/in/$b/$c' })] });
    expect(yaml.parse(shipper.configFiles['vector.yaml']).sinks.output.uri).toBe('http://collector.svc:80/in/$$b/$$c');
  });

  test('Filebeat: ndjson and multiline parsers', () => {
    const json = yaml.parse(ship({ engine: LogShipperEngine.FILEBEAT, logDirectory: '/var/log/app', parser: LogParser.json() }).shipper.configFiles['filebeat.yml']);
    expect(json['filebeat.inputs'][0].parsers).toEqual([{ ndjson: { target: '', overwrite_keys: true, add_error_key: true } }]);
    const multi = yaml.parse(ship({ engine: LogShipperEngine.FILEBEAT, logDirectory: '/var/log/app', parser: LogParser.multiline('^\\[') }).shipper.configFiles['filebeat.yml']);
    expect(multi['filebeat.inputs'][0].parsers).toEqual([{ multiline: { type: 'pattern', pattern: '^\\[', negate: true, match: 'after' } }]);
  });

  test.each([
    [LogShipperEngine.FILEBEAT, LogParser.nginx(), 'nginx', 'fluent-bit, vector'],
    [LogShipperEngine.TAIL, LogParser.json(), 'json', 'fluent-bit, vector, filebeat'],
  ])('%s has no %#th parser', (engine, parser, kind, engines) => {
    expect(() => ship({ engine, logDirectory: '/var/log/app', parser }))
      .toThrow(`[test/logs] parser: "${kind}" is not a parser the ${engine} engine has. Use an engine that has it (${engines}), or LogParser.none().`);
  });
});

describe('the seeds', () => {
  test('seed 002/003: nginx and a reader printing its access log (tail engine)', () => {
    const { container, spec } = ship({ engine: LogShipperEngine.TAIL, logDirectory: '/var/log/nginx', files: ['access.log'] });
    expect(container.name).toBe('log-tail');
    expect(container.image).toBe('busybox:1.37.0');
    expect(container.command[2]).toContain("stat -L -c '%i %n' -- /var/log/nginx/access.log 2>/dev/null");
    expect(container.lifecycle).toBeUndefined();
    // the script prints "[namespace/name] line": only those two from the downward API
    expect(container.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
    expect(container.livenessProbe).toBeUndefined();
    // the read positions live on a state volume of their own
    expect(spec.volumes).toEqual([
      { name: 'log-tail-logs', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'log-tail-state', emptyDir: { sizeLimit: '64Mi' } },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'log-tail-logs', mountPath: '/var/log/nginx', readOnly: true },
      { name: 'log-tail-state', mountPath: '/var/lib/log-shipper', readOnly: false },
    ]);
  });

  test('seed 001: myapp writes /opt/logs.txt, logshipper follows it with tail -F', () => {
    const { app, chart } = newChart();
    const myapp = new kplus.Deployment(chart, 'myapp', {
      containers: [{ name: 'myapp', image: 'alpine:3.21.0', command: ['sh', '-c', "while true; do echo 'logging' >> /opt/logs.txt; sleep 1; done"] }],
    });
    new LogShipperSidecar(chart, 'logshipper', { workload: myapp, engine: LogShipperEngine.TAIL, containerName: 'logshipper', logDirectory: '/opt', files: ['logs.txt'] });
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'logshipper-logs', mountPath: '/opt', readOnly: false }]);
    expect(spec.initContainers[0]).toMatchObject({
      name: 'logshipper',
      restartPolicy: 'Always',
      command: ['sh', '-c', expect.stringContaining('-- /opt/logs.txt 2>/dev/null')],
      volumeMounts: [{ name: 'logshipper-logs', mountPath: '/opt', readOnly: true }, { name: 'logshipper-state', mountPath: '/var/lib/log-shipper', readOnly: false }],
      resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } },
    });
  });

  test('seed 004: Filebeat to Elasticsearch with the Pod name on every record', () => {
    const { container, shipper } = ship({
      engine: LogShipperEngine.FILEBEAT,
      logDirectory: '/var/log',
      files: ['index.html'],
      outputs: [LogOutput.elasticsearch({ host: 'elasticsearch.logging.svc', index: 'sample-project' })],
    });
    expect(container.image).toBe('docker.elastic.co/beats/filebeat:8.17.3');
    expect(container.command.slice(4)).toEqual(['filebeat', '-e', '-c', '/etc/log-shipper/filebeat.yml']);
    expect(container.env[0]).toEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    const doc = yaml.parse(shipper.configFiles['filebeat.yml']);
    expect(doc['filebeat.inputs'][0].paths).toEqual(['/var/log/index.html']);
    expect(doc.processors[0].add_fields.fields['k8s.pod.name']).toBe('${POD_NAME}');
    expect(doc['output.elasticsearch'].hosts).toEqual(['http://elasticsearch.logging.svc:9200']);
  });
});

describe('permissions: a shipper of another user reads what the app writes', () => {
  // The kubelet makes an emptyDir world-writable; with an fsGroup it makes it
  // group-owned and setgid. These runs reproduce both with real users.
  const run = (uid: number, gid: number, umask: string, command: string, cwd: string) =>
    execFileSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', 'sh', '-c', `umask ${umask}; ${command}`], { cwd, encoding: 'utf-8' });

  function volume(fsGroup?: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logvol-'));
    fs.chmodSync(dir, 0o777);
    if (fsGroup !== undefined) {
      fs.chownSync(dir, 0, fsGroup);
      fs.chmodSync(dir, 0o2777);
    }
    return dir;
  }

  test('without fsGroup: the usual umask 022 makes the files world-readable', () => {
    const dir = volume();
    run(101, 101, '022', 'echo hello > app.log', dir);
    expect(run(65532, 65532, '022', 'cat app.log', dir)).toBe('hello\n');
  });

  test('with fsGroup 2000 and a strict umask 027: the shipper reads as the group', () => {
    const dir = volume(2000);
    run(101, 101, '027', 'echo secret > app.log', dir);
    expect(() => run(65532, 65532, '022', 'cat app.log 2>/dev/null', dir)).toThrow();
    expect(run(65532, 2000, '022', 'cat app.log', dir)).toBe('secret\n');
  });
});

describe('bad input', () => {
  const attempt = (options: Options) => () => ship(options);

  test('a relative log directory', () => {
    expect(attempt({ logDirectory: 'var/log/nginx' })).toThrow('[test/logs] logDirectory: "var/log/nginx" is not an absolute path. Give an absolute path');
  });

  test('a log directory with shell characters', () => {
    expect(attempt({ logDirectory: '/var/log/$(id)' })).toThrow('[test/logs] logDirectory: "/var/log/$(id)" is not a plain directory (names of letters, digits and ._- after single slashes, no slash at the end). Use a plain absolute directory such as "/var/log/app": the path goes into the engine\'s configuration and shell commands.');
  });

  test.each(['/var/log/', '/var//log', '/var/lo g', '/var/log;'])('a log directory wrong at its end or in its middle: %j', logDirectory => {
    expect(attempt({ logDirectory })).toThrow(`[test/logs] logDirectory: ${JSON.stringify(logDirectory)} is not a plain directory`);
  });

  test.each([
    [[], '[test/logs] files: [] is empty. Give at least one file name or glob, for example "*.log".'],
    [['../etc/passwd'], '[test/logs] files: "../etc/passwd" is not a plain file name or glob inside logDirectory. Use letters, digits and ._-*?[] only, for example "access.log" or "*.log".'],
    [['nginx/../../etc/passwd'], 'files: "nginx/../../etc/passwd" is not a plain file name or glob inside logDirectory'],
    [['nginx/..'], 'files: "nginx/.." is not a plain file name or glob'],
    [['access.log', 'error.log;'], 'files: "error.log;" is not a plain file name or glob'],
    [['acc$ess.log'], 'files: "acc$ess.log" is not a plain file name or glob'],
    [['/var/log/a.log'], 'files: "/var/log/a.log" is not a plain file name or glob'],
    [['nginx/'], 'files: "nginx/" is not a plain file name or glob'],
  ])('files %j', (files, message) => {
    expect(attempt({ logDirectory: '/var/log', files })).toThrow(message);
  });

  test('file names with dots, globs and a subdirectory are fine', () => {
    const { shipper } = ship({ logDirectory: '/var/log', files: ['a..b.log', 'nginx/access-[0-9]*.log', '.hidden?.log'] });
    expect(shipper.configFiles['fluent-bit.conf']).toContain('/var/log/a..b.log,/var/log/nginx/access-[0-9]*.log,/var/log/.hidden?.log');
  });

  test('a file pattern with shell characters', () => {
    expect(attempt({ logDirectory: '/var/log', files: ['a.log; rm -rf /'] })).toThrow('[test/logs] files: "a.log; rm -rf /" is not a plain file name or glob inside logDirectory');
  });

  test('a missing secret name', () => {
    expect(attempt({ logDirectory: '/var/log', outputs: [LogOutput.elasticsearch({ host: 'es.svc', index: 'web', credentials: { secretName: '' } })] }))
      .toThrow('[test/logs] outputs[0].credentials.secretName: "" is missing. Name the Secret that holds the user name and password');
  });

  test.each([
    [{ secretName: 'Log_Credentials' }, 'outputs[0].credentials.secretName: "Log_Credentials" is not the name of a Secret or ConfigMap. Use lower-case letters, digits, "-" and ".", for example "web-tls".'],
    [{ secretName: 'log-credentials.' }, 'outputs[0].credentials.secretName: "log-credentials." is not the name of a Secret or ConfigMap'],
    [{ secretName: 'log..credentials' }, 'outputs[0].credentials.secretName: "log..credentials" is not the name of a Secret or ConfigMap'],
    [{ secretName: 'log-credentials', usernameKey: 'user name' }, 'outputs[0].credentials.usernameKey: "user name" is not a valid Secret key. Use letters, digits and -._ only, for example "password".'],
    [{ secretName: 'log-credentials', passwordKey: 'password;' }, 'outputs[0].credentials.passwordKey: "password;" is not a valid Secret key'],
  ])('credentials %j', (credentials, message) => {
    expect(attempt({ logDirectory: '/var/log', outputs: [LogOutput.elasticsearch({ host: 'es.svc', index: 'web', credentials })] })).toThrow(`[test/logs] ${message}`);
  });

  test.each([
    [{ caSecretName: 'logging-ca-' }, 'outputs[0].tls.caSecretName: "logging-ca-" is not the name of a Secret or ConfigMap'],
    [{ caConfigMapName: 'Logging CA' }, 'outputs[0].tls.caConfigMapName: "Logging CA" is not the name of a Secret or ConfigMap'],
    [{ caSecretName: 'logging-ca', caKey: 'ca crt' }, 'outputs[0].tls.caKey: "ca crt" is not a valid key. Use letters, digits and -._ only, for example "ca.crt".'],
    [{ caSecretName: 'logging-ca', caKey: 'ca.crt/' }, 'outputs[0].tls.caKey: "ca.crt/" is not a valid key'],
    [{ caSecretName: 'a', caConfigMapName: 'b' }, 'outputs[0].tls: "a and b" names both a Secret and a ConfigMap for the CA. Keep one of caSecretName and caConfigMapName.'],
  ])('tls %j', (tls, message) => {
    expect(attempt({ logDirectory: '/var/log', outputs: [LogOutput.http({ host: 'in.svc', tls })] })).toThrow(`[test/logs] ${message}`);
  });

  test.each([
    [{ memoryBuffer: Size.kibibytes(1536) }, 'memoryBuffer: "1.5Mi" is not a whole number of MiB of at least 1. Use Size.mebibytes(n) with a whole n of 1 or more: these sizes are written in MiB.'],
    [{ memoryBuffer: Size.kibibytes(512) }, 'memoryBuffer: "0.5Mi" is not a whole number of MiB of at least 1'],
    [{ memoryBuffer: Size.mebibytes(0) }, 'memoryBuffer: "0Mi" is not a whole number of MiB of at least 1'],
    [{ filesystemBuffer: Size.kibibytes(1536) }, 'filesystemBuffer: "1.5Mi" is not a whole number of MiB of at least 1. Use Size.mebibytes(n) with a whole n of 1 or more: these sizes are written in MiB.'],
    [{ filesystemBuffer: Size.mebibytes(0) }, 'filesystemBuffer: "0Mi" is not a whole number of MiB of at least 1'],
    [{ stateVolumeSizeLimit: Size.kibibytes(300 * 1024 + 512) }, 'stateVolumeSizeLimit: "300.5Mi" is not a whole number of MiB of at least 1'],
    [{ stateVolumeSizeLimit: Size.mebibytes(0) }, 'stateVolumeSizeLimit: "0Mi" is not a whole number of MiB of at least 1'],
    [{ logVolumeSizeLimit: Size.kibibytes(512) }, 'logVolumeSizeLimit: "0.5Mi" is not a whole number of MiB of at least 1'],
    [{ engine: LogShipperEngine.TAIL, filesystemBuffer: Size.kibibytes(512) }, 'filesystemBuffer: "0.5Mi" is set for the tail engine, which buffers nothing. Remove it, or use another engine.'],
    [{ engine: LogShipperEngine.TAIL, memoryBuffer: Size.kibibytes(512) }, 'memoryBuffer: "0.5Mi" is set for the tail engine, which buffers nothing. Remove it, or use another engine.'],
    [{ filesystemBuffer: Size.mebibytes(512), stateVolumeSizeLimit: Size.mebibytes(512) }, 'stateVolumeSizeLimit: "512Mi" is not above filesystemBuffer (512Mi), so a full buffer would get the Pod evicted. Raise stateVolumeSizeLimit above the buffer'],
    [{ engine: LogShipperEngine.VECTOR, filesystemBuffer: Size.mebibytes(256) }, 'filesystemBuffer: "256Mi" is below the 257Mi that Vector\'s disk buffer needs at least. Use Size.mebibytes(257) or more with Vector.'],
    [{ engine: LogShipperEngine.TAIL, memoryBuffer: Size.mebibytes(8) }, 'memoryBuffer: "8Mi" is set for the tail engine, which buffers nothing. Remove it, or use another engine.'],
    [{ memoryBuffer: Size.mebibytes(64), resources: { memory: { limit: Size.mebibytes(64) } } }, 'memoryBuffer: "64Mi" is not below the container\'s memory limit (64Mi), so a full buffer would get the shipper OOM-killed. Lower memoryBuffer'],
  ])('buffers %#', (options, message) => {
    expect(attempt({ logDirectory: '/var/log', ...options })).toThrow(`[test/logs] ${message}`);
  });

  test('buffers on the good side of each limit', () => {
    const fluentBit = ship({ logDirectory: '/var/log', memoryBuffer: Size.mebibytes(127), filesystemBuffer: Size.mebibytes(1), stateVolumeSizeLimit: Size.mebibytes(2) });
    expect(fluentBit.shipper.configFiles['fluent-bit.conf']).toMatch(/mem_buf_limit\s+127M/);
    expect(fluentBit.spec.volumes.find((v: any) => v.name.endsWith('-state')).emptyDir.sizeLimit).toBe('2Mi');
    // the minimum is Vector's own: Fluent Bit and Filebeat take less
    const vector = ship({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log', filesystemBuffer: Size.mebibytes(257) });
    expect(vector.spec.volumes.find((v: any) => v.name.endsWith('-state')).emptyDir.sizeLimit).toBe('321Mi');
    expect(() => ship({ engine: LogShipperEngine.FILEBEAT, logDirectory: '/var/log', filesystemBuffer: Size.mebibytes(100) })).not.toThrow();
    // the tail engine follows its own small memory limit, whatever the default buffer
    expect(() => ship({ engine: LogShipperEngine.TAIL, logDirectory: '/var/log', resources: { memory: { limit: Size.mebibytes(1) } } })).not.toThrow();
  });

  test.each([
    ['web', true], ['0web', true], ['web-2026.11.22', true], ['w+b_x', true], ['w'.repeat(255), true],
    ['Web', false], ['weB', false], ['-web', false], ['_web', false], ['we b', false], ['web/x', false], ['web*', false], ['w'.repeat(256), false], ['', false],
  ])('Elasticsearch index %j: %s', (index, ok) => {
    const run = attempt({ logDirectory: '/var/log', outputs: [LogOutput.elasticsearch({ host: 'es.svc', index })] });
    if (ok) {
      expect(run).not.toThrow();
    } else {
      expect(run).toThrow(`[test/logs] outputs[0].index: ${JSON.stringify(index)} is not an Elasticsearch index name. Use lower-case letters, digits and ._+- , starting with a letter or digit.`);
    }
  });

  test.each([
    [{ app: 'web' }, true], [{ _app: 'web' }, true], [{ App_2: 'team-a/web:1.0@x' }, true], [{ app: 'v'.repeat(253) }, true],
    [{ '2app': 'web' }, false], [{ 'app!': 'web' }, false], [{ 'ap-p': 'web' }, false], [{ app: 'web;' }, false], [{ app: 'w eb' }, false], [{ app: '' }, false], [{ app: 'v'.repeat(254) }, false],
  ])('Loki labels %j: %s', (labels, ok) => {
    const run = attempt({ logDirectory: '/var/log', outputs: [LogOutput.loki({ host: 'loki.svc', labels })] });
    if (ok) {
      expect(run).not.toThrow();
    } else {
      const [key, value] = Object.entries(labels)[0];
      expect(run).toThrow(`[test/logs] outputs[0].labels: "${key}=${value}" is not a Loki label of plain characters. Use [a-zA-Z_][a-zA-Z0-9_]* names and values of letters, digits and ._/:@-.`);
    }
  });

  test.each([['team-a', true], ['team:a/b@c.d_e', true], ['team;', false], ['te am', false]])('Loki tenant %j: %s', (tenantId, ok) => {
    const run = attempt({ logDirectory: '/var/log', outputs: [LogOutput.loki({ host: 'loki.svc', tenantId })] });
    if (ok) {
      expect(run).not.toThrow();
    } else {
      expect(run).toThrow(`[test/logs] outputs[0].tenantId: ${JSON.stringify(tenantId)} is not a plain tenant name. Use letters, digits and ._/:@- only.`);
    }
  });

  test.each([
    ['app', true], ['a', true], ['x/y', true], ['a.b/c', true], ['app.kubernetes.io/name', true], ['example.com/Tier_1.x', true], ['a'.repeat(63), true], ['k8s.io/' + 'a'.repeat(63), true],
    ['a'.repeat(64), false], ['app-', false], ['-app', false], ['app/', false], ['/app', false], ['Example.com/app', false],
    ['example..com/app', false], ['example.com/app;', false], ['example.com/a/b', false], ['ap p', false],
  ])('pod label key %j: %s', (key, ok) => {
    const run = attempt({ logDirectory: '/var/log', podLabels: [key] });
    if (ok) {
      expect(run).not.toThrow();
    } else {
      expect(run).toThrow(`[test/logs] podLabels: ${JSON.stringify(key)} is not a label key. Use a Kubernetes label key such as "app" or "app.kubernetes.io/name".`);
    }
  });

  test('a memory limit that is not whole MiB gets the Pod checks\' error, not one from inside cdk8s', () => {
    expect(attempt({ logDirectory: '/var/log', resources: { memory: { limit: Size.kibibytes(100 * 1024 + 512) } } })).toThrow('[test/web] initContainers[log-shipper].resources.limits.memory: "102912Ki" is not a whole number of MiB, the unit cdk8s-plus writes it in. Give it in whole mebibytes, for example Size.mebibytes(96).');
  });

  test('a memory buffer of 1 MiB, the least there is', () => {
    expect(ship({ logDirectory: '/var/log', memoryBuffer: Size.mebibytes(1) }).shipper.configFiles['fluent-bit.conf']).toMatch(/mem_buf_limit\s+1M\n/);
  });

  test('a state volume smaller than the filesystem buffer', () => {
    expect(attempt({ logDirectory: '/var/log', filesystemBuffer: Size.mebibytes(512), stateVolumeSizeLimit: Size.mebibytes(256) }))
      .toThrow('[test/logs] stateVolumeSizeLimit: "256Mi" is not above filesystemBuffer (512Mi), so a full buffer would get the Pod evicted');
  });

  test('a memory buffer at the memory limit', () => {
    expect(attempt({ logDirectory: '/var/log', memoryBuffer: Size.mebibytes(128) }))
      .toThrow('[test/logs] memoryBuffer: "128Mi" is not below the container\'s memory limit (128Mi), so a full buffer would get the shipper OOM-killed');
  });

  test('a Vector disk buffer below its minimum', () => {
    expect(attempt({ engine: LogShipperEngine.VECTOR, logDirectory: '/var/log', filesystemBuffer: Size.mebibytes(100) }))
      .toThrow('[test/logs] filesystemBuffer: "100Mi" is below the 257Mi that Vector\'s disk buffer needs at least');
  });

  test('a filesystem buffer for the tail engine', () => {
    expect(attempt({ engine: LogShipperEngine.TAIL, logDirectory: '/var/log', filesystemBuffer: Size.mebibytes(100) }))
      .toThrow('[test/logs] filesystemBuffer: "100Mi" is set for the tail engine, which buffers nothing. Remove it, or use another engine.');
  });

  test.each([
    [LogOutput.elasticsearch({ host: 'http://es.svc:9200', index: 'web' }), 'outputs[0].host: "http://es.svc:9200" is not a host name or IP address. Give a Service name such as "elasticsearch.logging.svc" (no scheme, no port).'],
    [LogOutput.elasticsearch({ host: undefined as any, index: 'web' }), 'outputs[0].host: (not set) is not a host name or IP address'],
    [LogOutput.elasticsearch({ host: 'es.svc', index: undefined as any }), 'outputs[0].index: (not set) is not an Elasticsearch index name'],
    [LogOutput.elasticsearch({ host: 'es.svc', port: 0, index: 'web' }), 'outputs[0].port: 0 is not a port number'],
    [LogOutput.elasticsearch({ host: 'es.svc', index: 'Web Logs' }), 'outputs[0].index: "Web Logs" is not an Elasticsearch index name'],
    [LogOutput.loki({ host: 'loki.svc', labels: { 'app-name': 'web' } }), 'outputs[0].labels: "app-name=web" is not a Loki label of plain characters'],
    [LogOutput.loki({ host: 'loki.svc', tenantId: 'a b' }), 'outputs[0].tenantId: "a b" is not a plain tenant name'],
    [LogOutput.http({ host: 'in.svc', path: 'logs' }), 'outputs[0].path: "logs" is not a URL path of plain characters. Start it with "/", for example "/ingest".'],
    [LogOutput.http({ host: 'in.svc', tls: { caSecretName: 'a', caConfigMapName: 'b' } }), 'outputs[0].tls: "a and b" names both a Secret and a ConfigMap for the CA'],
  ])('output %#', (output, message) => {
    expect(attempt({ logDirectory: '/var/log', outputs: [output] })).toThrow(`[test/logs] ${message}`);
  });

  const QUOTE_FIX = 'is empty or holds a quote or a line break, which the engines\' config formats cannot carry. Write the expression without quotes (use \\x22 for a double quote) and on one line.';
  test.each([
    [LogParser.regex('^(\\w+) (.*)$'), 'parser.pattern: "^(\\\\w+) (.*)$" has no named group, so it would extract no field. Name the groups to keep: (?<level>\\w+).'],
    [LogParser.regex('^(?<a>x"y)$'), `parser.pattern: "^(?<a>x\\"y)$" ${QUOTE_FIX}`],
    [LogParser.regex("^(?<a>x'y)$"), `parser.pattern: "^(?<a>x'y)$" ${QUOTE_FIX}`],
    [LogParser.multiline('^a\nb'), `parser.pattern: "^a\\nb" ${QUOTE_FIX}`],
    [LogParser.multiline('^a\rb'), `parser.pattern: "^a\\rb" ${QUOTE_FIX}`],
    [LogParser.multiline(''), `parser.pattern: "" ${QUOTE_FIX}`],
    [LogParser.regex(''), `parser.pattern: "" ${QUOTE_FIX}`],
    [LogParser.regex(undefined as any), `parser.pattern: "" ${QUOTE_FIX}`],
    [LogParser.multiline('^[unclosed'), 'parser.pattern: "^[unclosed" is not a regular expression (Invalid regular expression: /^[unclosed/: Unterminated character class). Fix the expression.'],
    [LogParser.regex('^(?<a>x)(?<a>y)$'), 'parser.pattern: "^(?<a>x)(?<a>y)$" is not a regular expression (Invalid regular expression: /^(?<a>x)(?<a>y)$/: Duplicate capture group name). Fix the expression.'],
  ])('parser %#', (parser, message) => {
    expect(attempt({ logDirectory: '/var/log', parser })).toThrow(`[test/logs] ${message}`);
  });

  test('a parser pattern wrong only at its end: one named group is enough', () => {
    expect(attempt({ logDirectory: '/var/log', parser: LogParser.regex('^(\\w+) (?<message>.*)$') })).not.toThrow();
    expect(attempt({ logDirectory: '/var/log', parser: LogParser.multiline('^\\d+ x') })).not.toThrow();
  });

  test('a bad label key', () => {
    expect(attempt({ logDirectory: '/var/log', podLabels: ['bad key'] })).toThrow('[test/logs] podLabels: "bad key" is not a label key');
  });

  test('two shippers with metrics on one Pod: the first keeps the prometheus.io annotations', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new LogShipperSidecar(chart, 'a', { workload: web, logDirectory: '/var/log/a', containerName: 'a' });
    new LogShipperSidecar(chart, 'b', { workload: web, logDirectory: '/var/log/b', containerName: 'b', monitoringPort: 2021, engine: LogShipperEngine.VECTOR });
    const deployment = only(synth(app), 'Deployment');
    expect(podMetadata(deployment).annotations).toMatchObject({ 'prometheus.io/port': '2020', 'prometheus.io/path': '/api/v2/metrics/prometheus' });
  });

  test('annotations the app set itself are kept', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }], podMetadata: { annotations: { 'prometheus.io/port': '9113' } } });
    new LogShipperSidecar(chart, 'a', { workload: web, logDirectory: '/var/log/a' });
    const annotations = podMetadata(only(synth(app), 'Deployment')).annotations;
    expect(annotations['prometheus.io/port']).toBe('9113');
    expect(annotations['prometheus.io/path']).toBeUndefined();
  });

  test('prometheus.io/scrape "false" set by the app keeps every sidecar\'s annotations off', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3', portNumber: 8080 }], podMetadata: { annotations: { 'prometheus.io/scrape': 'false' } } });
    new LogShipperSidecar(chart, 'a', { workload: web, logDirectory: '/var/log/a' });
    new MeshProxySidecar(chart, 'mesh', { workload: web, appPort: 8080 });
    const annotations = podMetadata(only(synth(app), 'Deployment')).annotations;
    expect(Object.keys(annotations).filter(k => k.startsWith('prometheus.io/'))).toEqual(['prometheus.io/scrape']);
    expect(annotations['prometheus.io/scrape']).toBe('false');
  });

  test('the Pods of a Job or a CronJob get no prometheus.io annotations; the metrics port is still declared', () => {
    const { app, chart } = newChart();
    const job = new SidecarJob(chart, 'job', { containers: [{ image: 'busybox:1.37.0', command: ['sh', '-c', 'echo done > /var/log/app/run.log'] }] });
    const cron = new kplus.CronJob(chart, 'cron', {
      schedule: Cron.daily(),
      containers: [{ image: 'busybox:1.37.0', command: ['sh', '-c', 'echo done > /var/log/app/run.log'] }],
    });
    new LogShipperSidecar(chart, 'job-logs', { workload: job, logDirectory: '/var/log/app' });
    new LogShipperSidecar(chart, 'cron-logs', { workload: cron, logDirectory: '/var/log/app' });
    const manifests = synth(app);
    for (const manifest of [only(manifests, 'Job'), only(manifests, 'CronJob')]) {
      const template = manifest.kind === 'Job' ? manifest.spec.template : manifest.spec.jobTemplate.spec.template;
      expect(Object.keys(template.metadata?.annotations ?? {}).filter((k: string) => k.startsWith('prometheus.io/'))).toEqual([]);
      expect(template.spec.initContainers[0].ports).toEqual([{ containerPort: 2020, name: 'http-metrics' }]);
    }
  });

  test('two shippers on one port are caught by the Pod checks', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new LogShipperSidecar(chart, 'a', { workload: web, logDirectory: '/var/log/a', containerName: 'a' });
    new LogShipperSidecar(chart, 'b', { workload: web, logDirectory: '/var/log/b', containerName: 'b', engine: LogShipperEngine.FILEBEAT, monitoringPort: 2020 });
    expect(() => app.synthYaml()).toThrow('initContainers[b].ports: 2020 is also declared by container "a"');
  });
});

describe('seed 001: a Job with a log shipper', () => {
  test.each([SidecarMode.NATIVE, SidecarMode.CLASSIC])('%s: the shipper stops when the Job is done', (mode) => {
    const { app, chart } = newChart();
    const job = new SidecarJob(chart, 'myjob', {
      mode,
      containers: [{ name: 'myjob', image: 'alpine:3.21.0', command: ['sh', '-c', 'echo "logging" > /opt/logs.txt'] }],
    });
    new LogShipperSidecar(chart, 'logshipper', { workload: job, engine: LogShipperEngine.TAIL, logDirectory: '/opt', files: ['logs.txt'], containerName: 'logshipper' });
    const spec = podSpec(only(synth(app), 'Job'));
    const main = spec.containers[0];
    expect(main.volumeMounts).toContainEqual({ name: 'logshipper-logs', mountPath: '/opt', readOnly: false });
    if (mode === SidecarMode.NATIVE) {
      expect(spec.initContainers[0]).toMatchObject({ name: 'logshipper', restartPolicy: 'Always', command: ['sh', '-c', expect.stringContaining('-- /opt/logs.txt 2>/dev/null')] });
    } else {
      const shipper = spec.containers[1];
      expect(shipper.command.slice(3, 5)).toEqual(['logshipper', 'sh']);
      expect(shipper.command[2]).toContain('if [ -e "/run/sidecar-job/myjob.exit" ]; then break; fi');
    }
  });

  test('classic: Fluent Bit runs from its image with a shell, which the wrapper needs', () => {
    const { app, chart } = newChart();
    const job = new SidecarJob(chart, 'myjob', { mode: SidecarMode.CLASSIC, containers: [{ image: 'alpine:3.21.0', command: ['true'] }] });
    new LogShipperSidecar(chart, 'logshipper', { workload: job, logDirectory: '/opt' });
    const shipper = podSpec(only(synth(app), 'Job')).containers[1];
    expect(shipper.image).toBe('fluent/fluent-bit:4.0.7-debug');
    expect(shipper.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  });

  test('classic: a distroless image given as such cannot be wrapped, and the error says so', () => {
    const { chart } = newChart();
    const job = new SidecarJob(chart, 'myjob', { mode: SidecarMode.CLASSIC, containers: [{ image: 'alpine:3.21.0', command: ['true'] }] });
    expect(() => new LogShipperSidecar(chart, 'logshipper', { workload: job, logDirectory: '/opt', image: 'fluent/fluent-bit:4.0.7', drainTime: Duration.seconds(0) }))
      .toThrow('[test/logshipper/Sidecar] image: "an image without /bin/sh" cannot be wrapped');
    expect(() => new LogShipperSidecar(chart, 'logshipper2', { workload: job, logDirectory: '/opt', image: 'fluent/fluent-bit:4.0.7' }))
      .toThrow('[test/logshipper2/Sidecar] image: "an image without /bin/sh" cannot be wrapped');
  });
});

test('app containers: all by default but sidecars, or the ones given', () => {
  const { app, chart } = newChart();
  const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.27.3' }, { name: 'worker', image: 'nginx:1.27.3' }] });
  new NetshootDebugSidecar(chart, 'debug', { workload: web, mode: SidecarMode.CLASSIC });
  new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/app', mode: SidecarMode.CLASSIC });
  new LogShipperSidecar(chart, 'worker-logs', { workload: web, logDirectory: '/var/log/worker', containerName: 'worker-logs', appContainers: ['worker'], monitoringPort: 2021, engine: LogShipperEngine.TAIL });
  const mounts = Object.fromEntries(podSpec(only(synth(app), 'Deployment')).containers.map((c: any) => [c.name, (c.volumeMounts ?? []).map((m: any) => m.name)]));
  expect(mounts).toEqual({
    'web': ['log-shipper-logs'],
    'worker': ['log-shipper-logs', 'worker-logs-logs'],
    'netshoot': [],
    'log-shipper': ['log-shipper-logs', 'log-shipper-state', 'log-shipper-config'],
  });
});
