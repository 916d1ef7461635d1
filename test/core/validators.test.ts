// The small validators and parsers every construct uses, given input that is wrong only at its
// end or in its middle (a check that only looks at the first character lets a shell
// metacharacter through) and values on both sides of every limit.
import { Duration } from 'cdk8s';
import { parseImage } from '../../src/core/image';
import { parseQuantity } from '../../src/core/quantity';
import {
  absolutePathProblem, checkObjectName, isConfigKey, isDnsLabel, isHost, isPort, isPortName, isUrlPath, wholeSeconds,
} from '../../src/core/validate';
import { newChart } from '../util';

describe('isDnsLabel', () => {
  test.each(['a', '0', 'log-shipper', 'a1-b2', 'x'.repeat(63)])('accepts %j', name => {
    expect(isDnsLabel(name)).toBe(true);
  });
  test.each(['', 'x'.repeat(64), 'shipper-', '-shipper', 'log_shipper', 'log.shipper', 'logShipper', 'shipper;', 'shipper\n', 'a b'])('refuses %j', name => {
    expect(isDnsLabel(name)).toBe(false);
  });
});

describe('isHost', () => {
  const label63 = 'x'.repeat(63);
  // three labels of 63 and one of 61: 253 characters with the dots, the longest name
  const name253 = `${label63}.${label63}.${label63}.${'y'.repeat(61)}`;
  test.each([
    'db', 'localhost', 'postgresql.db.svc.cluster.local', 'Db.Svc', 'a-b.c-d', `${label63}.svc`, name253,
    '10.0.0.1', '0.0.0.0', '255.255.255.255', '1.2.3.4',
    '::1', 'fd00::1', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1',
  ])('accepts %j', host => {
    expect(isHost(host)).toBe(true);
  });
  test.each([
    '', '...', 'http://es.svc', '$(id).svc', 'db.svc;', 'db;.svc', 'db svc', 'db\n', 'db..svc', '.db', 'db.', 'db-.svc', '-db.svc', 'db_x.svc', `${'x'.repeat(64)}.svc`, `${name253}b`,
    // digits and dots are an IPv4 address to a resolver, and must be a valid one
    '999.999.999.999', '10.0.0.256', '10.0.0', '10.0.0.1.2', '010.0.0.1', '10.0.0.1.', '1234',
    // colons make an IPv6 address
    ':::', '1::2::3', 'fd00::g', 'fe80::1%eth0', 'db.svc:5432', '::1;',
  ])('refuses %j', host => {
    expect(isHost(host)).toBe(false);
  });
  // the longest name is 253 characters, 254 with the trailing dot of its absolute form
  test('an absolute name (trailing dot) only where asked for, and only one dot', () => {
    expect(isHost('db.svc.cluster.local.', true)).toBe(true);
    expect(isHost('db.svc.cluster.local.')).toBe(false);
    expect(isHost('db.svc..', true)).toBe(false);
    expect(isHost(`${name253}.`, true)).toBe(true);
    expect(isHost(`${name253}b.`, true)).toBe(false);
    expect(isHost('10.0.0.1.', true)).toBe(false);
  });
});

describe('isPort', () => {
  test.each([1, 80, 65535])('accepts %j', port => {
    expect(isPort(port)).toBe(true);
  });
  test.each([undefined, 0, -1, 65536, 80.5, NaN])('refuses %j', port => {
    expect(isPort(port)).toBe(false);
  });
});

describe('isPortName', () => {
  test.each(['h', 'http', 'http-metrics', 'metrics-of-tail', '9001a', 'a1'])('accepts %j', name => {
    expect(isPortName(name)).toBe(true);
  });
  test.each(['', 'metrics-of-tail1', '9001', 'metrics-', '-metrics', 'http--metrics', 'Http', 'http_metrics', 'http;'])('refuses %j', name => {
    expect(isPortName(name)).toBe(false);
  });
});

describe('isConfigKey', () => {
  test.each(['ca.crt', 'tls-ca_1.pem', 'k'.repeat(253)])('accepts %j', key => {
    expect(isConfigKey(key)).toBe(true);
  });
  test.each(['', 'k'.repeat(254), 'ca crt', 'ca/crt', 'ca.crt;', 'ca.crt\n', '$(id)'])('refuses %j', key => {
    expect(isConfigKey(key)).toBe(false);
  });
});

describe('isUrlPath', () => {
  test.each(['/', '/_bulk', '/api/v1;x=1', '/a~b!$&()*+,=:@%20/-'])('accepts %j', path => {
    expect(isUrlPath(path)).toBe(true);
  });
  test.each(['', 'api', 'api/v1', 'x/', '/a b', '/a"', '/a?b', '/a#b', "/a'", '/a\n', '/a`id`'])('refuses %j', path => {
    expect(isUrlPath(path)).toBe(false);
  });
});

describe('checkObjectName', () => {
  const label = 'a'.repeat(63);
  const longest = [label, label, label, 'a'.repeat(61)].join('.');
  test.each(['a', 'web-tls', 'ab.c', 'a.b', 'web.tls-ca.v1', 'ab.abcd', longest])('accepts %j', name => {
    const { chart } = newChart();
    expect(() => checkObjectName(chart, 'tls.secretName', name)).not.toThrow();
  });
  test.each(['', 'Web-tls', 'web-', '-web', 'web.', '.web', 'web..tls', 'web.-tls', 'web.tls-', 'web_tls', 'web tls', `${longest}a`])('refuses %j', name => {
    const { chart } = newChart();
    expect(() => checkObjectName(chart, 'tls.secretName', name))
      .toThrow(`[test] tls.secretName: ${JSON.stringify(name)} is not the name of a Secret or ConfigMap. Use lower-case letters, digits, "-" and ".", for example "web-tls".`);
  });
  test('the longest name has 253 characters', () => {
    expect(longest).toHaveLength(253);
  });
});

describe('absolutePathProblem', () => {
  test.each([
    ['/var/log/app', undefined],
    ['/var/log..d/x', undefined],
    ['var/log', 'is not an absolute path'],
    ['/var/log:ro', 'contains ":", which mount paths may not'],
    ['/var/a:b/log', 'contains ":", which mount paths may not'],
    ['/var/../etc', 'contains a ".." component'],
    ['/var/log/..', 'contains a ".." component'],
  ])('%j', (path, problem) => {
    expect(absolutePathProblem(path)).toBe(problem);
  });
});

describe('wholeSeconds', () => {
  test('whole seconds, zero included, pass through', () => {
    const { chart } = newChart();
    expect(wholeSeconds(chart, 'drainTime', Duration.seconds(0))).toBe(0);
    expect(wholeSeconds(chart, 'drainTime', Duration.minutes(2))).toBe(120);
  });
  test('a fraction is an error naming the field and the value', () => {
    const { chart } = newChart();
    expect(() => wholeSeconds(chart, 'drainTime', Duration.millis(1500)))
      .toThrow('[test] drainTime: "1.5s" is not a whole number of seconds. Use Duration.seconds(n) with a whole n: these times are written in whole seconds.');
  });
});

describe('parseImage', () => {
  const digest = `sha256:${'ab12'.repeat(16)}`;
  test.each([
    ['busybox:1.37.0', { repository: 'busybox', tag: '1.37.0' }],
    ['fluent/fluent-bit:3.2.10', { repository: 'fluent/fluent-bit', tag: '3.2.10' }],
    ['registry.example.com:5000/team/app:v1', { repository: 'registry.example.com:5000/team/app', tag: 'v1' }],
    ['localhost/app:v1', { repository: 'localhost/app', tag: 'v1' }],
    ['localhost/tools/debug', { repository: 'localhost/tools/debug' }],
    ['registry.k8s.io:443/pause:3.10', { repository: 'registry.k8s.io:443/pause', tag: '3.10' }],
    ['localhost:5000/app', { repository: 'localhost:5000/app' }],
    [`envoyproxy/envoy@${digest}`, { repository: 'envoyproxy/envoy', digest }],
    [`envoyproxy/envoy:v1.32.3@${digest}`, { repository: 'envoyproxy/envoy', tag: 'v1.32.3', digest }],
    ['a/b__c/d-e/f.g:T_1', { repository: 'a/b__c/d-e/f.g', tag: 'T_1' }],
    [`app:${'t'.repeat(128)}`, { repository: 'app', tag: 't'.repeat(128) }],
    [`${'a'.repeat(255)}:v1`, { repository: 'a'.repeat(255), tag: 'v1' }],
    ['busybox', { repository: 'busybox' }],
    ['localhost:1.0', { repository: 'localhost', tag: '1.0' }],
    ['my.app:v1', { repository: 'my.app', tag: 'v1' }],
    ['a__b/app:v1', { repository: 'a__b/app', tag: 'v1' }],
    ['team/my--app:v1', { repository: 'team/my--app', tag: 'v1' }],
    ['r.x.io/app:v1', { repository: 'r.x.io/app', tag: 'v1' }],
    [`envoy@sha256+b64u:${'ab12'.repeat(8)}`, { repository: 'envoy', digest: `sha256+b64u:${'ab12'.repeat(8)}` }],
  ])('%j', (image, ref) => {
    expect(parseImage(image)).toEqual(ref);
  });
  test.each([
    '', 'Busybox:1', 'Team/app:v1', 'My.App:v1', 'busybox:', 'busybox:1 2', 'busybox:1.0;', '/busybox:1', 'busybox//x:1', 'busybox:-1', `busybox:${'t'.repeat(129)}`, `${'a'.repeat(256)}:v1`,
    'team//app:v1', 'team/app/:v1', 'team/app-:v1', 'team/app.-x:v1', 'team/a___b:v1',
    // a malformed registry: a trailing hyphen, a non-numeric port, an empty label
    'registry-.example.com/app:v1', 'registry.example.com:50a/app:v1', 'registry..example.com/app:v1', 'registry.example.com:/app:v1',
    'envoy@sha256:abc', `envoy@sha256:${'g'.repeat(64)}`, `envoy@${'ab12'.repeat(16)}`, `envoy@sha256:${'ab12'.repeat(16)};`, `envoy@-sha:${'ab12'.repeat(16)}`,
  ])('refuses %j', image => {
    expect(parseImage(image)).toBeUndefined();
  });
});

describe('parseQuantity: exact, in thousandths of the unit', () => {
  test.each([
    ['100m', 100n], ['2', 2000n], ['0.5', 500n], ['.5', 500n], ['128Mi', 128n * 2n ** 20n * 1000n], ['1Gi', 2n ** 30n * 1000n], ['1k', 1000000n],
    ['1e3', 1000000n], ['+3', 3000n], ['-1', -1000n], ['1.25', 1250n], ['.25', 250n], ['1e12', 10n ** 15n], ['1E-3', 1n], ['5e+2', 500000n],
    ['1.5Gi', 3n * 2n ** 29n * 1000n], ['1E', 10n ** 21n], ['0.1', 100n],
  ])('%s is %d', (text, milli) => {
    expect(parseQuantity(text)).toBe(milli);
  });

  test.each(['', 'abc', '1mi', '1 Mi', '1.2.3', 'm', '1e', '1e*3', '1m3', '1Ki1', '1.5.', ' 1', '1 '])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});
