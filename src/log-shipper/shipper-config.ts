import * as kplus from 'cdk8s-plus-28';
import { LogOutput } from './output';
import { LogParser } from './parser';

/** Where the generated configuration is mounted in the shipper. */
export const CONFIG_DIR = '/etc/log-shipper';
/**
 * Where the CA certificate of the output is mounted (beside, not inside, the ConfigMap
 * mount); with several outputs, each at its own directory, `-<number>` appended.
 */
export const TLS_DIR = '/etc/log-shipper-tls';
/** The shipper's own emptyDir: read positions and, when asked, the filesystem buffer. */
export const STATE_DIR = '/var/lib/log-shipper';

/**
 * An output as the engines write it: with the names of what carries its credentials
 * and its CA, which differ between the outputs of one shipper.
 *
 * @internal
 */
export interface OutputConfig {
  readonly output: LogOutput;
  /** Its number among several outputs, from 1; undefined for the only one. */
  readonly number?: number;
  /** The environment variables that carry its credentials (set only when it has credentials). */
  readonly usernameEnv: string;
  readonly passwordEnv: string;
  /** The directory its CA certificate is mounted at. */
  readonly tlsDirectory: string;
  /** Its CA file, when one is mounted. */
  readonly caFile?: string;
}

/**
 * The names an output's credentials and CA get: plain for the only output
 * (LOG_OUTPUT_USERNAME, /etc/log-shipper-tls), numbered among several
 * (LOG_OUTPUT_2_USERNAME, /etc/log-shipper-tls-2).
 *
 * @internal
 */
export function outputConfig(output: LogOutput, number: number | undefined): OutputConfig {
  const env = number === undefined ? 'LOG_OUTPUT' : `LOG_OUTPUT_${number}`;
  const tlsDirectory = number === undefined ? TLS_DIR : `${TLS_DIR}-${number}`;
  const tls = output.tls;
  return {
    output,
    number,
    usernameEnv: `${env}_USERNAME`,
    passwordEnv: `${env}_PASSWORD`,
    tlsDirectory,
    caFile: tls && (tls.caSecretName || tls.caConfigMapName) ? `${tlsDirectory}/${tls.caKey ?? 'ca.crt'}` : undefined,
  };
}

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
  /** Where records go: every record to each, in this order. */
  readonly outputs: OutputConfig[];
  /** Record field name to the environment variable holding its value. */
  readonly metadata: Array<[string, string]>;
  /** The memory buffer, MiB (0 for the tail engine, which buffers nothing). */
  readonly memoryBufferMebibytes: number;
  /** The filesystem buffer on the state volume, MiB, when asked: shared equally among the outputs. */
  readonly filesystemBufferMebibytes?: number;
  /** The port of the engine's HTTP API (health, metrics). */
  readonly monitoringPort: number;
  /** The port of Vector's Prometheus exporter, when the user moved it. */
  readonly metricsPort?: number;
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
  /** Ports the engine listens on at 127.0.0.1 only, not declared as container ports. */
  readonly loopbackPorts?: number[];
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
