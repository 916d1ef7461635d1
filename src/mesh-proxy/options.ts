import { Duration } from 'cdk8s';

/**
 * What a proxy listener speaks, and how it talks to what is behind it.
 */
export enum ProxyProtocol {
  /** HTTP/1.1 (and HTTP/2 from clients that ask for it) to an HTTP/1.1 backend. */
  HTTP = 'http',
  /** HTTP to a backend that speaks HTTP/2 (cleartext h2c, or h2 over TLS). */
  HTTP2 = 'http2',
  /** gRPC: HTTP/2 to the backend, and no request timeout (streams may last). */
  GRPC = 'grpc',
  /** Plain TCP: bytes forwarded as they are (a database, a message broker). */
  TCP = 'tcp',
}

/**
 * TLS termination of the proxy's inbound listener, from a `kubernetes.io/tls` Secret
 * (what cert-manager writes: `tls.crt`, `tls.key` and `ca.crt`). A renewed Secret is
 * picked up without restarting the Pod.
 */
export interface InboundTls {
  /**
   * The Secret with the server certificate (`tls.crt`) and key (`tls.key`).
   */
  readonly secretName: string;

  /**
   * Require a client certificate signed by the CA in the same Secret's `ca.crt`
   * (mutual TLS, for example between two workloads that both use this construct).
   *
   * @default false
   */
  readonly requireClientCertificate?: boolean;
}

/**
 * TLS from the proxy to an upstream: SNI, and verification of the upstream's
 * certificate against a CA.
 */
export interface UpstreamTls {
  /**
   * The server name sent in the TLS handshake and checked against the certificate.
   *
   * @default - the upstream's host
   */
  readonly sni?: string;

  /**
   * A Secret holding the CA that signed the upstream's certificate, under `caKey`.
   * Exactly one of `caSecretName` and `caConfigMapName` is needed.
   *
   * @default - none
   */
  readonly caSecretName?: string;

  /**
   * A ConfigMap holding the CA, under `caKey`.
   *
   * @default - none
   */
  readonly caConfigMapName?: string;

  /**
   * The key of the CA certificate in the Secret or ConfigMap.
   *
   * @default "ca.crt"
   */
  readonly caKey?: string;

  /**
   * A `kubernetes.io/tls` Secret whose `tls.crt` and `tls.key` the proxy presents as
   * its client certificate (mutual TLS).
   *
   * @default - no client certificate
   */
  readonly clientCertificateSecretName?: string;
}

/**
 * A service the app reaches through the proxy (the ambassador pattern): the proxy
 * listens on 127.0.0.1:`localPort` and forwards to `host`:`port`, resolved by DNS,
 * with timeouts, retries, circuit breaking and outlier detection.
 */
export interface ProxyUpstream {
  /**
   * The upstream's name, used in the proxy's cluster and listener names and stats: a
   * DNS label, unique among the upstreams.
   */
  readonly name: string;

  /**
   * The host: a Service name such as `postgresql.db.svc`, or any DNS name or IP address.
   */
  readonly host: string;

  /**
   * The upstream's port.
   */
  readonly port: number;

  /**
   * The port on 127.0.0.1 where the app reaches the upstream. It is taken in the
   * Pod's whole network namespace.
   */
  readonly localPort: number;

  /**
   * The protocol.
   *
   * @default ProxyProtocol.HTTP
   */
  readonly protocol?: ProxyProtocol;

  /**
   * TLS origination towards the upstream.
   *
   * @default - plain text
   */
  readonly tls?: UpstreamTls;

  /**
   * How long a connection to the upstream may take to open.
   *
   * @default Duration.seconds(1)
   */
  readonly connectTimeout?: Duration;

  /**
   * How long a connection to the upstream may stay idle before the proxy closes it.
   *
   * TCP (a database, a cache): how long no byte may pass either way. The default is no
   * limit, because a proxy that closes a pooled connection the app still holds makes
   * the app's next query on it fail (Envoy's own default, 1 h, does that to idle
   * Postgres and Redis pools, and also cuts a query that runs silently longer); the
   * server, or the app's pool, decides when an idle connection ends, as without the
   * proxy. Instead, TCP keepalive on the upstream connection (probes after 60 s idle,
   * every 10 s, 3 of them) finds a server that went away and keeps cloud load
   * balancers and NATs, which drop idle connections silently after 4 to 20 minutes,
   * from doing so. Set a duration to close idle connections anyway.
   *
   * HTTP, HTTP/2 and gRPC: how long the proxy keeps an idle connection of its pool to
   * the upstream. The default, 4 s, is below the keep-alive timeout of common servers
   * (Node.js, uvicorn and Apache 5 s, nginx 75 s), so that the proxy closes an idle
   * connection before the server does and never sends a request on a connection the
   * server is closing. Whole seconds; 0 turns the limit off.
   *
   * @default - TCP: no limit (with TCP keepalive); HTTP, HTTP/2, gRPC: Duration.seconds(4)
   */
  readonly idleTimeout?: Duration;

  /**
   * How long an HTTP request may take, retries included (not for TCP).
   *
   * @default Duration.seconds(15); none for gRPC
   */
  readonly requestTimeout?: Duration;
}
