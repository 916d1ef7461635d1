import { Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { FluentBitConfigFormat } from './engine';
import { LogOutputKind } from './output';
import { LogParserKind } from './parser';
import { CONFIG_DIR, EngineRendering, OutputConfig, STATE_DIR, ShipperConfig } from './shipper-config';

/** The pinned Fluent Bit image (distroless: no shell). */
export const FLUENT_BIT_IMAGE = 'fluent/fluent-bit:4.0.7';

/** The same release with busybox, for where a shell or `sleep` is needed. */
export const FLUENT_BIT_SHELL_IMAGE = 'fluent/fluent-bit:4.0.7-debug';

/**
 * Seconds between two scans for new files (`refresh_interval`, 60 by default). Lines
 * appended to a file already followed arrive through inotify at once; a file created
 * after the last scan is found only at the next one.
 */
const REFRESH_SECONDS = 1;

/** Seconds Fluent Bit takes after SIGTERM to flush what it has read (`grace`). */
const GRACE_SECONDS = 5;

type Section = { name: string; entries: Array<[string, string]> };

/**
 * Regular expression of the `combined` access log format that nginx and Apache
 * httpd share: host, ident, user, [time], "request", status, size, "referer", "agent".
 *
 * @internal
 */
export const COMBINED_LOG_REGEX = '^(?<remote>\\S+) \\S+ (?<user>\\S+) \\[(?<time>[^\\]]+)\\] "(?<method>\\S+) (?<path>\\S+) (?<protocol>[^"]+)" (?<code>\\d{3}) (?<size>\\S+) "(?<referer>[^"]*)" "(?<agent>[^"]*)"';

/**
 * Fluent Bit: a tail input with a position database, a record_modifier filter adding
 * the Pod's metadata from the environment, and an output section per output, each
 * matching every record and retrying without limit on its own; with a filesystem
 * buffer, each output may keep an equal share of it queued (`storage.total_limit_size`).
 *
 * @internal
 */
export function renderFluentBit(config: ShipperConfig, format: FluentBitConfigFormat): EngineRendering {
  const fs = config.filesystemBufferMebibytes;
  const service: Section = {
    name: 'SERVICE',
    entries: [
      ['flush', '1'],
      ['grace', String(GRACE_SECONDS)],
      ['log_level', 'info'],
      ['parsers_file', `${CONFIG_DIR}/parsers.conf`],
      ['http_server', 'on'],
      ['http_listen', '0.0.0.0'],
      ['http_port', String(config.monitoringPort)],
      ['health_check', 'on'],
      ...fs ? [['storage.path', `${STATE_DIR}/buffer`], ['storage.sync', 'normal'], ['storage.backlog.mem_limit', '5M']] as Array<[string, string]> : [],
    ],
  };
  const input: Section = {
    name: 'INPUT',
    entries: [
      ['name', 'tail'],
      ['tag', 'app'],
      ['path', config.paths.join(',')],
      ['db', `${STATE_DIR}/tail.db`],
      ['db.locking', 'true'],
      ['read_from_head', 'true'],
      ['refresh_interval', String(REFRESH_SECONDS)],
      ['rotate_wait', '30'],
      ['skip_long_lines', 'on'],
      ['mem_buf_limit', `${config.memoryBufferMebibytes}M`],
      ...parserEntries(config),
      ...fs ? [['storage.type', 'filesystem']] as Array<[string, string]> : [],
    ],
  };
  const filter: Section = {
    name: 'FILTER',
    entries: [
      ['name', 'record_modifier'],
      ['match', '*'],
      ...config.metadata.map(([field, env]) => ['record', `${field} \${${env}}`] as [string, string]),
    ],
  };
  const share = fs && Math.floor(fs / config.outputs.length);
  const outputs: Section[] = config.outputs.map(output => ({
    name: 'OUTPUT',
    entries: [...outputEntries(config, output), ...share ? [['storage.total_limit_size', `${share}M`]] as Array<[string, string]> : []],
  }));

  const sections = [service, input, filter, ...outputs];
  const main = format === FluentBitConfigFormat.YAML
    ? { name: 'fluent-bit.yaml', text: yamlConfig(sections) }
    : { name: 'fluent-bit.conf', text: classicConfig(sections) };
  return {
    files: { [main.name]: main.text, 'parsers.conf': parsersFile(config) },
    command: ['/fluent-bit/bin/fluent-bit', '-c', `${CONFIG_DIR}/${main.name}`],
    ports: [{ number: config.monitoringPort, name: 'http-metrics' }],
    liveness: kplus.Probe.fromHttpGet('/api/v1/health', { port: config.monitoringPort }),
    environment: config.metadata.map(([, env]) => env),
    metrics: { port: config.monitoringPort, path: '/api/v2/metrics/prometheus' },
    // on SIGTERM Fluent Bit pauses its inputs: a file must be found (one scan) and read
    // before it, so the kubelet waits a scan and a read, with a second to spare
    drainSeconds: REFRESH_SECONDS + 2,
    stopSeconds: GRACE_SECONDS + 1,
  };
}

function parserEntries(config: ShipperConfig): Array<[string, string]> {
  switch (config.parser.kind) {
    case LogParserKind.NONE: return [];
    case LogParserKind.MULTILINE: return [['multiline.parser', 'app-multiline']];
    default: return [['parser', `app-${config.parser.kind}`]];
  }
}

function outputEntries(config: ShipperConfig, { output: o, usernameEnv, passwordEnv, caFile }: OutputConfig): Array<[string, string]> {
  if (o.kind === LogOutputKind.STDOUT) {
    return [['name', 'stdout'], ['match', '*'], ['format', 'json_lines']];
  }
  const plugin = { [LogOutputKind.ELASTICSEARCH]: 'es', [LogOutputKind.LOKI]: 'loki', [LogOutputKind.OPENTELEMETRY]: 'opentelemetry', [LogOutputKind.HTTP]: 'http' }[o.kind];
  const entries: Array<[string, string]> = [['name', plugin], ['match', '*'], ['host', o.host!], ['port', String(o.port)], ['retry_limit', 'no_limits']];
  switch (o.kind) {
    case LogOutputKind.ELASTICSEARCH:
      entries.push(['index', o.index!], ['suppress_type_name', 'on']);
      break;
    case LogOutputKind.LOKI:
      entries.push(['labels', Object.entries(o.labels ?? { job: config.name }).map(([k, v]) => `${k}=${v}`).join(',')], ['line_format', 'json']);
      if (o.tenantId) {
        entries.push(['tenant_id', o.tenantId]);
      }
      break;
    case LogOutputKind.OPENTELEMETRY:
      entries.push(['logs_uri', o.path!]);
      break;
    case LogOutputKind.HTTP:
      entries.push(['uri', o.path!], ['format', 'json']);
      break;
  }
  if (o.credentials) {
    entries.push(['http_user', `\${${usernameEnv}}`], ['http_passwd', `\${${passwordEnv}}`]);
  }
  if (o.tls) {
    entries.push(['tls', 'on'], ['tls.verify', o.tls.verify === false ? 'off' : 'on']);
    if (caFile) {
      entries.push(['tls.ca_file', caFile]);
    }
  }
  return entries;
}

function parsersFile(config: ShipperConfig): string {
  const p = config.parser;
  const lines = ['# Generated by cdk8s-sidecars.'];
  switch (p.kind) {
    case LogParserKind.JSON:
      lines.push('[PARSER]', '    name        app-json', '    format      json');
      break;
    case LogParserKind.NGINX:
    case LogParserKind.APACHE:
      lines.push('[PARSER]', `    name        app-${p.kind}`, '    format      regex', `    regex       ${COMBINED_LOG_REGEX}`,
        '    time_key    time', '    time_format %d/%b/%Y:%H:%M:%S %z');
      break;
    case LogParserKind.REGEX:
      lines.push('[PARSER]', '    name        app-regex', '    format      regex', `    regex       ${p.pattern}`);
      break;
    case LogParserKind.MULTILINE:
      // a line that matches the pattern anywhere starts a record, as in Vector and
      // Filebeat; every other line continues it
      lines.push('[MULTILINE_PARSER]', '    name          app-multiline', '    type          regex', '    flush_timeout 1000',
        `    rule          "start_state" "/${p.pattern}/" "cont"`,
        `    rule          "cont" "/^(?!.*(?:${p.pattern}))/" "cont"`);
      break;
  }
  return lines.join('\n') + '\n';
}

function classicConfig(sections: Section[]): string {
  const out = ['# Generated by cdk8s-sidecars.'];
  for (const section of sections) {
    const width = Math.max(...section.entries.map(([k]) => k.length));
    out.push(`[${section.name}]`, ...section.entries.map(([k, v]) => `    ${k.padEnd(width)} ${v}`), '');
  }
  return out.join('\n');
}

function yamlConfig(sections: Section[]): string {
  const toObject = (section: Section) => {
    const object: { [key: string]: string | string[] } = {};
    for (const [key, value] of section.entries) {
      // a key given several times (record) becomes a list
      const existing = object[key];
      object[key] = existing === undefined ? value : [...Array.isArray(existing) ? existing : [existing], value];
    }
    return object;
  };
  const [service, input, filter, ...outputs] = sections.map(toObject);
  return '# Generated by cdk8s-sidecars.\n' + Yaml.stringify({ service, pipeline: { inputs: [input], filters: [filter], outputs } });
}
