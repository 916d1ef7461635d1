import { ApiObject, Duration, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as yaml from 'yaml';
import { BootstrapConfig, ENVOY_CONFIG_DIR, ENVOY_TLS_DIR, UpstreamConfig, renderBootstrap } from './bootstrap';
import { proxyNetworkPolicy } from './network-policy';
import { InboundTls, ProxyProtocol, ProxyUpstream, UpstreamTls } from './options';
import { fail } from '../core/errors';
import { knownWithoutShell } from '../core/images-without-shell';
import { MetricsOptions, MetricsRank, announceMetrics, checkKindMetricsPort } from '../core/metrics';
import { SidecarMode } from '../core/mode';
import { podRecord, recordPortProp } from '../core/pod-record';
import { parseQuantity } from '../core/quantity';
import { sidecarResources } from '../core/resources';
import { Sidecar, SidecarOptions, appStopSecondsOf, sidecarMode } from '../core/sidecar';
import { checkObjectName, checkPort, isConfigKey, isDnsLabel, isHost, isPlainObject, wholeSeconds } from '../core/validate';

/**
 * Props of a `MeshProxySidecar`.
 */
export interface MeshProxySidecarProps extends SidecarOptions {
  /**
   * The port of an app container that inbound traffic goes to: the proxy listens on
   * `proxyPort` and forwards to 127.0.0.1:`appPort`. It must be a port an app
   * container of the workload declares.
   *
   * @default - no inbound listener: the proxy only serves `upstreams` (an ambassador)
   */
  readonly appPort?: number;

  /**
   * The port the proxy takes inbound traffic on; give it to Services with
   * `bindService`.
   *
   * @default 15006
   */
  readonly proxyPort?: number;

  /**
   * What the inbound listener speaks, and how it talks to the app.
   *
   * @default ProxyProtocol.HTTP
   */
  readonly protocol?: ProxyProtocol;

  /**
   * How long an inbound HTTP request may take, retries included.
   *
   * @default Duration.seconds(15); none for gRPC (streams may last)
   */
  readonly requestTimeout?: Duration;

  /**
   * How often an inbound HTTP request is retried when the app refuses the connection
   * or the stream (any method), or answers 503 (idempotent methods only).
   *
   * @default 2
   */
  readonly retries?: number;

  /**
   * TLS termination of inbound traffic, from a `kubernetes.io/tls` Secret.
   *
   * @default - plain text
   */
  readonly inboundTls?: InboundTls;

  /**
   * Make the proxy the only way into the app from other Pods: a NetworkPolicy that
   * selects the workload's Pods (by their template's labels) and admits ingress only
   * on the proxy's port and on the metrics ports (container ports named `*-metrics`:
   * the proxy's health port, the other sidecars' metrics), not on `appPort`. The app
   * still listens on the Pod IP, so its own probes keep working: Kubernetes always
   * admits traffic from the Pod's node, the kubelet's included. Trade-offs: it takes
   * a network plugin that enforces NetworkPolicy; NetworkPolicies add up, so another
   * one that admits more reopens the app port; Pods on the host network count as the
   * node where they run. Needs `appPort`.
   *
   * @default false
   */
  readonly appOnlyThroughProxy?: boolean;

  /**
   * Services the app reaches through the proxy on 127.0.0.1.
   *
   * @default - none
   */
  readonly upstreams?: ProxyUpstream[];

  /**
   * The port of Envoy's admin interface, bound to 127.0.0.1 only (it still takes the
   * port in the Pod's network namespace).
   *
   * @default 15000
   */
  readonly adminPort?: number;

  /**
   * The port on the Pod IP that answers `/ready` (Envoy's readiness, for the probes),
   * `/healthz/live` and `/stats/prometheus` (the metrics).
   *
   * @default 15021
   */
  readonly healthPort?: number;

  /**
   * The proxy's Prometheus endpoint, `/stats/prometheus` on `healthPort` (the container
   * port `proxy-metrics`). Set `announce: false` to keep the proxy out of the Pod's
   * `prometheus.io/*` annotations (see the README's "Metrics" for which sidecar they
   * name).
   *
   * @default - announced when its turn comes
   */
  readonly metrics?: MetricsOptions;

  /**
   * The Envoy image, pinned.
   *
   * @default MeshProxySidecar.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * Whether `image` has `/bin/sh` and `bash` (a classic proxy drains through a bash
   * preStop hook, and a classic proxy of a Job is wrapped in a shell script).
   *
   * @default - false for an image known to have no shell (Envoy's distroless
   * variant), true otherwise
   */
  readonly shell?: boolean;

  /**
   * How long the proxy keeps taking requests, telling clients to go away, before it
   * is told to stop.
   *
   * Native (default): the kubelet stops the proxy only after every app container has
   * exited, so the app keeps its inbound and outbound paths through its whole
   * shutdown; there is nothing left to drain to, and Envoy exits on SIGTERM at once.
   * A drain here only delays that, for sidecars declared after the proxy.
   *
   * Classic: the kubelet stops the proxy together with the app. Its preStop hook starts
   * Envoy's graceful drain of the inbound listener (`/drain_listeners?graceful&inboundonly`:
   * HTTP/1.1 clients get `Connection: close`, HTTP/2 clients GOAWAY) and waits
   * `appStopTime` plus this long before SIGTERM, while outbound listeners keep serving
   * the app through its shutdown.
   *
   * It counts against the Pod's grace period, checked at synth.
   *
   * @default - none in native mode, Duration.seconds(5) in classic mode
   */
  readonly drainTime?: Duration;

  /**
   * Deep-merged into the generated Envoy bootstrap (objects merge key by key, lists
   * and values replace): the escape hatch for any Envoy setting the props do not
   * reach. Names follow Envoy's v3 API (`static_resources`, `overload_manager`...).
   *
   * @default - the generated bootstrap as it is
   */
  readonly bootstrapOverrides?: { [key: string]: any };
}

/**
 * Options of `MeshProxySidecar.bindService`.
 */
export interface MeshProxyServiceOptions {
  /**
   * The Service port.
   *
   * @default - the proxy port
   */
  readonly port?: number;

  /**
   * The Service port's name.
   *
   * @default - "https" with inbound TLS, else "http", "grpc" or "tcp" after the protocol
   */
  readonly name?: string;
}

const DEFAULT_PROXY_PORT = 15006;
const DEFAULT_ADMIN_PORT = 15000;
const DEFAULT_HEALTH_PORT = 15021;
// below the keep-alive timeout of common HTTP servers (Node.js, uvicorn, Apache: 5 s)
const HTTP_UPSTREAM_IDLE_SECONDS = 4;
const CLASSIC_DRAIN_SECONDS = 5;
const BOOTSTRAP_HEADER = '# Generated by cdk8s-sidecars.\n';

/**
 * An Envoy proxy beside the app, configured in the manifests (no control plane): it
 * starts before the app and stops after it, terminates inbound traffic (HTTP, HTTP/2,
 * gRPC or TCP, TLS and mutual TLS from cert-manager Secrets) and forwards it to the
 * app on 127.0.0.1, and gives the app local listeners for its upstreams, with
 * timeouts, retries, circuit breaking, outlier detection and TLS origination.
 *
 * Start: a native sidecar whose startupProbe asks Envoy's `/ready` every second for up
 * to ten minutes, so that the kubelet starts the containers declared after it (init
 * containers and the app) only once the proxy serves. Create it before any init
 * container that uses the network: a regular init container declared before it is a
 * synth-time error. A readinessProbe (it serves the Pod's traffic) and a
 * livenessProbe on Envoy's own listener complete it.
 *
 * Stop: native sidecars stop after the app containers, so the app keeps its paths
 * while it shuts down (see `drainTime` for classic mode). In a SidecarJob the Job
 * completes; classic sidecars of a Job are stopped by the completion signal.
 *
 * Resources: requests 100m/128Mi, limits 1000m/512Mi; Envoy's worker threads follow
 * the CPU limit (`--concurrency`). Restricted security context, read-only root.
 * Access log: one JSON line per request on stdout. Metrics: `/stats/prometheus` on
 * the health port, announced with `prometheus.io/*` unless the Pod has them already.
 */
export class MeshProxySidecar extends Construct {
  /** The Envoy image used unless `image` says otherwise. */
  public static readonly DEFAULT_IMAGE = 'envoyproxy/envoy:v1.37.6';

  /** The default container name. */
  public static readonly DEFAULT_CONTAINER_NAME = 'mesh-proxy';

  /** The sidecar. */
  public readonly sidecar: Sidecar;

  /** The port inbound traffic enters on, when there is an inbound listener. */
  public readonly proxyPort?: number;

  /** The NetworkPolicy of `appOnlyThroughProxy`, when it is set. */
  public readonly networkPolicy?: ApiObject;

  private readonly protocol: ProxyProtocol;
  private readonly tls: boolean;
  private readonly bootstrapYaml: string;

  constructor(scope: Construct, id: string, props: MeshProxySidecarProps) {
    super(scope, id);
    const name = props.containerName ?? MeshProxySidecar.DEFAULT_CONTAINER_NAME;
    const image = props.image ?? MeshProxySidecar.DEFAULT_IMAGE;
    const shell = props.shell ?? !knownWithoutShell(image);
    const mode = sidecarMode(this, props);
    this.protocol = props.protocol ?? ProxyProtocol.HTTP;
    this.tls = props.inboundTls !== undefined;
    const adminPort = checkPort(this, 'adminPort', props.adminPort ?? DEFAULT_ADMIN_PORT);
    const healthPort = checkPort(this, 'healthPort', props.healthPort ?? DEFAULT_HEALTH_PORT);
    checkKindMetricsPort(this, props.metrics, 'healthPort');
    const upstreams = this.resolveUpstreams(props.upstreams ?? []);
    if (props.appPort === undefined && upstreams.length === 0) {
      fail(this, 'appPort', props.appPort, 'is not set and there are no upstreams, so the proxy would carry no traffic',
        'Give appPort (the app port inbound traffic goes to), upstreams (services the app reaches through the proxy), or both.');
    }
    if (props.appPort === undefined && (props.inboundTls || props.proxyPort !== undefined)) {
      fail(this, 'appPort', props.appPort, 'is not set, but inboundTls or proxyPort is, which only an inbound listener uses', 'Give appPort, or remove the inbound settings.');
    }
    const retries = props.retries ?? 2;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
      fail(this, 'retries', retries, 'is not a whole number from 0 to 10', 'Use 0 to turn retries off, or a small number such as 2.');
    }
    let inbound: BootstrapConfig['inbound'];
    if (props.appPort !== undefined) {
      this.proxyPort = checkPort(this, 'proxyPort', props.proxyPort ?? DEFAULT_PROXY_PORT);
      inbound = {
        proxyPort: this.proxyPort,
        appPort: checkPort(this, 'appPort', props.appPort),
        protocol: this.protocol,
        requestTimeoutSeconds: wholeSeconds(this, 'requestTimeout', props.requestTimeout ?? Duration.seconds(this.protocol === ProxyProtocol.GRPC ? 0 : 15)),
        retries,
        tls: props.inboundTls && this.inboundTls(props.inboundTls),
      };
    }
    this.checkDistinctPorts([
      ['proxyPort', inbound?.proxyPort], ['adminPort', adminPort], ['healthPort', healthPort],
      ...upstreams.map((u, i) => [`upstreams[${i}].localPort`, u.localPort] as [string, number]),
    ]);

    const rendered = renderBootstrap({ adminPort, healthPort, inbound, upstreams });
    const files: { [name: string]: string } = {
      'envoy.yaml': BOOTSTRAP_HEADER + Yaml.stringify(merge(rendered.bootstrap, props.bootstrapOverrides ?? {}, this)),
    };
    // kept as text only: a parsed copy would double what each proxy holds in memory
    this.bootstrapYaml = files['envoy.yaml'];
    for (const [fileName, content] of Object.entries(rendered.sdsFiles)) {
      files[fileName] = Yaml.stringify(content);
    }

    const resources = props.resources ?? sidecarResources(100, 1000, 128, 512);
    const classic = mode === SidecarMode.CLASSIC;
    const drainSeconds = wholeSeconds(this, 'drainTime', props.drainTime ?? Duration.seconds(classic ? CLASSIC_DRAIN_SECONDS : 0));
    if (classic && drainSeconds > 0 && !shell) {
      fail(this, 'image', image, 'has no bash, which the graceful drain of a classic proxy runs in its preStop hook',
        'Use the Envoy image with a shell (a tag without "distroless-"), native mode (Kubernetes 1.29+), or drainTime: Duration.seconds(0).');
    }
    const health = (path: string, period: number, failures: number) => kplus.Probe.fromHttpGet(path, {
      port: healthPort, periodSeconds: Duration.seconds(period), timeoutSeconds: Duration.seconds(1), failureThreshold: failures,
    });
    const ports: kplus.ContainerPort[] = [{ number: healthPort, name: 'proxy-metrics' }];
    if (inbound) {
      ports.unshift({ number: inbound.proxyPort, name: `${this.serviceScheme()}-proxy` });
    }
    this.sidecar = new Sidecar(this, 'Sidecar', {
      ...props,
      // announced by this construct, with its own rank
      metrics: undefined,
      containerName: name,
      image,
      shell,
      command: [
        'envoy', '-c', `${ENVOY_CONFIG_DIR}/envoy.yaml`,
        '--concurrency', String(concurrency(resources)),
        '--drain-time-s', String(Math.max(drainSeconds, 1)), '--drain-strategy', 'immediate',
        '--disable-hot-restart', '--log-level', 'info',
      ],
      ports,
      resources,
      // the kubelet starts what comes after the proxy once Envoy is ready: every second, for ten minutes
      startup: health('/ready', 1, 600),
      readiness: health('/ready', 5, 3),
      liveness: health('/healthz/live', 10, 3),
      // native: a drain asked for is a preStop sleep; classic: the bash hook below drains and sleeps
      drainTime: classic ? undefined : Duration.seconds(drainSeconds),
      // classic: the Pod checks add appStopTime to the hook's drain
      stopTime: Duration.seconds(classic ? drainSeconds + 2 : 2),
      // the hook sleeps until the app has exited (appStopTime), then drains: outbound keeps serving the app all along
      lifecycle: classic && drainSeconds > 0
        ? { preStop: kplus.Handler.fromCommand(['bash', '-c', drainScript(adminPort, appStopSecondsOf(this, props) + drainSeconds)]) }
        : undefined,
    });
    this.sidecar.addConfigFiles(ENVOY_CONFIG_DIR, files);
    if (props.appOnlyThroughProxy) {
      if (inbound === undefined) {
        fail(this, 'appOnlyThroughProxy', true, 'is set, but appPort is not, so there is no inbound listener to be the only way in',
          'Give appPort (the port the proxy forwards to), or leave appOnlyThroughProxy unset.');
      }
      this.networkPolicy = proxyNetworkPolicy(this, props.workload, inbound.proxyPort, inbound.appPort);
    }
    this.mountTls(name, props.inboundTls, props.upstreams ?? []);

    // what the rules read beside the manifest: listeners the YAML does not declare, and the proxy itself
    const record = podRecord(props.workload);
    record.listeners.push({ port: adminPort, owner: `the admin interface of container "${name}" (on 127.0.0.1)` });
    for (const upstream of upstreams) {
      record.listeners.push({ port: upstream.localPort, owner: `the listener of upstream "${upstream.name}" of container "${name}" (on 127.0.0.1)` });
    }
    record.proxies.push({ container: name, appPort: props.appPort });
    recordPortProp(props.workload, name, healthPort, 'healthPort');
    if (inbound) {
      recordPortProp(props.workload, name, inbound.proxyPort, 'proxyPort');
    }
    announceMetrics(this, props.workload, {
      rank: MetricsRank.MESH_PROXY, container: name, port: healthPort, portName: 'proxy-metrics', path: '/stats/prometheus', announce: props.metrics?.announce ?? true,
    });
  }

  /**
   * The generated Envoy bootstrap, after `bootstrapOverrides`: the content of
   * `envoy.yaml` in the proxy's ConfigMap, as an object (a new copy on each read).
   */
  public get bootstrap(): { [key: string]: any } {
    return yaml.parse(this.bootstrapYaml);
  }

  /**
   * Gives a Service a port that leads into the proxy (its `proxyPort`), so that traffic
   * to the Service enters through the proxy, TLS and retries included.
   *
   * @param service the cdk8s-plus Service that selects the workload's Pods
   * @param options the Service port and its name
   */
  public bindService(service: kplus.Service, options: MeshProxyServiceOptions = {}): void {
    if (this.proxyPort === undefined) {
      fail(this, 'appPort', undefined, 'is not set, so the proxy has no inbound listener for a Service to reach', 'Give appPort, or bind the Service to the app directly.');
    }
    service.bind(options.port ?? this.proxyPort, { targetPort: this.proxyPort, name: options.name ?? this.serviceScheme() });
  }

  private serviceScheme(): string {
    if (this.protocol === ProxyProtocol.TCP) {
      return 'tcp';
    }
    if (this.protocol === ProxyProtocol.GRPC) {
      return 'grpc';
    }
    return this.tls ? 'https' : 'http';
  }

  private checkDistinctPorts(ports: Array<[string, number | undefined]>): void {
    const seen = new Map<number, string>();
    for (const [field, port] of ports) {
      if (port === undefined) {
        continue;
      }
      const other = seen.get(port);
      if (other) {
        fail(this, field, port, `is also ${other}, and the proxy's listeners share the Pod's one network namespace`, 'Give each listener a port of its own.');
      }
      seen.set(port, field);
    }
  }

  private resolveUpstreams(upstreams: ProxyUpstream[]): UpstreamConfig[] {
    const names = new Set<string>();
    return upstreams.map((u, i) => {
      const field = `upstreams[${i}]`;
      if (!isDnsLabel(u.name) || u.name.length > 50) {
        fail(this, `${field}.name`, u.name, 'is not a DNS label of at most 50 characters', 'Use lower-case letters, digits and "-", for example "postgres".');
      }
      if (names.has(u.name)) {
        fail(this, `${field}.name`, u.name, 'is the name of two upstreams', 'Give each upstream a name of its own.');
      }
      names.add(u.name);
      if (!isHost(u.host)) {
        fail(this, `${field}.host`, u.host, 'is not a DNS name or an IP address', 'Give a Service name such as "postgresql.db.svc" (no scheme, no port).');
      }
      const protocol = u.protocol ?? ProxyProtocol.HTTP;
      if (protocol === ProxyProtocol.TCP && u.requestTimeout !== undefined) {
        fail(this, `${field}.requestTimeout`, `${u.requestTimeout.toSeconds({ integral: false })}s`, 'is set on a TCP upstream, which has no requests', 'Remove it, or use an HTTP protocol.');
      }
      return {
        name: u.name,
        host: u.host,
        port: checkPort(this, `${field}.port`, u.port),
        localPort: checkPort(this, `${field}.localPort`, u.localPort),
        protocol,
        connectTimeoutSeconds: wholeSeconds(this, `${field}.connectTimeout`, u.connectTimeout ?? Duration.seconds(1)),
        requestTimeoutSeconds: wholeSeconds(this, `${field}.requestTimeout`, u.requestTimeout ?? Duration.seconds(protocol === ProxyProtocol.GRPC ? 0 : 15)),
        idleTimeoutSeconds: wholeSeconds(this, `${field}.idleTimeout`, u.idleTimeout ?? Duration.seconds(protocol === ProxyProtocol.TCP ? 0 : HTTP_UPSTREAM_IDLE_SECONDS)),
        tls: u.tls && this.upstreamTls(field, u, u.tls),
      };
    });
  }

  private inboundTls(tls: InboundTls): NonNullable<BootstrapConfig['inbound']>['tls'] {
    checkObjectName(this, 'inboundTls.secretName', tls.secretName);
    const directory = `${ENVOY_TLS_DIR}/inbound`;
    return {
      certificate: { name: 'inbound-cert', directory, certificate: true },
      clientCa: tls.requireClientCertificate ? { name: 'inbound-client-ca', directory, caFile: 'ca.crt' } : undefined,
    };
  }

  private upstreamTls(field: string, upstream: ProxyUpstream, tls: UpstreamTls): UpstreamConfig['tls'] {
    if ((tls.caSecretName === undefined) === (tls.caConfigMapName === undefined)) {
      fail(this, `${field}.tls`, { caSecretName: tls.caSecretName, caConfigMapName: tls.caConfigMapName }, 'names no CA or two',
        'Give exactly one of caSecretName and caConfigMapName: the proxy verifies the upstream\'s certificate against it.');
    }
    if (tls.caSecretName !== undefined) {
      checkObjectName(this, `${field}.tls.caSecretName`, tls.caSecretName);
    } else {
      checkObjectName(this, `${field}.tls.caConfigMapName`, tls.caConfigMapName!);
    }
    const caKey = tls.caKey ?? 'ca.crt';
    if (!isConfigKey(caKey)) {
      fail(this, `${field}.tls.caKey`, caKey, 'is not a valid key', 'Use letters, digits and -._ only, for example "ca.crt".');
    }
    const sni = tls.sni ?? upstream.host;
    if (!isHost(sni)) {
      fail(this, `${field}.tls.sni`, sni, 'is not a DNS name', 'Give the name the upstream\'s certificate is for.');
    }
    if (tls.clientCertificateSecretName !== undefined) {
      checkObjectName(this, `${field}.tls.clientCertificateSecretName`, tls.clientCertificateSecretName);
    }
    return {
      sni,
      ca: { name: `upstream-${upstream.name}-ca`, directory: `${ENVOY_TLS_DIR}/upstream-${upstream.name}-ca`, caFile: caKey },
      clientCertificate: tls.clientCertificateSecretName === undefined ? undefined
        : { name: `upstream-${upstream.name}-cert`, directory: `${ENVOY_TLS_DIR}/upstream-${upstream.name}-cert`, certificate: true },
    };
  }

  /** Mounts every Secret and ConfigMap the SDS files point at, read-only, where they point. */
  private mountTls(name: string, inbound: InboundTls | undefined, upstreams: ProxyUpstream[]): void {
    const mount = (dir: string, volumeName: string, source: { secret?: string; configMap?: string }) => {
      const volume = source.secret
        ? kplus.Volume.fromSecret(this, `${volumeName}-volume`, kplus.Secret.fromSecretName(this, `${volumeName}-secret`, source.secret), { name: volumeName })
        : kplus.Volume.fromConfigMap(this, `${volumeName}-volume`, kplus.ConfigMap.fromConfigMapName(this, `${volumeName}-configmap`, source.configMap!), { name: volumeName });
      this.sidecar.container.mount(`${ENVOY_TLS_DIR}/${dir}`, volume, { readOnly: true });
    };
    if (inbound) {
      mount('inbound', `${name}-tls-inbound`, { secret: inbound.secretName });
    }
    upstreams.forEach((u, i) => {
      if (u.tls) {
        mount(`upstream-${u.name}-ca`, `${name}-ca-${i}`, { secret: u.tls.caSecretName, configMap: u.tls.caConfigMapName });
        if (u.tls.clientCertificateSecretName) {
          mount(`upstream-${u.name}-cert`, `${name}-cert-${i}`, { secret: u.tls.clientCertificateSecretName });
        }
      }
    });
  }
}

/**
 * Envoy's worker threads: one per CPU of the limit, rounded up (two without a limit),
 * so that the proxy uses what it may and no more.
 */
function concurrency(resources: kplus.ContainerResources): number {
  const limit = resources.cpu?.limit?.amount;
  // (in thousandths of a CPU, exact)
  const milli = limit === undefined ? undefined : parseQuantity(limit);
  return milli === undefined ? 2 : Math.max(1, Math.ceil(Number(milli) / 1000));
}

/**
 * The classic proxy's preStop hook: starts Envoy's graceful drain of inbound
 * listeners through the admin interface (a POST, over bash's /dev/tcp: the image has
 * no HTTP client), then sleeps while clients go away.
 */
function drainScript(adminPort: number, seconds: number): string {
  return [
    `exec 3<>/dev/tcp/127.0.0.1/${adminPort}`,
    'printf \'POST /drain_listeners?graceful&inboundonly HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n\' >&3',
    'cat <&3 >/dev/null',
    `sleep ${seconds}`,
  ].join('; ');
}

/** `base` with `overrides` merged in: objects key by key, anything else replaced. */
function merge(base: any, overrides: any, scope: Construct): any {
  if (!isPlainObject(overrides)) {
    fail(scope, 'bootstrapOverrides', overrides, 'is not an object', 'Give an object in the shape of Envoy\'s v3 bootstrap, for example { overload_manager: {...} }.');
  }
  const result: any = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    result[key] = isPlainObject(value) && isPlainObject(current) ? merge(current, value, scope) : value;
  }
  return result;
}
