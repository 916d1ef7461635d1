import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';

/**
 * Checks Envoy configuration against Envoy's own v3 API definitions: the .proto files
 * that @grpc/grpc-js-xds ships (deps/envoy-api and what they import), loaded with
 * protobufjs. Stricter than Envoy's JSON parser in one way only: a deprecated field is
 * an error too (Envoy refuses many of them by default). Every unknown field, wrong
 * type, bad enum value, second member of a oneof or unknown `@type` URL is reported
 * with its path.
 */

const DEPS = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const INCLUDE = [
  ...['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map(dir => path.join(DEPS, dir)),
  // google/protobuf/descriptor.proto, for the options the API files declare
  path.dirname(require.resolve('protobufjs/package.json')),
];

/** The extensions a generated bootstrap may name in a typed_config. */
const ENTRY_FILES = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/access_loggers/stream/v3/stream.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/transport_sockets/tls/v3/secret.proto',
  // the file-based SDS files: a DiscoveryResponse holding Secret resources
  'envoy/service/discovery/v3/discovery.proto',
];

let root: protobuf.Root | undefined;

function envoyApi(): protobuf.Root {
  if (!root) {
    const loaded = new protobuf.Root();
    loaded.resolvePath = (origin, target) => {
      if (path.isAbsolute(target)) {
        return target;
      }
      return INCLUDE.map(dir => path.join(dir, target)).find(file => fs.existsSync(file)) ?? target;
    };
    loaded.loadSync(ENTRY_FILES, { keepCase: true });
    loaded.resolveAll();
    root = loaded;
  }
  return root;
}

const INTEGER = ['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32'];
const LONG = ['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'];
const WRAPPERS: { [type: string]: string } = {
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
};

/**
 * The problems of `value` as an instance of the message `typeName`
 * (for example `envoy.config.bootstrap.v3.Bootstrap`); empty when it is valid.
 */
export function envoyProblems(typeName: string, value: unknown): string[] {
  const problems: string[] = [];
  checkMessage(envoyApi().lookupType(typeName), value, typeName, problems);
  return problems;
}

function checkMessage(type: protobuf.Type, value: any, where: string, problems: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: ${JSON.stringify(value)} is not an object (${type.fullName.slice(1)})`);
    return;
  }
  const set: protobuf.Field[] = [];
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = type.fields[key] ?? type.fieldsArray.find(f => camelCase(f.name) === key);
    if (!field) {
      problems.push(`${where}.${key}: no such field in ${type.fullName.slice(1)}`);
      continue;
    }
    if (field.options?.deprecated) {
      problems.push(`${where}.${key}: deprecated in ${type.fullName.slice(1)}`);
    }
    set.push(field);
    checkField(field, fieldValue, `${where}.${key}`, problems);
  }
  for (const oneof of type.oneofsArray) {
    const members = set.filter(f => f.partOf === oneof);
    if (members.length > 1) {
      problems.push(`${where}: ${members.map(f => f.name).join(' and ')} are members of one oneof (${oneof.name})`);
    }
  }
}

function checkField(field: protobuf.Field, value: any, where: string, problems: string[]): void {
  if (field instanceof protobuf.MapField) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${where}: not a map`);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      checkValue(field, item, `${where}[${JSON.stringify(key)}]`, problems);
    }
  } else if (field.repeated) {
    if (!Array.isArray(value)) {
      problems.push(`${where}: not a list`);
      return;
    }
    value.forEach((item, i) => checkValue(field, item, `${where}[${i}]`, problems));
  } else {
    checkValue(field, value, where, problems);
  }
}

function checkValue(field: protobuf.Field, value: any, where: string, problems: string[]): void {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    const ok = typeof value === 'string' ? value in resolved.values : Object.values(resolved.values).includes(value);
    if (!ok) {
      problems.push(`${where}: ${JSON.stringify(value)} is not a value of ${resolved.fullName.slice(1)} (${Object.keys(resolved.values).join(', ')})`);
    }
    return;
  }
  if (resolved instanceof protobuf.Type) {
    const name = resolved.fullName;
    if (WRAPPERS[name]) {
      checkScalar(WRAPPERS[name], value, where, problems);
    } else if (name === '.google.protobuf.Duration') {
      if (typeof value !== 'string' || !/^-?\d+(\.\d{1,9})?s$/.test(value)) {
        problems.push(`${where}: ${JSON.stringify(value)} is not a duration such as "1.5s"`);
      }
    } else if (name === '.google.protobuf.Any') {
      checkAny(value, where, problems);
    } else if (name === '.google.protobuf.Struct') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${where}: not an object (google.protobuf.Struct)`);
      }
    } else if (name !== '.google.protobuf.Value') {
      checkMessage(resolved, value, where, problems);
    }
    return;
  }
  checkScalar(field.type, value, where, problems);
}

function checkAny(value: any, where: string, problems: string[]): void {
  const url = value?.['@type'];
  const prefix = 'type.googleapis.com/';
  if (typeof url !== 'string' || !url.startsWith(prefix)) {
    problems.push(`${where}: an Any needs "@type": "${prefix}<message>"`);
    return;
  }
  let type: protobuf.Type;
  try {
    type = envoyApi().lookupType(url.slice(prefix.length));
  } catch {
    problems.push(`${where}: "${url}" names no message of the Envoy API loaded here`);
    return;
  }
  const { ['@type']: _type, ...rest } = value;
  checkMessage(type, rest, `${where}<${url.slice(prefix.length)}>`, problems);
}

function checkScalar(type: string, value: any, where: string, problems: string[]): void {
  const ok = type === 'string' || type === 'bytes' ? typeof value === 'string'
    : type === 'bool' ? typeof value === 'boolean'
      : INTEGER.includes(type) ? Number.isInteger(value) && (!type.startsWith('u') || value >= 0)
        : LONG.includes(type) ? Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value))
          : typeof value === 'number';
  if (!ok) {
    problems.push(`${where}: ${JSON.stringify(value)} is not a ${type}`);
  }
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}
