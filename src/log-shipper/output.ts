/**
 * Where the shipper sends records.
 */
export enum LogOutputKind {
  /** The shipper's own stdout, for `kubectl logs` and the node's log collector. */
  STDOUT = 'stdout',
  /** Elasticsearch (or OpenSearch) through the bulk API. */
  ELASTICSEARCH = 'elasticsearch',
  /** Grafana Loki through its push API. */
  LOKI = 'loki',
  /** An OpenTelemetry collector through OTLP/HTTP (`/v1/logs`). */
  OPENTELEMETRY = 'opentelemetry',
  /** Any HTTP endpoint that takes JSON records by POST. */
  HTTP = 'http',
}

/**
 * Basic-auth credentials, read from a Kubernetes Secret into the shipper's
 * environment (`secretKeyRef`); they never appear in the manifests or the config.
 */
export interface OutputCredentials {
  /** The name of the Secret, in the workload's namespace. */
  readonly secretName: string;

  /**
   * The Secret's key holding the user name.
   *
   * @default "username"
   */
  readonly usernameKey?: string;

  /**
   * The Secret's key holding the password.
   *
   * @default "password"
   */
  readonly passwordKey?: string;
}

/**
 * TLS towards the output.
 */
export interface OutputTls {
  /**
   * Verify the server's certificate.
   *
   * @default true
   */
  readonly verify?: boolean;

  /**
   * A Secret holding the CA certificate that signed the server's certificate.
   *
   * @default - the image's trusted CAs (or caConfigMapName)
   */
  readonly caSecretName?: string;

  /**
   * A ConfigMap holding the CA certificate (a CA is not secret; a ConfigMap is enough).
   *
   * @default - the image's trusted CAs (or caSecretName)
   */
  readonly caConfigMapName?: string;

  /**
   * The key of the CA certificate in the Secret or ConfigMap.
   *
   * @default "ca.crt"
   */
  readonly caKey?: string;
}

/**
 * What every network output takes.
 */
export interface NetworkOutputOptions {
  /** The server's host name (a Service name such as `elasticsearch.logging.svc`) or IP address. */
  readonly host: string;

  /**
   * The server's port.
   *
   * @default - the output's usual port: 9200 Elasticsearch, 3100 Loki, 4318 OTLP/HTTP, 80 HTTP
   */
  readonly port?: number;

  /**
   * Use TLS, with these settings.
   *
   * @default - plain HTTP
   */
  readonly tls?: OutputTls;

  /**
   * Basic-auth credentials from a Secret.
   *
   * @default - no authentication
   */
  readonly credentials?: OutputCredentials;
}

/** Options of `LogOutput.elasticsearch`. */
export interface ElasticsearchOutputOptions extends NetworkOutputOptions {
  /** The index to write to (lower case; no spaces, commas, quotes, `/`, `\`, `*`, `?`, `#`, `<`, `>`, `|`). */
  readonly index: string;
}

/** Options of `LogOutput.loki`. */
export interface LokiOutputOptions extends NetworkOutputOptions {
  /**
   * Stream labels with fixed values (Loki indexes labels: keep them few).
   *
   * @default { job: <container name> }
   */
  readonly labels?: { [name: string]: string };

  /**
   * The tenant (`X-Scope-OrgID`) of a multi-tenant Loki.
   *
   * @default - single-tenant
   */
  readonly tenantId?: string;
}

/** Options of `LogOutput.openTelemetry`. */
export interface OpenTelemetryOutputOptions extends NetworkOutputOptions {
}

/** Options of `LogOutput.http`. */
export interface HttpOutputOptions extends NetworkOutputOptions {
  /**
   * The path records are POSTed to.
   *
   * @default "/"
   */
  readonly path?: string;
}

/**
 * Where the records go. Use the static factories.
 */
export class LogOutput {
  /** The shipper's stdout. */
  public static stdout(): LogOutput {
    return new LogOutput(LogOutputKind.STDOUT);
  }

  /** Elasticsearch or OpenSearch, through the bulk API. */
  public static elasticsearch(options: ElasticsearchOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.ELASTICSEARCH, options.host, options.port ?? 9200, options.tls, options.credentials, options.index);
  }

  /** Grafana Loki. */
  public static loki(options: LokiOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.LOKI, options.host, options.port ?? 3100, options.tls, options.credentials,
      undefined, '/loki/api/v1/push', options.labels, options.tenantId);
  }

  /** An OpenTelemetry collector, OTLP over HTTP. */
  public static openTelemetry(options: OpenTelemetryOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.OPENTELEMETRY, options.host, options.port ?? 4318, options.tls, options.credentials, undefined, '/v1/logs');
  }

  /** A generic HTTP endpoint taking JSON. */
  public static http(options: HttpOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.HTTP, options.host, options.port ?? 80, options.tls, options.credentials, undefined, options.path ?? '/');
  }

  private constructor(
    /** Which output. */
    public readonly kind: LogOutputKind,
    /** The server's host. */
    public readonly host?: string,
    /** The server's port. */
    public readonly port?: number,
    /** TLS settings, when TLS is on. */
    public readonly tls?: OutputTls,
    /** Basic-auth credentials. */
    public readonly credentials?: OutputCredentials,
    /** The Elasticsearch index. */
    public readonly index?: string,
    /** The HTTP path. */
    public readonly path?: string,
    /** Loki stream labels. */
    public readonly labels?: { [name: string]: string },
    /** Loki tenant. */
    public readonly tenantId?: string) {
  }
}
