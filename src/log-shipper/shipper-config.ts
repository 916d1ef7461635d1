import * as kplus from 'cdk8s-plus-28';
import { LogOutput } from './output';
import { LogParser } from './parser';

/** Where the generated configuration is mounted in the shipper. */
export const CONFIG_DIR = '/etc/log-shipper';
/** Where the CA certificate of the output is mounted (beside, not inside, the ConfigMap mount). */
export const TLS_DIR = '/etc/log-shipper-tls';
/** The shipper's own emptyDir: read positions and, when asked, the filesystem buffer. */
export const STATE_DIR = '/var/lib/log-shipper';
/** The environment variables that carry the output's credentials. */
export const USERNAME_ENV = 'LOG_OUTPUT_USERNAME';
export const PASSWORD_ENV = 'LOG_OUTPUT_PASSWORD';

/**
 * Everything an engine needs to write its configuration, resolved and validated by
 * `LogShipperSidecar`.
 *
 * @internal
 */
export interface ShipperConfig {
  /** The shipper's container name. */
  readonly name: string;
  /** The log directory, as mounted (read-only) in the shipper. */
  readonly logDirectory: string;
  /** Absolute paths or globs of the files to read. */
  readonly paths: string[];
  readonly parser: LogParser;
  readonly output: LogOutput;
  /** Record field name to the environment variable holding its value. */
  readonly metadata: Array<[string, string]>;
  /** The memory buffer, MiB (0 for the tail engine, which buffers nothing). */
  readonly memoryBufferMebibytes: number;
  /** The filesystem buffer on the state volume, MiB, when asked. */
  readonly filesystemBufferMebibytes?: number;
  /** The CA file of the output, when one is mounted. */
  readonly caFile?: string;
  /** The port of the engine's HTTP API (health, metrics). */
  readonly monitoringPort: number;
}

/**
 * What an engine adds to the sidecar.
 *
 * @internal
 */
export interface EngineRendering {
  /** Configuration files, by name, mounted at CONFIG_DIR. */
  readonly files: { [name: string]: string };
  readonly command: string[];
  readonly ports: kplus.ContainerPort[];
  readonly liveness?: kplus.Probe;
  /**
   * The environment variables of the Pod's metadata (ShipperConfig.metadata) that the
   * configuration or command reads: only these are set from the downward API.
   */
  readonly environment: string[];
  /** Port and path of a Prometheus endpoint. */
  readonly metrics?: { port: number; path: string };
  /**
   * The default drain: seconds the engine needs, after the app's last write, to find
   * the file and read the line; the kubelet waits this long (preStop) before SIGTERM.
   */
  readonly drainSeconds: number;
  /** The longest the engine takes to exit after SIGTERM (flushing what it has read). */
  readonly stopSeconds: number;
}

/** The URL of a network output's server, without a path; scheme from its TLS setting. @internal */
export function outputUrl(output: LogOutput): string {
  const host = output.host!.includes(':') ? `[${output.host}]` : output.host;
  return `${output.tls ? 'https' : 'http'}://${host}:${output.port}`;
}
