import { parseImage } from '../../src/core/image';
import { parseQuantity } from '../../src/core/resources';
import { isHost } from '../../src/core/validate';

describe('parseImage', () => {
  test.each([
    ['busybox:1.37.0', { repository: 'busybox', tag: '1.37.0', digest: undefined }],
    ['nicolaka/netshoot:v0.13', { repository: 'nicolaka/netshoot', tag: 'v0.13', digest: undefined }],
    ['registry.k8s.io:443/pause:3.10', { repository: 'registry.k8s.io:443/pause', tag: '3.10', digest: undefined }],
    ['localhost/tools/debug', { repository: 'localhost/tools/debug', tag: undefined, digest: undefined }],
    [`envoyproxy/envoy:v1.32.3@sha256:${'0'.repeat(64)}`, { repository: 'envoyproxy/envoy', tag: 'v1.32.3', digest: `sha256:${'0'.repeat(64)}` }],
  ])('accepts %s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });

  test.each(['', 'Busybox:1', 'busybox:', 'busybox:1 2', 'busybox@sha256:abc', '/busybox:1', 'busybox//x:1', 'a'.repeat(256) + ':1', 'busybox:-1'])('rejects %j', (image) => {
    expect(parseImage(image)).toBeUndefined();
  });
});

describe('parseQuantity', () => {
  test.each([
    ['100m', 0.1], ['2', 2], ['0.5', 0.5], ['.5', 0.5], ['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['1k', 1000], ['1e3', 1000], ['+3', 3],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });

  test.each(['', '-1', 'abc', '1mi', '1 Mi', '1.2.3', 'm'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('isHost', () => {
  test.each(['postgresql.db.svc', 'postgresql.db.svc.cluster.local', '10.0.0.7', 'fd00::1', 'localhost'])('accepts %s', (host) => {
    expect(isHost(host)).toBe(true);
  });

  test.each(['', '...', 'db;id', '$(id).svc', 'http://es.svc', 'a b', '-db.svc', 'db.svc.', 'a'.repeat(64) + '.svc'])('rejects %j', (host) => {
    expect(isHost(host)).toBe(false);
  });

  test('an absolute name (trailing dot) only where asked, within 253 characters with the dot', () => {
    expect(isHost('db.svc.cluster.local.', true)).toBe(true);
    expect(isHost(`${'a.'.repeat(126)}b.`, true)).toBe(false);
    expect(isHost(`${'a.'.repeat(125)}bc.`, true)).toBe(true);
  });
});
