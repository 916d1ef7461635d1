import { ProxyProtocol } from './options';

/** Where the generated bootstrap and SDS files are mounted. */
export const ENVOY_CONFIG_DIR = '/etc/envoy';
/** Where TLS Secrets and CA ConfigMaps are mounted, one directory each. */
export const ENVOY_TLS_DIR = '/etc/envoy-tls';

const TYPE = 'type.googleapis.com/';
const HCM = `${TYPE}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`;
const TCP_PROXY = `${TYPE}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`;
const ROUTER = `${TYPE}envoy.extensions.filters.http.router.v3.Router`;
const STDOUT_LOG = `${TYPE}envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`;
const HTTP_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const DOWNSTREAM_TLS = `${TYPE}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`;
const UPSTREAM_TLS = `${TYPE}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`;
const SECRET = `${TYPE}envoy.extensions.transport_sockets.tls.v3.Secret`;

/** Methods whose requests may be sent twice: only these are retried on a 503. */
const IDEMPOTENT_METHODS = 'GET|HEAD|OPTIONS|PUT|DELETE|TRACE';

/** A certificate or CA read from mounted files, served to Envoy by file-based SDS. */
export interface SdsFile {
  /** The SDS resource name, and the file's name (`sds-<name>.yaml`). */
  readonly name: string;
  /** The mounted Secret or ConfigMap directory Envoy watches for renewals. */
  readonly directory: string;
  /** A certificate and key (`tls.crt`, `tls.key`), or a CA file name in the directory. */
  readonly certificate?: boolean;
  readonly caFile?: string;
}

/** A resolved outbound upstream. */
export interface UpstreamConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly localPort: number;
  readonly protocol: ProxyProtocol;
  readonly connectTimeoutSeconds: number;
  readonly requestTimeoutSeconds: number;
  /** TCP: no byte either way for this long closes the connection; HTTP: an idle pooled connection. 0: no limit. */
  readonly idleTimeoutSeconds: number;
  readonly tls?: { readonly sni: string; readonly ca: SdsFile; readonly clientCertificate?: SdsFile };
}

/** Everything the bootstrap is made from, resolved and validated by MeshProxySidecar. */
export interface BootstrapConfig {
  readonly adminPort: number;
  readonly healthPort: number;
  readonly inbound?: {
    readonly proxyPort: number;
    readonly appPort: number;
    readonly protocol: ProxyProtocol;
    readonly requestTimeoutSeconds: number;
    readonly retries: number;
    readonly tls?: { readonly certificate: SdsFile; readonly clientCa?: SdsFile };
  };
  readonly upstreams: UpstreamConfig[];
}

/**
 * The Envoy v3 bootstrap (static resources only: no control plane) and the SDS files
 * it reads certificates through.
 *
 * @internal
 */
export function renderBootstrap(config: BootstrapConfig): { bootstrap: any; sdsFiles: { [fileName: string]: any } } {
  const listeners: any[] = [healthListener(config)];
  const clusters: any[] = [staticCluster('admin', config.adminPort, ProxyProtocol.HTTP)];
  const sds: SdsFile[] = [];
  const inbound = config.inbound;
  if (inbound) {
    listeners.push(inboundListener(inbound));
    clusters.push(staticCluster('app', inbound.appPort, inbound.protocol));
    if (inbound.tls) {
      sds.push(inbound.tls.certificate, ...inbound.tls.clientCa ? [inbound.tls.clientCa] : []);
    }
  }
  for (const upstream of config.upstreams) {
    listeners.push(outboundListener(upstream));
    clusters.push(upstreamCluster(upstream));
    if (upstream.tls) {
      sds.push(upstream.tls.ca, ...upstream.tls.clientCertificate ? [upstream.tls.clientCertificate] : []);
    }
  }
  const bootstrap = {
    admin: { address: socket('127.0.0.1', config.adminPort) },
    static_resources: { listeners, clusters },
  };
  const sdsFiles: { [fileName: string]: any } = {};
  for (const file of sds) {
    sdsFiles[`sds-${file.name}.yaml`] = { resources: [sdsSecret(file)] };
  }
  return { bootstrap, sdsFiles };
}

function socket(address: string, port: number) {
  return { socket_address: { address, port_value: port } };
}

function endpoints(cluster: string, address: string, port: number) {
  return { cluster_name: cluster, endpoints: [{ lb_endpoints: [{ endpoint: { address: socket(address, port) } }] }] };
}

function seconds(value: number): string {
  return `${value}s`;
}

/** `/ready` and `/stats/prometheus` of the admin interface, and a liveness answer of Envoy's own, on the Pod IP. */
function healthListener(config: BootstrapConfig) {
  const toAdmin = (path: string) => ({ match: { path }, route: { cluster: 'admin', timeout: '5s' } });
  return {
    name: 'health',
    address: socket('0.0.0.0', config.healthPort),
    filter_chains: [{
      filters: [httpConnectionManager('health', {
        name: 'health',
        virtual_hosts: [{
          name: 'health',
          domains: ['*'],
          routes: [
            toAdmin('/ready'),
            toAdmin('/stats/prometheus'),
            { match: { path: '/healthz/live' }, direct_response: { status: 200, body: { inline_string: 'ok\n' } } },
            { match: { prefix: '/' }, direct_response: { status: 404 } },
          ],
        }],
      }, false)],
    }],
  };
}

function inboundListener(inbound: NonNullable<BootstrapConfig['inbound']>) {
  const http = inbound.protocol !== ProxyProtocol.TCP;
  const filter = http
    ? httpConnectionManager('inbound', {
      name: 'inbound',
      virtual_hosts: [{ name: 'app', domains: ['*'], routes: httpRoutes('app', inbound.protocol, inbound.requestTimeoutSeconds, inbound.retries, false) }],
    }, true)
    : tcpProxy('inbound', 'app');
  const chain: any = { filters: [filter] };
  if (inbound.tls) {
    chain.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': DOWNSTREAM_TLS,
        'common_tls_context': {
          tls_certificate_sds_secret_configs: [sdsConfig(inbound.tls.certificate)],
          ...inbound.tls.clientCa ? { validation_context_sds_secret_config: sdsConfig(inbound.tls.clientCa) } : {},
          ...http ? { alpn_protocols: ['h2', 'http/1.1'] } : {},
        },
        'require_client_certificate': inbound.tls.clientCa !== undefined,
      },
    };
  }
  return { name: 'inbound', address: socket('0.0.0.0', inbound.proxyPort), traffic_direction: 'INBOUND', filter_chains: [chain] };
}

function outboundListener(upstream: UpstreamConfig) {
  const cluster = `upstream-${upstream.name}`;
  const filter = upstream.protocol === ProxyProtocol.TCP
    ? tcpProxy(cluster, cluster, upstream.idleTimeoutSeconds)
    : httpConnectionManager(cluster, {
      name: cluster,
      virtual_hosts: [{ name: upstream.name, domains: ['*'], routes: httpRoutes(cluster, upstream.protocol, upstream.requestTimeoutSeconds, 2, true) }],
    }, true);
  return { name: cluster, address: socket('127.0.0.1', upstream.localPort), traffic_direction: 'OUTBOUND', filter_chains: [{ filters: [filter] }] };
}

/**
 * Routes to a cluster: connection failures and refused streams are retried for every
 * request (nothing reached the backend), a 503 only for idempotent methods.
 */
function httpRoutes(cluster: string, protocol: ProxyProtocol, timeoutSeconds: number, retries: number, rewriteHost: boolean) {
  const route = (retryOn: string, extra: object) => ({
    cluster,
    timeout: seconds(timeoutSeconds),
    ...rewriteHost ? { auto_host_rewrite: true } : {},
    retry_policy: { retry_on: retryOn, num_retries: retries, ...extra },
  });
  const always = 'connect-failure,refused-stream';
  const routes: any[] = [];
  if (protocol !== ProxyProtocol.GRPC) {
    routes.push({
      match: { prefix: '/', headers: [{ name: ':method', string_match: { safe_regex: { regex: IDEMPOTENT_METHODS } } }] },
      route: route(`${always},retriable-status-codes`, { retriable_status_codes: [503] }),
    });
  }
  routes.push({ match: { prefix: '/' }, route: route(always, {}) });
  return routes;
}

function httpConnectionManager(statPrefix: string, routeConfig: object, accessLog: boolean) {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: {
      '@type': HCM,
      'stat_prefix': statPrefix,
      'codec_type': 'AUTO',
      'route_config': routeConfig,
      'http_filters': [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER } }],
      ...accessLog ? { access_log: [stdoutLog(statPrefix, true)] } : {},
    },
  };
}

function tcpProxy(statPrefix: string, cluster: string, idleTimeoutSeconds?: number) {
  return {
    name: 'envoy.filters.network.tcp_proxy',
    typed_config: {
      '@type': TCP_PROXY,
      'stat_prefix': statPrefix,
      cluster,
      ...idleTimeoutSeconds === undefined ? {} : { idle_timeout: seconds(idleTimeoutSeconds) },
      'access_log': [stdoutLog(statPrefix, false)],
    },
  };
}

/** One JSON object per request (or TCP connection) on stdout. */
function stdoutLog(listener: string, http: boolean) {
  const fields: { [key: string]: string } = {
    time: '%START_TIME%',
    listener,
    upstream_host: '%UPSTREAM_HOST%',
    duration_ms: '%DURATION%',
    bytes_received: '%BYTES_RECEIVED%',
    bytes_sent: '%BYTES_SENT%',
    response_flags: '%RESPONSE_FLAGS%',
    downstream_address: '%DOWNSTREAM_REMOTE_ADDRESS%',
  };
  if (http) {
    Object.assign(fields, {
      method: '%REQ(:METHOD)%',
      path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
      protocol: '%PROTOCOL%',
      status: '%RESPONSE_CODE%',
      request_id: '%REQ(X-REQUEST-ID)%',
      user_agent: '%REQ(USER-AGENT)%',
    });
  }
  return { name: 'envoy.access_loggers.stdout', typed_config: { '@type': STDOUT_LOG, 'log_format': { json_format: fields } } };
}

function http2Options(protocol: ProxyProtocol) {
  if (protocol !== ProxyProtocol.HTTP2 && protocol !== ProxyProtocol.GRPC) {
    return {};
  }
  return { typed_extension_protocol_options: { [HTTP_OPTIONS]: { '@type': `${TYPE}${HTTP_OPTIONS}`, 'explicit_http_config': { http2_protocol_options: {} } } } };
}

/** The HTTP options of an upstream's connection pool: the protocol, and how long a pooled connection may idle. */
function httpUpstreamOptions(protocol: ProxyProtocol, idleTimeoutSeconds: number) {
  const http2 = protocol === ProxyProtocol.HTTP2 || protocol === ProxyProtocol.GRPC;
  return {
    typed_extension_protocol_options: {
      [HTTP_OPTIONS]: {
        '@type': `${TYPE}${HTTP_OPTIONS}`,
        'common_http_protocol_options': { idle_timeout: seconds(idleTimeoutSeconds) },
        'explicit_http_config': http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
      },
    },
  };
}

function staticCluster(name: string, port: number, protocol: ProxyProtocol) {
  return { name, type: 'STATIC', connect_timeout: '1s', load_assignment: endpoints(name, '127.0.0.1', port), ...http2Options(protocol) };
}

function upstreamCluster(upstream: UpstreamConfig) {
  const name = `upstream-${upstream.name}`;
  const cluster: any = {
    name,
    type: 'STRICT_DNS',
    dns_lookup_family: 'V4_PREFERRED',
    respect_dns_ttl: true,
    connect_timeout: seconds(upstream.connectTimeoutSeconds),
    lb_policy: 'ROUND_ROBIN',
    load_assignment: endpoints(name, upstream.host, upstream.port),
    circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_connections: 1024, max_pending_requests: 1024, max_requests: 1024, max_retries: 3 }] },
    outlier_detection: { consecutive_5xx: 5, interval: '10s', base_ejection_time: '30s', max_ejection_percent: 50 },
    // a server that went away is found, and middleboxes see traffic, on a connection that idles
    upstream_connection_options: { tcp_keepalive: { keepalive_time: 60, keepalive_interval: 10, keepalive_probes: 3 } },
    ...upstream.protocol === ProxyProtocol.TCP ? {} : httpUpstreamOptions(upstream.protocol, upstream.idleTimeoutSeconds),
  };
  if (upstream.tls) {
    cluster.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': UPSTREAM_TLS,
        'sni': upstream.tls.sni,
        'common_tls_context': {
          validation_context_sds_secret_config: sdsConfig(upstream.tls.ca),
          ...upstream.tls.clientCertificate ? { tls_certificate_sds_secret_configs: [sdsConfig(upstream.tls.clientCertificate)] } : {},
          ...upstream.protocol === ProxyProtocol.HTTP2 || upstream.protocol === ProxyProtocol.GRPC ? { alpn_protocols: ['h2'] } : {},
        },
      },
    };
  }
  return cluster;
}

function sdsConfig(file: SdsFile) {
  return { name: file.name, sds_config: { path_config_source: { path: `${ENVOY_CONFIG_DIR}/sds-${file.name}.yaml` }, resource_api_version: 'V3' } };
}

/**
 * A Secret resource read from mounted files. `watched_directory` makes Envoy reload
 * the files when the kubelet swaps the volume's `..data` link on a renewal.
 */
function sdsSecret(file: SdsFile) {
  const watched_directory = { path: file.directory };
  if (file.certificate) {
    return {
      '@type': SECRET,
      'name': file.name,
      'tls_certificate': {
        certificate_chain: { filename: `${file.directory}/tls.crt` },
        private_key: { filename: `${file.directory}/tls.key` },
        watched_directory,
      },
    };
  }
  return { '@type': SECRET, 'name': file.name, 'validation_context': { trusted_ca: { filename: `${file.directory}/${file.caFile}` }, watched_directory } };
}
