// Generated engine configurations keep each user value in its own field. Each case is
// rendered twice: with the generated values, and with a plain token in place of each
// value. Where the first is accepted, both must parse (Fluent Bit's classic format, or
// YAML for Vector, Filebeat, Fluent Bit YAML and Envoy), have the same sections, keys and
// list lengths, and differ only where a token stood, by exactly the value: a value that
// added a line, a key or a directive would change the shape.
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import fc from 'fast-check';
import * as yaml from 'yaml';
import { dnsLabel, host, nasty, runs, synthOutcome, workload, opt } from './arbitraries';
import { FluentBitConfigFormat, LogOutput, LogParser, LogShipperEngine, LogShipperSidecar, MeshProxySidecar, ProxyProtocol } from '../../src';
import { parseFluentBitClassic } from '../log-shipper/config-parsers';
import { envoyProblems } from '../mesh-proxy/envoy-schema';

jest.setTimeout(300_000);

/** A generated value, or the token that stands for it in the plain rendering. */
type Pick = (slot: string, value: string) => string;

/** Renders the configuration files of a case; undefined when the construct rejects it. */
function render(build: (chart: Chart, pick: Pick) => { [name: string]: string }, pick: Pick): { [name: string]: string } | undefined {
  let files: { [name: string]: string } | undefined;
  const outcome = synthOutcome(chart => {
    files = build(chart, pick);
  });
  return outcome.synthesized ? files : undefined;
}

/**
 * The plain text with each token replaced by its value; where the library derives a
 * name from a value (an environment variable from a pod label: upper case, other
 * characters as "_"), the upper-case token stands for the derived name.
 */
function withValues(plain: string, tokens: Map<string, string>): string {
  let text = plain;
  for (const [token, value] of tokens) {
    text = text.split(token).join(value).split(token.toUpperCase()).join(value.toUpperCase().replace(/[^A-Z0-9]/g, '_'));
  }
  return text;
}

/**
 * Checks that `actual` has the shape of `plain` and differs only where a token stands,
 * by the value it stands for (in keys as in values).
 */
function sameShape(plain: any, actual: any, tokens: Map<string, string>, where: string): void {
  if (typeof plain === 'string') {
    const expected = withValues(plain, tokens);
    if (actual !== expected) {
      throw new Error(`${where}: ${JSON.stringify(actual)} where ${JSON.stringify(expected)} was expected`);
    }
    return;
  }
  if (Array.isArray(plain)) {
    if (!Array.isArray(actual) || actual.length !== plain.length) {
      throw new Error(`${where}: a list of ${Array.isArray(actual) ? actual.length : 'no'} items where ${plain.length} were expected`);
    }
    plain.forEach((item, i) => sameShape(item, actual[i], tokens, `${where}[${i}]`));
    return;
  }
  if (plain !== null && typeof plain === 'object') {
    const keys = Object.keys(plain);
    const expectedKeys = keys.map(k => withValues(k, tokens));
    if (actual === null || typeof actual !== 'object' || Object.keys(actual).join('\n') !== expectedKeys.join('\n')) {
      throw new Error(`${where}: keys ${JSON.stringify(actual && Object.keys(actual))} where ${JSON.stringify(expectedKeys)} were expected`);
    }
    keys.forEach((key, i) => sameShape(plain[key], actual[expectedKeys[i]], tokens, `${where}.${expectedKeys[i]}`));
    return;
  }
  if (actual !== plain) {
    throw new Error(`${where}: ${JSON.stringify(actual)} where ${JSON.stringify(plain)} was expected`);
  }
}

/**
 * Every string of a Vector config as Vector reads it: `$$` is one `$`, and `$VAR` or
 * `${VAR}` an environment variable (shown as ⟨env VAR⟩). The library uses variables
 * on purpose (the downward-API env); a value that brought one in would differ from
 * the plain rendering at that place.
 */
function asVectorSees(value: any): any {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (match, braced, bare) => match === '$$' ? '$' : `⟨env ${braced ?? bare}⟩`);
  }
  if (Array.isArray(value)) {
    return value.map(asVectorSees);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asVectorSees(v)]));
  }
  return value;
}

function parseFile(name: string, text: string): any {
  if (name === 'vector.yaml') {
    return asVectorSees(yaml.parse(text));
  }
  if (name.endsWith('.yaml') || name.endsWith('.yml')) {
    return yaml.parse(text);
  }
  if (name === 'fluent-bit.conf' || name === 'parsers.conf') {
    return parseFluentBitClassic(text).map(section => [section.name, ...section.entries]);
  }
  throw new Error(`no parser for ${name}`);
}

/**
 * The property: for every case the construct accepts, the rendering with the values has
 * the shape of the rendering with tokens. Returns how many cases were accepted.
 */
function keepsValuesInPlace<T>(arbitrary: fc.Arbitrary<T>, build: (chart: Chart, input: T, pick: Pick) => { [name: string]: string },
  plainValue: (slot: string, index: number, value: string) => string, numRuns: number, check?: (files: { [name: string]: string }) => void): number {
  let accepted = 0;
  fc.assert(fc.property(arbitrary, input => {
    const tokens = new Map<string, string>();
    const actual = render((chart, pick) => build(chart, input, pick), (_slot, value) => value);
    if (!actual) {
      return;
    }
    accepted++;
    // tokens numbered from 0 in each build (synthOutcome builds twice, to compare bytes)
    let n = 0;
    const plain = render((chart, pick) => {
      n = 0;
      return build(chart, input, pick);
    }, (slot, value) => {
      const token = plainValue(slot, n++, value);
      tokens.set(token, value);
      return token;
    });
    if (!plain) {
      throw new Error('the plain rendering, with tokens for the values, was rejected');
    }
    expect(Object.keys(actual).sort()).toEqual(Object.keys(plain).map(name => withValues(name, tokens)).sort());
    for (const name of Object.keys(plain)) {
      sameShape(parseFile(name, plain[name]), parseFile(name, actual[withValues(name, tokens)]), tokens, name);
    }
    check?.(actual);
  }), runs(numRuns));
  return accepted;
}

/** Tokens valid wherever the value stood: lower-case letters and digits, a host of the same kind where a host stood. */
function plainToken(slot: string, index: number, value: string): string {
  switch (slot) {
    // an IPv6 address stands in for one, as URLs put it in brackets
    case 'host': return value.includes(':') ? `fd00::${1000 + index}` : `tok${index}x.example`;
    // a regex parser needs a named group
    case 'pattern': return `(?<tok${index}x>.*)`;
    // a multiline parser's first-line pattern is anchored with "^" unless it is already
    case 'pattern': return `^tok${index}x`;
    default: return `tok${index}x`;
  }
}

describe('log shipper configurations', () => {
  const value = fc.oneof({ weight: 3, arbitrary: dnsLabel }, { weight: 1, arbitrary: nasty });
  const input = fc.record({
    engine: fc.constantFrom(LogShipperEngine.FLUENT_BIT, LogShipperEngine.VECTOR, LogShipperEngine.FILEBEAT),
    format: fc.constantFrom(FluentBitConfigFormat.CLASSIC, FluentBitConfigFormat.YAML),
    output: fc.constantFrom('elasticsearch', 'loki', 'http', 'opentelemetry', 'stdout'),
    host,
    index: value,
    labelKey: value,
    labelValue: value,
    tenantId: value,
    path: fc.oneof(fc.constant('/ingest'), nasty),
    secretName: opt(value),
    usernameKey: value,
    parser: fc.constantFrom('none', 'json', 'regex', 'multiline'),
    pattern: fc.oneof(fc.constant('^(?<level>\\w+) (?<message>.*)$'), nasty),
    podLabel: opt(fc.oneof(fc.constantFrom('app', 'app.kubernetes.io/name'), nasty)),
    file: fc.oneof(fc.constantFrom('app.log', '*.log'), nasty),
  });
  test('Fluent Bit (classic and YAML), Vector and Filebeat keep every value in its field', () => {
    const accepted = keepsValuesInPlace(input, (chart, p, pick) => {
      const credentials = p.secretName !== undefined ? { secretName: pick('name', p.secretName), usernameKey: pick('key', p.usernameKey) } : undefined;
      let output: LogOutput;
      switch (p.output) {
        case 'elasticsearch': output = LogOutput.elasticsearch({ host: pick('host', p.host), index: pick('index', p.index), credentials }); break;
        case 'loki': output = LogOutput.loki({ host: pick('host', p.host), labels: { [pick('label', p.labelKey)]: pick('label', p.labelValue) }, tenantId: pick('tenant', p.tenantId), credentials }); break;
        case 'http': output = LogOutput.http({ host: pick('host', p.host), path: '/' + pick('path', p.path.replace(/^\//, '')), credentials }); break;
        case 'opentelemetry': output = LogOutput.openTelemetry({ host: pick('host', p.host), credentials }); break;
        default: output = LogOutput.stdout();
      }
      const parser = p.parser === 'regex' ? LogParser.regex(pick('pattern', p.pattern))
        : p.parser === 'multiline' ? LogParser.multiline(pick('pattern', p.pattern))
          : p.parser === 'json' ? LogParser.json() : LogParser.none();
      const sidecar = new LogShipperSidecar(chart, 'logs', {
        workload: workload(chart, 'Deployment'),
        engine: p.engine,
        fluentBitConfigFormat: p.engine === LogShipperEngine.FLUENT_BIT ? p.format : undefined,
        logDirectory: '/var/log/app',
        files: [pick('file', p.file)],
        outputs: [output],
        parser,
        podLabels: p.podLabel !== undefined ? [pick('label', p.podLabel)] : undefined,
      });
      return sidecar.configFiles;
    }, plainToken, 5000);
    // eslint-disable-next-line no-console
    console.log(`log shipper configurations: ${accepted} of 5000 cases accepted and checked`);
    expect(accepted).toBeGreaterThan(runs(5000).numRuns! / 20);
  });
});

describe('Envoy bootstrap', () => {
  test('upstream names, hosts, SNI and Secret names stay in their fields, and the bootstrap matches Envoy\'s API', () => {
    const upstream = fc.record({
      name: fc.oneof(dnsLabel, nasty),
      host,
      port: fc.integer({ min: 1, max: 65535 }),
      localPort: fc.integer({ min: 1024, max: 14999 }),
      protocol: fc.constantFrom(...Object.values(ProxyProtocol)),
      sni: opt(host),
      caSecretName: opt(fc.oneof(dnsLabel, nasty)),
    });
    const accepted = keepsValuesInPlace(fc.record({
      upstreams: fc.uniqueArray(upstream, { maxLength: 2, selector: u => u.localPort }),
      inboundSecret: opt(fc.oneof(dnsLabel, nasty)),
    }), (chart, p, pick) => {
      const proxy = new MeshProxySidecar(chart, 'mesh', {
        workload: workload(chart, 'Deployment'),
        appPort: 8080,
        inboundTls: p.inboundSecret !== undefined ? { secretName: pick('name', p.inboundSecret) } : undefined,
        upstreams: p.upstreams.map(u => ({
          name: pick('name', u.name),
          host: pick('host', u.host),
          port: u.port,
          localPort: u.localPort,
          protocol: u.protocol,
          tls: u.sni !== undefined || u.caSecretName !== undefined ? { sni: u.sni && pick('host', u.sni), caSecretName: u.caSecretName && pick('name', u.caSecretName) } : undefined,
        })),
      });
      // the files as they go into the ConfigMap: envoy.yaml and the SDS files
      return (proxy.node.findChild('Sidecar').node.findChild('Config') as kplus.ConfigMap).data;
    }, plainToken, 2000, files => {
      expect(envoyProblems('envoy.config.bootstrap.v3.Bootstrap', yaml.parse(files['envoy.yaml']))).toEqual([]);
    });
    // eslint-disable-next-line no-console
    console.log(`Envoy bootstrap: ${accepted} of 2000 cases accepted and checked`);
    expect(accepted).toBeGreaterThan(runs(2000).numRuns! / 10);
  });
});
