import { LogOutputKind } from './output';
import { LogParserKind } from './parser';

/**
 * The program that reads and ships the logs.
 */
export enum LogShipperEngine {
  /** Fluent Bit: small, every output, several at once; every parser. The default. */
  FLUENT_BIT = 'fluent-bit',
  /** Vector: every output but OpenTelemetry, several at once; every parser. */
  VECTOR = 'vector',
  /** Filebeat: Elasticsearch or stdout (one output); JSON and multiline parsing. */
  FILEBEAT = 'filebeat',
  /** busybox `tail -F`: lines to stdout with the Pod's name in front, nothing else. */
  TAIL = 'tail',
}

/**
 * The configuration file format of Fluent Bit.
 */
export enum FluentBitConfigFormat {
  /** The classic `[SECTION]` / `Key Value` format (`fluent-bit.conf`). */
  CLASSIC = 'classic',
  /** The YAML format (`fluent-bit.yaml`). */
  YAML = 'yaml',
}

/**
 * What each engine can do: the outputs it serves, whether it sends every record to
 * several of them, and the parsers it runs.
 *
 * @internal
 */
export const ENGINE_SUPPORT: { [engine: string]: { outputs: LogOutputKind[]; severalOutputs: boolean; parsers: LogParserKind[] } } = {
  [LogShipperEngine.FLUENT_BIT]: {
    outputs: [LogOutputKind.STDOUT, LogOutputKind.ELASTICSEARCH, LogOutputKind.LOKI, LogOutputKind.OPENTELEMETRY, LogOutputKind.HTTP],
    severalOutputs: true,
    parsers: [LogParserKind.NONE, LogParserKind.JSON, LogParserKind.NGINX, LogParserKind.APACHE, LogParserKind.REGEX, LogParserKind.MULTILINE],
  },
  [LogShipperEngine.VECTOR]: {
    outputs: [LogOutputKind.STDOUT, LogOutputKind.ELASTICSEARCH, LogOutputKind.LOKI, LogOutputKind.HTTP],
    severalOutputs: true,
    parsers: [LogParserKind.NONE, LogParserKind.JSON, LogParserKind.NGINX, LogParserKind.APACHE, LogParserKind.REGEX, LogParserKind.MULTILINE],
  },
  [LogShipperEngine.FILEBEAT]: {
    outputs: [LogOutputKind.STDOUT, LogOutputKind.ELASTICSEARCH],
    // Filebeat allows one output per instance
    severalOutputs: false,
    parsers: [LogParserKind.NONE, LogParserKind.JSON, LogParserKind.MULTILINE],
  },
  [LogShipperEngine.TAIL]: {
    outputs: [LogOutputKind.STDOUT],
    severalOutputs: false,
    parsers: [LogParserKind.NONE],
  },
};

/**
 * The engines that support an output or a parser, for error messages.
 *
 * @internal
 */
export function enginesSupporting(kind: 'outputs' | 'parsers', value: string): string {
  return Object.entries(ENGINE_SUPPORT).filter(([, support]) => (support[kind] as string[]).includes(value)).map(([engine]) => engine).join(', ');
}
