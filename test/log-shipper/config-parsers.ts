/**
 * Reads Fluent Bit's classic configuration format back into sections: `[NAME]`
 * headers, then `key value` lines indented under them (keys may repeat).
 */
export function parseFluentBitClassic(text: string): Array<{ name: string; entries: Array<[string, string]> }> {
  const sections: Array<{ name: string; entries: Array<[string, string]> }> = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) {
      continue;
    }
    const header = /^\[([A-Z_]+)\]$/.exec(raw);
    if (header) {
      sections.push({ name: header[1], entries: [] });
      continue;
    }
    const entry = /^ {4}(\S+)\s+(.*\S)$/.exec(raw);
    if (!entry || sections.length === 0) {
      throw new Error(`not a classic Fluent Bit line: ${JSON.stringify(raw)}`);
    }
    sections[sections.length - 1].entries.push([entry[1], entry[2]]);
  }
  return sections;
}

/**
 * The keys the engines document, per section or plugin: every key the library writes
 * must be one of them (a misspelt key is silently ignored by some engines).
 * Sources: the Fluent Bit manual (service, tail input, record_modifier filter, es,
 * loki, opentelemetry, http and stdout outputs), the Vector reference (file source,
 * remap transform, console, elasticsearch, loki, http and prometheus_exporter sinks)
 * and the Filebeat reference (filestream input, add_fields, elasticsearch and console
 * outputs, queues, HTTP endpoint).
 */
export const FLUENT_BIT_KEYS: { [section: string]: string[] } = {
  'SERVICE': ['flush', 'grace', 'log_level', 'parsers_file', 'http_server', 'http_listen', 'http_port', 'health_check', 'storage.path', 'storage.sync', 'storage.backlog.mem_limit'],
  'INPUT tail': ['name', 'tag', 'path', 'db', 'db.locking', 'read_from_head', 'refresh_interval', 'rotate_wait', 'skip_long_lines', 'mem_buf_limit', 'parser', 'multiline.parser', 'storage.type'],
  'FILTER record_modifier': ['name', 'match', 'record'],
  'OUTPUT stdout': ['name', 'match', 'format'],
  'OUTPUT es': ['name', 'match', 'host', 'port', 'index', 'suppress_type_name', 'http_user', 'http_passwd', 'tls', 'tls.verify', 'tls.ca_file', 'retry_limit', 'storage.total_limit_size'],
  'OUTPUT loki': ['name', 'match', 'host', 'port', 'labels', 'line_format', 'tenant_id', 'http_user', 'http_passwd', 'tls', 'tls.verify', 'tls.ca_file', 'retry_limit', 'storage.total_limit_size'],
  'OUTPUT opentelemetry': ['name', 'match', 'host', 'port', 'logs_uri', 'http_user', 'http_passwd', 'tls', 'tls.verify', 'tls.ca_file', 'retry_limit', 'storage.total_limit_size'],
  'OUTPUT http': ['name', 'match', 'host', 'port', 'uri', 'format', 'http_user', 'http_passwd', 'tls', 'tls.verify', 'tls.ca_file', 'retry_limit', 'storage.total_limit_size'],
  'PARSER': ['name', 'format', 'regex', 'time_key', 'time_format'],
  'MULTILINE_PARSER': ['name', 'type', 'flush_timeout', 'rule'],
};

export const VECTOR_KEYS: { [component: string]: string[] } = {
  'top': ['data_dir', 'api', 'sources', 'transforms', 'sinks'],
  'api': ['enabled', 'address'],
  'source file': ['type', 'include', 'read_from', 'glob_minimum_cooldown_ms', 'multiline'],
  'multiline': ['start_pattern', 'condition_pattern', 'mode', 'timeout_ms'],
  'source internal_metrics': ['type'],
  'transform remap': ['type', 'inputs', 'source'],
  'sink console': ['type', 'inputs', 'encoding', 'buffer'],
  'sink elasticsearch': ['type', 'inputs', 'endpoints', 'mode', 'bulk', 'auth', 'tls', 'buffer'],
  'sink loki': ['type', 'inputs', 'endpoint', 'encoding', 'labels', 'tenant_id', 'auth', 'tls', 'buffer'],
  'sink http': ['type', 'inputs', 'uri', 'method', 'encoding', 'auth', 'tls', 'buffer'],
  'sink prometheus_exporter': ['type', 'inputs', 'address'],
  'buffer': ['type', 'max_events', 'max_size', 'when_full'],
  'auth': ['strategy', 'user', 'password'],
  'tls': ['verify_certificate', 'ca_file'],
};

export const FILEBEAT_KEYS: { [section: string]: string[] } = {
  'top': ['filebeat.inputs', 'processors', 'path.data', 'filebeat.shutdown_timeout', 'http.enabled', 'http.host', 'http.port', 'queue.mem', 'queue.disk',
    'output.console', 'output.elasticsearch', 'setup.ilm.enabled', 'setup.template.name', 'setup.template.pattern'],
  'input filestream': ['type', 'id', 'paths', 'prospector.scanner.check_interval', 'backoff.init', 'backoff.max', 'parsers'],
  'output.elasticsearch': ['hosts', 'index', 'username', 'password', 'ssl'],
  'ssl': ['verification_mode', 'certificate_authorities'],
  'queue.mem': ['events'],
  'queue.disk': ['path', 'max_size'],
};

/** Fails with the keys of `object` that `allowed` does not list. */
export function expectOnlyKeys(where: string, object: object, allowed: string[]): void {
  const unknown = Object.keys(object).filter(key => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new Error(`${where}: undocumented keys ${unknown.join(', ')}`);
  }
}
