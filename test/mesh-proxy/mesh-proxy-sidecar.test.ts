import { execFileSync, spawn } from 'child_process';
import * as http from 'http';
import { AddressInfo } from 'net';
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import {
  KubernetesVersion, LogShipperSidecar, MeshProxySidecar, MeshProxySidecarProps, NetshootDebugSidecar, ProxyProtocol, Sidecar, SidecarJob,
  SidecarMode,
} from '../../src';
import { WORKLOADS } from '../core/workloads';
import { newChart, only, podMetadata, podSpec, synth } from '../util';
import { envoyProblems } from './envoy-schema';

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap';
const SDS = 'envoy.service.discovery.v3.DiscoveryResponse';

function web(chart: Chart, props: kplus.DeploymentProps = {}): kplus.Deployment {
  return new kplus.Deployment(chart, 'web', {
    containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080 }],
    ...props,
  });
}

/** Synthesizes a Deployment with a proxy; checks every Envoy file against Envoy's API. */
function proxy(props: Partial<MeshProxySidecarProps> = {}) {
  const { app, chart } = newChart();
  const workload = web(chart);
  const mesh = new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, ...props });
  const manifests = synth(app);
  const deployment = only(manifests, 'Deployment');
  const spec = podSpec(deployment);
  const container = [...spec.initContainers ?? [], ...spec.containers].find((c: any) => c.name === 'mesh-proxy');
  const data = only(manifests, 'ConfigMap').data;
  const bootstrap = yaml.parse(data['envoy.yaml']);
  expect(envoyProblems(BOOTSTRAP, bootstrap)).toEqual([]);
  for (const [name, text] of Object.entries(data)) {
    if (name.startsWith('sds-')) {
      expect(envoyProblems(SDS, yaml.parse(text as string))).toEqual([]);
    }
  }
  expect(bootstrap).toEqual(mesh.bootstrap);
  return { mesh, manifests, deployment, spec, container, bootstrap, data };
}

const listener = (bootstrap: any, name: string) => bootstrap.static_resources.listeners.find((l: any) => l.name === name);
const cluster = (bootstrap: any, name: string) => bootstrap.static_resources.clusters.find((c: any) => c.name === name);
const hcm = (l: any) => l.filter_chains[0].filters[0].typed_config;

describe('defaults: an HTTP proxy in front of the app', () => {
  test('a native sidecar that gates the app on Envoy\'s readiness, sized, restricted, with its bootstrap in a ConfigMap', () => {
    const { spec, container, deployment, bootstrap } = proxy();
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['mesh-proxy']);
    expect(container).toMatchObject({
      image: 'envoyproxy/envoy:v1.37.6',
      imagePullPolicy: 'IfNotPresent',
      restartPolicy: 'Always',
      command: ['envoy', '-c', '/etc/envoy/envoy.yaml', '--concurrency', '1', '--drain-time-s', '1', '--drain-strategy', 'immediate',
        '--disable-hot-restart', '--log-level', 'info'],
      ports: [{ containerPort: 15006, name: 'http-proxy' }, { containerPort: 15021, name: 'proxy-metrics' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } },
      startupProbe: { httpGet: { path: '/ready', port: 15021 }, periodSeconds: 1, failureThreshold: 600, timeoutSeconds: 1 },
      readinessProbe: { httpGet: { path: '/ready', port: 15021 }, periodSeconds: 5, failureThreshold: 3 },
      livenessProbe: { httpGet: { path: '/healthz/live', port: 15021 }, periodSeconds: 10, failureThreshold: 3 },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: [{ name: 'mesh-proxy-config', mountPath: '/etc/envoy', readOnly: true }],
    });
    expect(container.lifecycle).toBeUndefined();
    expect(podMetadata(deployment).annotations).toMatchObject({
      'checksum.cdk8s-sidecars/mesh-proxy': expect.stringMatching(/^[0-9a-f]{64}$/),
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '15021',
      'prometheus.io/path': '/stats/prometheus',
    });
    expect(bootstrap.admin).toEqual({ address: { socket_address: { address: '127.0.0.1', port_value: 15000 } } });
    expect(deployment).toMatchSnapshot();
  });

  test('inbound: 0.0.0.0:15006 to 127.0.0.1:8080, 15 s timeout, retries on connection failure and, for idempotent methods, 503', () => {
    const { bootstrap } = proxy();
    const inbound = listener(bootstrap, 'inbound');
    expect(inbound.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 15006 });
    const routes = hcm(inbound).route_config.virtual_hosts[0].routes;
    expect(routes).toEqual([
      {
        match: { prefix: '/', headers: [{ name: ':method', string_match: { safe_regex: { regex: 'GET|HEAD|OPTIONS|PUT|DELETE|TRACE' } } }] },
        route: { cluster: 'app', timeout: '15s', retry_policy: { retry_on: 'connect-failure,refused-stream,retriable-status-codes', num_retries: 2, retriable_status_codes: [503] } },
      },
      { match: { prefix: '/' }, route: { cluster: 'app', timeout: '15s', retry_policy: { retry_on: 'connect-failure,refused-stream', num_retries: 2 } } },
    ]);
    expect(cluster(bootstrap, 'app').load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 8080 });
    expect(hcm(inbound).access_log[0].typed_config.log_format.json_format).toMatchObject({ method: '%REQ(:METHOD)%', status: '%RESPONSE_CODE%' });
  });

  test('health listener: /ready and /stats/prometheus from the admin interface, /healthz/live from Envoy itself', () => {
    const routes = hcm(listener(proxy().bootstrap, 'health')).route_config.virtual_hosts[0].routes;
    expect(routes.map((r: any) => [r.match.path ?? r.match.prefix, r.route?.cluster ?? r.direct_response.status])).toEqual([
      ['/ready', 'admin'], ['/stats/prometheus', 'admin'], ['/healthz/live', 200], ['/', 404],
    ]);
  });

  test('the CPU limit sets Envoy\'s worker threads', () => {
    const { container } = proxy({ resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(2500) }, memory: {} } });
    expect(container.command.slice(3, 5)).toEqual(['--concurrency', '3']);
  });

  test('bindService: traffic to the Service enters through the proxy', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    const mesh = new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080 });
    const service = new kplus.Service(chart, 'svc', { selector: workload });
    mesh.bindService(service, { port: 80 });
    expect(only(synth(app), 'Service').spec.ports).toEqual([{ port: 80, targetPort: 15006, name: 'http' }]);
  });

  test.each<[string, Partial<MeshProxySidecarProps>, string]>([
    ['HTTP/2', { protocol: ProxyProtocol.HTTP2 }, 'http'],
    ['gRPC', { protocol: ProxyProtocol.GRPC }, 'grpc'],
    ['TCP', { protocol: ProxyProtocol.TCP }, 'tcp'],
    ['HTTP with TLS', { inboundTls: { secretName: 'web-tls' } }, 'https'],
    ['gRPC with TLS', { protocol: ProxyProtocol.GRPC, inboundTls: { secretName: 'web-tls' } }, 'grpc'],
  ])('bindService over %s: the Service port and the proxy port are named for the protocol, on the Service port by default', (_, props, scheme) => {
    const { app, chart } = newChart();
    const workload = web(chart);
    const mesh = new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, proxyPort: 15443, ...props });
    mesh.bindService(new kplus.Service(chart, 'svc', { selector: workload }), { name: 'front' });
    mesh.bindService(new kplus.Service(chart, 'svc2', { selector: workload }));
    const manifests = synth(app);
    expect(manifests.filter(m => m.kind === 'Service').map(m => m.spec.ports)).toEqual([
      [{ port: 15443, targetPort: 15443, name: 'front' }],
      [{ port: 15443, targetPort: 15443, name: scheme }],
    ]);
    expect(podSpec(only(manifests, 'Deployment')).initContainers[0].ports[0]).toEqual({ containerPort: 15443, name: `${scheme}-proxy` });
  });
});

describe('every bootstrap is valid against Envoy\'s API', () => {
  test.each([ProxyProtocol.HTTP, ProxyProtocol.HTTP2, ProxyProtocol.GRPC, ProxyProtocol.TCP])('inbound %s', (protocol) => {
    const { bootstrap, container } = proxy({ protocol });
    const inbound = listener(bootstrap, 'inbound');
    const app = cluster(bootstrap, 'app');
    if (protocol === ProxyProtocol.TCP) {
      expect(inbound.filter_chains[0].filters[0].name).toBe('envoy.filters.network.tcp_proxy');
      expect(inbound.filter_chains[0].filters[0].typed_config).toMatchObject({ stat_prefix: 'inbound', cluster: 'app' });
      expect(container.ports[0].name).toBe('tcp-proxy');
    } else {
      expect(hcm(inbound).codec_type).toBe('AUTO');
    }
    const h2 = app.typed_extension_protocol_options?.['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
    expect(h2 !== undefined).toBe(protocol === ProxyProtocol.HTTP2 || protocol === ProxyProtocol.GRPC);
    if (protocol === ProxyProtocol.GRPC) {
      // gRPC: no request timeout (streams), no 503 retries (every call is a POST)
      expect(hcm(inbound).route_config.virtual_hosts[0].routes).toEqual([
        { match: { prefix: '/' }, route: { cluster: 'app', timeout: '0s', retry_policy: { retry_on: 'connect-failure,refused-stream', num_retries: 2 } } },
      ]);
    }
  });

  test('outbound upstreams of every protocol: local listeners, DNS clusters, circuit breakers, outlier detection', () => {
    const { bootstrap } = proxy({
      upstreams: [
        { name: 'postgres', host: 'postgresql.db.svc', port: 5432, localPort: 15432, protocol: ProxyProtocol.TCP },
        { name: 'api', host: 'api.shop.svc', port: 8080, localPort: 18080, requestTimeout: Duration.seconds(5), connectTimeout: Duration.seconds(2) },
        { name: 'search', host: 'search.shop.svc', port: 9090, localPort: 19090, protocol: ProxyProtocol.GRPC },
        { name: 'h2', host: '10.0.0.7', port: 8443, localPort: 18443, protocol: ProxyProtocol.HTTP2 },
      ],
    });
    const postgres = listener(bootstrap, 'upstream-postgres');
    expect(postgres).toMatchObject({ address: { socket_address: { address: '127.0.0.1', port_value: 15432 } }, traffic_direction: 'OUTBOUND' });
    expect(postgres.filter_chains[0].filters[0].typed_config.cluster).toBe('upstream-postgres');
    expect(cluster(bootstrap, 'upstream-postgres')).toMatchObject({
      type: 'STRICT_DNS',
      connect_timeout: '1s',
      load_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'postgresql.db.svc', port_value: 5432 } } } }] }] },
      circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_connections: 1024, max_pending_requests: 1024, max_requests: 1024, max_retries: 3 }] },
      outlier_detection: { consecutive_5xx: 5, interval: '10s', base_ejection_time: '30s', max_ejection_percent: 50 },
    });
    const apiManager = hcm(listener(bootstrap, 'upstream-api'));
    expect(apiManager.route_config.virtual_hosts.map((v: any) => [v.name, v.domains])).toEqual([['api', ['*']]]);
    expect(apiManager.access_log.map((l: any) => l.name)).toEqual(['envoy.access_loggers.stdout']);
    // HTTP pools: the protocol, and 4 s of idle before the proxy closes a pooled connection (below servers' keep-alive);
    // TCP: no HTTP options
    for (const [name, config] of [['upstream-h2', { http2_protocol_options: {} }], ['upstream-search', { http2_protocol_options: {} }],
      ['upstream-api', { http_protocol_options: {} }], ['upstream-postgres', undefined]] as Array<[string, object | undefined]>) {
      expect(cluster(bootstrap, name).typed_extension_protocol_options).toEqual(config ? {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          'common_http_protocol_options': { idle_timeout: '4s' },
          'explicit_http_config': config,
        },
      } : undefined);
      // every upstream connection: TCP keepalive after 60 s idle, 3 probes 10 s apart
      expect(cluster(bootstrap, name).upstream_connection_options)
        .toEqual({ tcp_keepalive: { keepalive_time: 60, keepalive_interval: 10, keepalive_probes: 3 } });
    }
    // TCP: the proxy closes no idle connection by default (Envoy's own default is 1 h)
    expect(postgres.filter_chains[0].filters[0].typed_config.idle_timeout).toBe('0s');
    const api = apiManager.route_config.virtual_hosts[0].routes[1].route;
    expect(api).toMatchObject({ cluster: 'upstream-api', timeout: '5s', auto_host_rewrite: true });
    expect(cluster(bootstrap, 'upstream-api').connect_timeout).toBe('2s');
  });

  test('idleTimeout per upstream: TCP no bytes either way, HTTP an idle pooled connection; whole seconds', () => {
    const { bootstrap } = proxy({
      upstreams: [
        { name: 'redis', host: 'redis.cache.svc', port: 6379, localPort: 16379, protocol: ProxyProtocol.TCP, idleTimeout: Duration.minutes(30) },
        { name: 'api', host: 'api.shop.svc', port: 8080, localPort: 18080, idleTimeout: Duration.seconds(50) },
      ],
    });
    expect(listener(bootstrap, 'upstream-redis').filter_chains[0].filters[0].typed_config.idle_timeout).toBe('1800s');
    expect(cluster(bootstrap, 'upstream-api').typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']
      .common_http_protocol_options).toEqual({ idle_timeout: '50s' });
    const { chart } = newChart();
    expect(() => new MeshProxySidecar(chart, 'mesh', {
      workload: web(chart), upstreams: [{ name: 'api', host: 'api.shop.svc', port: 8080, localPort: 18080, idleTimeout: Duration.millis(1500) }],
    })).toThrow(/^\[test\/mesh\] upstreams\[0\]\.idleTimeout: /);
  });

  test('inbound TLS from a cert-manager Secret, by file-based SDS that follows renewals; mutual TLS on request', () => {
    const { bootstrap, container, spec, data } = proxy({ inboundTls: { secretName: 'web-tls', requireClientCertificate: true } });
    const tls = listener(bootstrap, 'inbound').filter_chains[0].transport_socket.typed_config;
    expect(tls).toMatchObject({
      require_client_certificate: true,
      common_tls_context: {
        tls_certificate_sds_secret_configs: [{ name: 'inbound-cert', sds_config: { path_config_source: { path: '/etc/envoy/sds-inbound-cert.yaml' }, resource_api_version: 'V3' } }],
        validation_context_sds_secret_config: { name: 'inbound-client-ca' },
      },
    });
    expect(yaml.parse(data['sds-inbound-cert.yaml']).resources[0]).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
      'name': 'inbound-cert',
      'tls_certificate': {
        certificate_chain: { filename: '/etc/envoy-tls/inbound/tls.crt' },
        private_key: { filename: '/etc/envoy-tls/inbound/tls.key' },
        watched_directory: { path: '/etc/envoy-tls/inbound' },
      },
    });
    expect(yaml.parse(data['sds-inbound-client-ca.yaml']).resources[0].validation_context.trusted_ca.filename).toBe('/etc/envoy-tls/inbound/ca.crt');
    expect(container.volumeMounts).toContainEqual({ name: 'mesh-proxy-tls-inbound', mountPath: '/etc/envoy-tls/inbound', readOnly: true });
    expect(spec.volumes).toContainEqual({ name: 'mesh-proxy-tls-inbound', secret: { secretName: 'web-tls' } });
    expect(container.ports[0].name).toBe('https-proxy');
  });

  test('outbound TLS: SNI, the CA from a Secret or a ConfigMap, a client certificate for mutual TLS', () => {
    const { bootstrap, spec } = proxy({
      upstreams: [
        { name: 'billing', host: 'billing.pay.svc', port: 15006, localPort: 18081, tls: { caSecretName: 'mesh-ca', clientCertificateSecretName: 'web-client-tls' } },
        { name: 'partner', host: 'api.partner.example', port: 443, localPort: 18082, tls: { caConfigMapName: 'partner-ca', caKey: 'root.pem', sni: 'api.partner.example' } },
      ],
    });
    expect(cluster(bootstrap, 'upstream-billing').transport_socket.typed_config).toMatchObject({
      sni: 'billing.pay.svc',
      common_tls_context: {
        validation_context_sds_secret_config: { name: 'upstream-billing-ca' },
        tls_certificate_sds_secret_configs: [{ name: 'upstream-billing-cert' }],
      },
    });
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'mesh-proxy-ca-0', secret: { secretName: 'mesh-ca' } },
      { name: 'mesh-proxy-cert-0', secret: { secretName: 'web-client-tls' } },
      { name: 'mesh-proxy-ca-1', configMap: { name: 'partner-ca' } },
    ]));
  });

  test('outbound TLS, whole: each upstream\'s transport socket, its SDS files and the read-only mounts they point into', () => {
    const { bootstrap, container, data } = proxy({
      upstreams: [
        { name: 'billing', host: 'billing.pay.svc', port: 15006, localPort: 18081, tls: { caSecretName: 'mesh-ca', clientCertificateSecretName: 'web-client-tls' } },
        { name: 'partner', host: 'api.partner.example', port: 443, localPort: 18082, protocol: ProxyProtocol.HTTP2, tls: { caConfigMapName: 'partner-ca', caKey: 'root.pem', sni: 'partner.example' } },
        { name: 'search', host: 'search.shop.svc', port: 9090, localPort: 19090, protocol: ProxyProtocol.GRPC, tls: { caSecretName: 'mesh-ca' } },
        { name: 'plain', host: 'plain.shop.svc', port: 8080, localPort: 18083 },
      ],
    });
    const sds = (name: string) => ({ name, sds_config: { path_config_source: { path: `/etc/envoy/sds-${name}.yaml` }, resource_api_version: 'V3' } });
    const socket = (sni: string, context: object) => ({
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', sni, 'common_tls_context': context },
    });
    expect(cluster(bootstrap, 'upstream-billing').transport_socket).toEqual(socket('billing.pay.svc', {
      validation_context_sds_secret_config: sds('upstream-billing-ca'),
      tls_certificate_sds_secret_configs: [sds('upstream-billing-cert')],
    }));
    // HTTP/2 and gRPC negotiate h2 by ALPN; HTTP/1.1 offers none
    expect(cluster(bootstrap, 'upstream-partner').transport_socket).toEqual(socket('partner.example', {
      validation_context_sds_secret_config: sds('upstream-partner-ca'), alpn_protocols: ['h2'],
    }));
    expect(cluster(bootstrap, 'upstream-search').transport_socket).toEqual(socket('search.shop.svc', {
      validation_context_sds_secret_config: sds('upstream-search-ca'), alpn_protocols: ['h2'],
    }));
    expect(cluster(bootstrap, 'upstream-plain').transport_socket).toBeUndefined();
    expect(Object.keys(data).sort()).toEqual(['envoy.yaml', 'sds-upstream-billing-ca.yaml', 'sds-upstream-billing-cert.yaml', 'sds-upstream-partner-ca.yaml', 'sds-upstream-search-ca.yaml']);
    expect(yaml.parse(data['sds-upstream-billing-ca.yaml']).resources[0].validation_context.trusted_ca.filename).toBe('/etc/envoy-tls/upstream-billing-ca/ca.crt');
    expect(yaml.parse(data['sds-upstream-partner-ca.yaml']).resources[0].validation_context.trusted_ca.filename).toBe('/etc/envoy-tls/upstream-partner-ca/root.pem');
    expect(yaml.parse(data['sds-upstream-billing-cert.yaml']).resources[0].tls_certificate).toEqual({
      certificate_chain: { filename: '/etc/envoy-tls/upstream-billing-cert/tls.crt' },
      private_key: { filename: '/etc/envoy-tls/upstream-billing-cert/tls.key' },
      watched_directory: { path: '/etc/envoy-tls/upstream-billing-cert' },
    });
    expect(container.volumeMounts.filter((m: any) => m.mountPath.startsWith('/etc/envoy-tls/'))).toEqual([
      { name: 'mesh-proxy-ca-0', mountPath: '/etc/envoy-tls/upstream-billing-ca', readOnly: true },
      { name: 'mesh-proxy-cert-0', mountPath: '/etc/envoy-tls/upstream-billing-cert', readOnly: true },
      { name: 'mesh-proxy-ca-1', mountPath: '/etc/envoy-tls/upstream-partner-ca', readOnly: true },
      { name: 'mesh-proxy-ca-2', mountPath: '/etc/envoy-tls/upstream-search-ca', readOnly: true },
    ]);
  });

  test('inbound TLS over HTTP offers h2 and HTTP/1.1 by ALPN and asks no client certificate unless told; over TCP no ALPN', () => {
    const overHttp = listener(proxy({ inboundTls: { secretName: 'web-tls' } }).bootstrap, 'inbound').filter_chains[0].transport_socket;
    expect(overHttp.name).toBe('envoy.transport_sockets.tls');
    expect(overHttp.typed_config.common_tls_context.alpn_protocols).toEqual(['h2', 'http/1.1']);
    expect(overHttp.typed_config.require_client_certificate).toBe(false);
    expect(overHttp.typed_config.common_tls_context.validation_context_sds_secret_config).toBeUndefined();
    const tcp = listener(proxy({ protocol: ProxyProtocol.TCP, inboundTls: { secretName: 'web-tls' } }).bootstrap, 'inbound').filter_chains[0].transport_socket;
    expect(tcp.typed_config.common_tls_context.alpn_protocols).toBeUndefined();
  });

  test('bootstrapOverrides merge into the bootstrap, which stays checked', () => {
    const { bootstrap } = proxy({ bootstrapOverrides: { overload_manager: { refresh_interval: '0.25s' }, admin: { address: { socket_address: { port_value: 15000 } } } } });
    expect(bootstrap.overload_manager).toEqual({ refresh_interval: '0.25s' });
    expect(bootstrap.admin.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 15000 });
    expect(() => proxy({ bootstrapOverrides: { admin: { adress: 1 } } })).toThrow(/no such field in envoy.config.bootstrap.v3.Admin/);
  });

  test('bootstrapOverrides: objects merge key by key; a list, a string or null replaces what stands', () => {
    const { bootstrap, mesh } = proxy({
      bootstrapOverrides: {
        static_resources: { clusters: [{ name: 'only', type: 'STATIC', connect_timeout: '1s' }] },
        admin: { address: { socket_address: { address: '0.0.0.0' } }, profile_path: '/tmp/envoy.prof' },
        node: { id: 'web', cluster: 'shop' },
      },
    });
    expect(bootstrap.static_resources.clusters).toEqual([{ name: 'only', type: 'STATIC', connect_timeout: '1s' }]);
    expect(bootstrap.static_resources.listeners.map((l: any) => l.name)).toEqual(['health', 'inbound']);
    expect(bootstrap.admin).toEqual({ address: { socket_address: { address: '0.0.0.0', port_value: 15000 } }, profile_path: '/tmp/envoy.prof' });
    expect(bootstrap.node).toEqual({ id: 'web', cluster: 'shop' });
    // a copy on each read
    mesh.bootstrap.node.id = 'changed';
    expect(mesh.bootstrap.node.id).toBe('web');
    // null replaces an object too (Envoy reads a null message field as unset)
    const { chart } = newChart();
    expect(new MeshProxySidecar(chart, 'mesh', { workload: web(chart), appPort: 8080, bootstrapOverrides: { admin: { address: null } } }).bootstrap.admin).toEqual({ address: null });
  });
});

describe('start order, every workload kind, both modes', () => {
  test.each(Object.keys(WORKLOADS).flatMap(kind => [[kind, SidecarMode.NATIVE], [kind, SidecarMode.CLASSIC]]))('%s, %s', (kind, mode) => {
    const { app, chart } = newChart();
    const workload = WORKLOADS[kind](chart, 'work', mode as SidecarMode);
    const jobLike = kind === 'Job' || kind === 'CronJob';
    new MeshProxySidecar(chart, 'mesh', {
      workload,
      mode: mode as SidecarMode,
      ...jobLike ? {} : { appPort: 8080 },
      upstreams: [{ name: 'postgres', host: 'postgresql.db.svc', port: 5432, localPort: 15432, protocol: ProxyProtocol.TCP }],
    });
    const spec = podSpec(synth(app).find(m => m.kind === kind));
    if (mode === SidecarMode.NATIVE) {
      expect(spec.initContainers[0]).toMatchObject({ name: 'mesh-proxy', restartPolicy: 'Always', startupProbe: { httpGet: { path: '/ready' } } });
    } else {
      const proxyContainer = spec.containers.find((c: any) => c.name === 'mesh-proxy');
      if (jobLike) {
        // stopped by the completion signal when the main container is done
        expect(proxyContainer.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
        expect(proxyContainer.command).toContain('envoy');
      } else {
        expect(proxyContainer.lifecycle.preStop.exec.command.slice(0, 2)).toEqual(['bash', '-c']);
      }
    }
  });

  test('an init container declared after the proxy starts after it; one declared before is an error that names it', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080 });
    workload.addInitContainer({ name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate', 'up'] });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers.map((c: any) => c.name)).toEqual(['mesh-proxy', 'migrate']);

    const late = newChart();
    const workload2 = web(late.chart);
    workload2.addInitContainer({ name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate', 'up'] });
    new MeshProxySidecar(late.chart, 'mesh', { workload: workload2, appPort: 8080 });
    expect(() => late.app.synthYaml()).toThrow('[test/web] initContainers[migrate]: "migrate" comes before the mesh proxy "mesh-proxy", so it runs before the proxy is up and without its listeners. '
      + 'Give the proxy beforeInitContainer: the first init container that needs it; or, on a cdk8s-plus-28 workload, create the MeshProxySidecar before adding init containers (it keeps the order of the calls).');
  });

  test('a sidecar declared before the proxy is no problem (it runs beside the proxy), nor an init container after it', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    new Sidecar(chart, 'logs', { workload, image: 'busybox:1.37.0', command: Sidecar.exitOnSigterm(['tail', '-F', '/var/log/app.log']) });
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080 });
    workload.addInitContainer({ name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate', 'up'] });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers.map((c: any) => c.name)).toEqual(['logs', 'mesh-proxy', 'migrate']);
  });

  test('a native SidecarJob with an outbound-only proxy completes: the proxy is a restartable init container', () => {
    const { app, chart } = newChart();
    const job = new SidecarJob(chart, 'migrate', { containers: [{ name: 'migrate', image: 'migrate/migrate:v4.18.1', command: ['migrate', 'up'] }] });
    new MeshProxySidecar(chart, 'mesh', { workload: job, upstreams: [{ name: 'postgres', host: 'postgresql.db.svc', port: 5432, localPort: 5432, protocol: ProxyProtocol.TCP }] });
    const spec = podSpec(only(synth(app), 'Job'));
    expect(spec.initContainers[0]).toMatchObject({ name: 'mesh-proxy', restartPolicy: 'Always' });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['migrate']);
  });
});

describe('a Deployment with all three sidecars', () => {
  test('shipper, netshoot and proxy synthesize; the first metrics endpoint gets the annotations, every metrics port is named', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080 });
    new LogShipperSidecar(chart, 'logs', { workload, logDirectory: '/var/log/nginx' });
    new NetshootDebugSidecar(chart, 'debug', { workload });
    const deployment = only(synth(app), 'Deployment');
    const spec = podSpec(deployment);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['mesh-proxy', 'log-shipper', 'netshoot']);
    expect(podMetadata(deployment).annotations['prometheus.io/port']).toBe('15021');
    const metricsPorts = spec.initContainers.flatMap((c: any) => c.ports ?? []).filter((p: any) => p.name.endsWith('-metrics'));
    expect(metricsPorts.map((p: any) => p.containerPort)).toEqual([15021, 2020]);
  });
});

describe('the classic drain hook, run with bash against a stand-in admin interface', () => {
  test('POSTs drain_listeners?graceful&inboundonly, then sleeps appStopTime + drainTime', async () => {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.end('OK\n');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const { container } = proxy({ mode: SidecarMode.CLASSIC, adminPort: port, drainTime: Duration.seconds(1), appStopTime: Duration.seconds(0) });
      const [program, ...args] = container.lifecycle.preStop.exec.command;
      const started = Date.now();
      await new Promise<void>((resolve, reject) => spawn(program, args).on('exit', code => code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      expect(requests).toEqual(['POST /drain_listeners?graceful&inboundonly']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      server.close();
    }
  });

  test('the hook is valid bash, and by default sleeps until the app has stopped (10 s) and 5 s more', () => {
    const { container } = proxy({ mode: SidecarMode.CLASSIC });
    execFileSync('bash', ['-n', '-c', container.lifecycle.preStop.exec.command[2]]);
    expect(container.lifecycle.preStop.exec.command[2]).toMatch(/; sleep 15$/);
  });
});

describe('bad input', () => {
  const chartWithWeb = () => {
    const { app, chart } = newChart();
    return { app, chart, workload: web(chart) };
  };

  test('an appPort no app container declares', () => {
    const { app, chart, workload } = chartWithWeb();
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 9090 });
    expect(() => app.synthYaml()).toThrow('[test/web] appPort: 9090 is not a port that an app container of the workload declares');
  });

  test('the admin port taken by the app: the Pod checks name both', () => {
    const { app, chart, workload } = chartWithWeb();
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, adminPort: 8080 });
    expect(() => app.synthYaml()).toThrow('containers[web].ports: 8080 is also used by the admin interface of container "mesh-proxy" (on 127.0.0.1)');
  });

  test('two proxies on one Pod: the second admin interface on the first one\'s port is named, and moving it is enough', () => {
    const { app, chart, workload } = chartWithWeb();
    new MeshProxySidecar(chart, 'egress', { workload, upstreams: [DB] });
    const second = { workload, containerName: 'egress-proxy', healthPort: 15022, upstreams: [{ ...DB, name: 'cache', localPort: 15433 }] };
    new MeshProxySidecar(chart, 'egress2', second);
    expect(() => app.synthYaml()).toThrow('[test/web] ports: 15000 is used by the admin interface of container "mesh-proxy" (on 127.0.0.1) and by the admin interface of container "egress-proxy" (on 127.0.0.1), and all containers of a Pod share one network namespace. Move one of them to a free port (every sidecar construct has a prop for its ports).');
    const other = chartWithWeb();
    new MeshProxySidecar(other.chart, 'egress', { workload: other.workload, upstreams: [DB] });
    new MeshProxySidecar(other.chart, 'egress2', { ...second, workload: other.workload, adminPort: 15001 });
    expect(() => other.app.synthYaml()).not.toThrow();
  });

  test('two listeners of the proxy on one port', () => {
    const { chart, workload } = chartWithWeb();
    expect(() => new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, upstreams: [{ name: 'db', host: 'db.svc', port: 5432, localPort: 15000 }] }))
      .toThrow('[test/mesh] upstreams[0].localPort: 15000 is also adminPort');
  });

  test('duplicate upstream names, a bad host, a bad name', () => {
    const { chart, workload } = chartWithWeb();
    const db = { name: 'db', host: 'db.svc', port: 5432, localPort: 15432 };
    expect(() => new MeshProxySidecar(chart, 'a', { workload, upstreams: [db, { ...db, localPort: 15433 }] })).toThrow('[test/a] upstreams[1].name: "db" is the name of two upstreams');
    expect(() => new MeshProxySidecar(chart, 'b', { workload, upstreams: [{ ...db, host: 'db.svc; rm -rf /' }] })).toThrow('[test/b] upstreams[0].host: "db.svc; rm -rf /" is not a DNS name or an IP address');
    expect(() => new MeshProxySidecar(chart, 'c', { workload, upstreams: [{ ...db, name: 'Postgres' }] })).toThrow('[test/c] upstreams[0].name: "Postgres" is not a DNS label');
  });

  test('an upstream TLS without a CA, or with two', () => {
    const { chart, workload } = chartWithWeb();
    const db = { name: 'db', host: 'db.svc', port: 5432, localPort: 15432 };
    expect(() => new MeshProxySidecar(chart, 'a', { workload, upstreams: [{ ...db, tls: {} }] })).toThrow('[test/a] upstreams[0].tls: {} names no CA or two');
    expect(() => new MeshProxySidecar(chart, 'b', { workload, upstreams: [{ ...db, tls: { caConfigMapName: 'Partner CA' } }] }))
      .toThrow('[test/b] upstreams[0].tls.caConfigMapName: "Partner CA" is not the name of a Secret or ConfigMap');
    expect(() => new MeshProxySidecar(chart, 'c', { workload, upstreams: [{ ...db, tls: { caSecretName: 'ca', caKey: 'ca crt' } }] }))
      .toThrow('[test/c] upstreams[0].tls.caKey: "ca crt" is not a valid key');
  });

  // every constructor error whole (what is wrong and what to do), on both sides of each limit
  const DB = { name: 'db', host: 'db.svc', port: 5432, localPort: 15432 };
  test.each([
    [{ retries: 11 }, '[test/mesh] retries: 11 is not a whole number from 0 to 10. Use 0 to turn retries off, or a small number such as 2.'],
    [{ retries: -1 }, '[test/mesh] retries: -1 is not a whole number from 0 to 10.'],
    [{ retries: 1.5 }, '[test/mesh] retries: 1.5 is not a whole number from 0 to 10.'],
    [{ appPort: undefined, upstreams: [DB], proxyPort: 15006 }, '[test/mesh] appPort: (not set) is not set, but inboundTls or proxyPort is, which only an inbound listener uses. Give appPort, or remove the inbound settings.'],
    [{ appPort: undefined, upstreams: [DB], inboundTls: { secretName: 'web-tls' } }, '[test/mesh] appPort: (not set) is not set, but inboundTls or proxyPort is'],
    [{ inboundTls: { secretName: 'web_tls' } }, '[test/mesh] inboundTls.secretName: "web_tls" is not the name of a Secret or ConfigMap. Use lower-case letters, digits, "-" and ".", for example "web-tls".'],
    [{ upstreams: [{ ...DB, name: 'u'.repeat(51) }] }, `[test/mesh] upstreams[0].name: "${'u'.repeat(51)}" is not a DNS label of at most 50 characters. Use lower-case letters, digits and "-", for example "postgres".`],
    [{ upstreams: [{ ...DB, name: 'db-' }] }, '[test/mesh] upstreams[0].name: "db-" is not a DNS label of at most 50 characters.'],
    [{ upstreams: [{ ...DB, host: 'db.svc.' }] }, '[test/mesh] upstreams[0].host: "db.svc." is not a DNS name or an IP address. Give a Service name such as "postgresql.db.svc" (no scheme, no port).'],
    [{ upstreams: [{ ...DB, protocol: ProxyProtocol.TCP, requestTimeout: Duration.seconds(5) }] }, '[test/mesh] upstreams[0].requestTimeout: "5s" is set on a TCP upstream, which has no requests. Remove it, or use an HTTP protocol.'],
    [{ upstreams: [{ ...DB, tls: { caSecretName: 'a', caConfigMapName: 'b' } }] }, '[test/mesh] upstreams[0].tls: {"caSecretName":"a","caConfigMapName":"b"} names no CA or two. Give exactly one of caSecretName and caConfigMapName: the proxy verifies the upstream\'s certificate against it.'],
    [{ upstreams: [{ ...DB, tls: { caSecretName: 'db-ca.' } }] }, '[test/mesh] upstreams[0].tls.caSecretName: "db-ca." is not the name of a Secret or ConfigMap.'],
    [{ upstreams: [{ ...DB, tls: { caSecretName: 'db-ca', caKey: 'ca.crt;' } }] }, '[test/mesh] upstreams[0].tls.caKey: "ca.crt;" is not a valid key. Use letters, digits and -._ only, for example "ca.crt".'],
    [{ upstreams: [{ ...DB, tls: { caSecretName: 'db-ca', sni: 'db.svc;' } }] }, '[test/mesh] upstreams[0].tls.sni: "db.svc;" is not a DNS name. Give the name the upstream\'s certificate is for.'],
    [{ upstreams: [{ ...DB, tls: { caSecretName: 'db-ca', clientCertificateSecretName: 'Client' } }] }, '[test/mesh] upstreams[0].tls.clientCertificateSecretName: "Client" is not the name of a Secret or ConfigMap.'],
    [{ upstreams: [DB, { ...DB, name: 'cache', localPort: 15432 }] }, '[test/mesh] upstreams[1].localPort: 15432 is also upstreams[0].localPort, and the proxy\'s listeners share the Pod\'s one network namespace. Give each listener a port of its own.'],
    [{ healthPort: 15006 }, '[test/mesh] healthPort: 15006 is also proxyPort'],
    [{ bootstrapOverrides: 'admin: {}' as any }, '[test/mesh] bootstrapOverrides: "admin: {}" is not an object. Give an object in the shape of Envoy\'s v3 bootstrap, for example { overload_manager: {...} }.'],
    [{ bootstrapOverrides: ['x'] as any }, '[test/mesh] bootstrapOverrides: ["x"] is not an object.'],
  ])('bad props %#', (props, message) => {
    const { chart, workload } = chartWithWeb();
    expect(() => new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, ...props })).toThrow(message);
  });

  test.each<[Partial<MeshProxySidecarProps>, string]>([
    [{ adminPort: 0 }, '[test/mesh] adminPort: 0 is not a port number. Use a whole number from 1 to 65535.'],
    [{ healthPort: 65536 }, '[test/mesh] healthPort: 65536 is not a port number.'],
    [{ appPort: 0 }, '[test/mesh] appPort: 0 is not a port number.'],
    [{ proxyPort: 1.5 }, '[test/mesh] proxyPort: 1.5 is not a port number.'],
    [{ requestTimeout: Duration.millis(1500) }, '[test/mesh] requestTimeout: "1.5s" is not a whole number of seconds.'],
    [{ upstreams: [{ ...DB, requestTimeout: Duration.millis(1500) }] }, '[test/mesh] upstreams[0].requestTimeout: "1.5s" is not a whole number of seconds.'],
    [{ upstreams: [{ ...DB, connectTimeout: Duration.millis(500) }] }, '[test/mesh] upstreams[0].connectTimeout: "0.5s" is not a whole number of seconds.'],
    [{ upstreams: [{ ...DB, protocol: ProxyProtocol.TCP, requestTimeout: Duration.millis(1500) }] }, '[test/mesh] upstreams[0].requestTimeout: "1.5s" is set on a TCP upstream, which has no requests.'],
    [{ upstreams: [DB, { ...DB, localPort: 15433 }] }, '[test/mesh] upstreams[1].name: "db" is the name of two upstreams. Give each upstream a name of its own.'],
    [{ upstreams: [{ ...DB, port: 0 }] }, '[test/mesh] upstreams[0].port: 0 is not a port number.'],
    [{ upstreams: [{ ...DB, localPort: 65536 }] }, '[test/mesh] upstreams[0].localPort: 65536 is not a port number.'],
  ])('bad ports and durations, each under its own field: %#', (props, message) => {
    const { chart, workload } = chartWithWeb();
    expect(() => new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, ...props })).toThrow(message);
  });

  test('timeouts of upstreams by protocol: HTTP 15 s, gRPC none (streams), each as set', () => {
    const { bootstrap } = proxy({
      upstreams: [
        { ...DB, name: 'api', protocol: ProxyProtocol.HTTP },
        { ...DB, name: 'search', localPort: 15433, protocol: ProxyProtocol.GRPC },
        { ...DB, name: 'slow', localPort: 15434, protocol: ProxyProtocol.GRPC, requestTimeout: Duration.minutes(1), connectTimeout: Duration.seconds(3) },
      ],
    });
    const timeout = (name: string) => hcm(listener(bootstrap, `upstream-${name}`)).route_config.virtual_hosts[0].routes[0].route.timeout;
    expect([timeout('api'), timeout('search'), timeout('slow')]).toEqual(['15s', '0s', '60s']);
    expect(['api', 'search', 'slow'].map(name => cluster(bootstrap, `upstream-${name}`).connect_timeout)).toEqual(['1s', '1s', '3s']);
  });

  test('an upstream\'s local port taken by the app: the Pod checks name the upstream', () => {
    const { app, chart, workload } = chartWithWeb();
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, upstreams: [{ ...DB, localPort: 8080 }] });
    expect(() => app.synthYaml()).toThrow('containers[web].ports: 8080 is also used by the listener of upstream "db" of container "mesh-proxy" (on 127.0.0.1)');
  });

  test('appPort may be any port one app container declares, not one only a classic sidecar declares', () => {
    const { app, chart } = newChart();
    const workload = web(chart, {
      containers: [
        { name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', ports: [{ number: 8080 }, { number: 9000 }] },
        { name: 'worker', image: 'busybox:1.37.0', command: ['sleep', '3600'] },
      ],
    });
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 9000 });
    expect(() => app.synthYaml()).not.toThrow();

    const other = newChart();
    const workload2 = web(other.chart);
    new Sidecar(other.chart, 'exporter', { workload: workload2, mode: SidecarMode.CLASSIC, image: 'busybox:1.37.0', command: ['httpd', '-f', '-p', '9100'], ports: [{ number: 9100 }] });
    new MeshProxySidecar(other.chart, 'mesh', { workload: workload2, appPort: 9100, mode: SidecarMode.CLASSIC });
    expect(() => other.app.synthYaml()).toThrow('[test/web] appPort: 9100 is not a port that an app container of the workload declares (the mesh proxy "mesh-proxy" forwards inbound traffic to it). '
      + 'Give the app container the port (portNumber or ports), or set appPort to the port the app listens on.');
  });

  test('limits on the good side: retries 0 and 10, an upstream name of 50 characters, an HTTP upstream with a request timeout', () => {
    const retries = (n: number) => hcm(listener(proxy({ retries: n }).bootstrap, 'inbound')).route_config.virtual_hosts[0].routes.map((r: any) => r.route.retry_policy.num_retries);
    expect(retries(0)).toEqual([0, 0]);
    expect(retries(10)).toEqual([10, 10]);
    const name = 'u'.repeat(50);
    const { bootstrap } = proxy({ upstreams: [{ ...DB, name, requestTimeout: Duration.seconds(3) }] });
    expect(cluster(bootstrap, `upstream-${name}`)).toBeDefined();
  });

  test('bindService without an inbound listener', () => {
    const { chart, workload } = chartWithWeb();
    const mesh = new MeshProxySidecar(chart, 'mesh', { workload, upstreams: [DB] });
    const service = new kplus.Service(chart, 'svc', { selector: workload });
    expect(() => mesh.bindService(service)).toThrow('[test/mesh] appPort: (not set) is not set, so the proxy has no inbound listener for a Service to reach. Give appPort, or bind the Service to the app directly.');
  });

  test('nothing to carry', () => {
    const { chart, workload } = chartWithWeb();
    expect(() => new MeshProxySidecar(chart, 'mesh', { workload })).toThrow('[test/mesh] appPort: (not set) is not set and there are no upstreams, so the proxy would carry no traffic. '
      + 'Give appPort (the app port inbound traffic goes to), upstreams (services the app reaches through the proxy), or both.');
  });

  test('a classic drain longer than the grace period', () => {
    const { app, chart } = newChart();
    const workload = web(chart, { terminationGracePeriod: Duration.seconds(10) });
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(10) });
    expect(() => app.synthYaml()).toThrow('[test/web] terminationGracePeriodSeconds: 10 cannot hold the app\'s stop and the sidecars\': 10s for the app containers to exit (appStopTime), then 12s');
  });

  test('a classic drain with the distroless image', () => {
    const { chart, workload } = chartWithWeb();
    expect(() => new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080, kubernetesVersion: KubernetesVersion.V1_28, image: 'envoyproxy/envoy:distroless-v1.37.6' }))
      .toThrow('[test/mesh] image: "envoyproxy/envoy:distroless-v1.37.6" has no bash, which the graceful drain of a classic proxy runs in its preStop hook. '
        + 'Use the Envoy image with a shell (a tag without "distroless-"), native mode (Kubernetes 1.29+), or drainTime: Duration.seconds(0).');
  });

  test('the distroless image: classic without a drain has no preStop hook; native needs no shell', () => {
    const image = 'envoyproxy/envoy:distroless-v1.37.6';
    const classic = proxy({ mode: SidecarMode.CLASSIC, image, drainTime: Duration.seconds(0) }).container;
    expect(classic.lifecycle).toBeUndefined();
    expect(classic.command[0]).toBe('envoy');
    // no shell for the drain wrapper: a preStop sleep of appStopTime + drainTime
    const native = proxy({ image, drainTime: Duration.seconds(5) }).container;
    expect(native.lifecycle.preStop).toEqual({ sleep: { seconds: 15 } });
    expect(native.command[0]).toBe('envoy');
    const withShell = proxy({ drainTime: Duration.seconds(5) }).container;
    expect(withShell.lifecycle).toBeUndefined();
    expect(withShell.command.slice(3, 5)).toEqual(['mesh-proxy', 'envoy']);
    expect(proxy({ mode: SidecarMode.CLASSIC, drainTime: Duration.seconds(0) }).container.lifecycle).toBeUndefined();
  });
});

test('a port of the proxy that an app container declares too: the error names the prop that moves it', () => {
  for (const [port, prop] of [[15006, 'proxyPort'], [15021, 'healthPort']] as const) {
    const { app, chart } = newChart();
    const workload = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', ports: [{ number: 8080 }, { number: port }] }],
    });
    new MeshProxySidecar(chart, 'mesh', { workload, appPort: 8080 });
    expect(() => synth(app)).toThrow(`containers[web].ports: ${port} is also declared by container "mesh-proxy", `
      + `and all containers of a Pod share one network namespace. Move one of them to a free port: set ${prop} of the sidecar "mesh-proxy" to another port.`);
  }
});
