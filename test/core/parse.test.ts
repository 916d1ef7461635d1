import { parseImage } from '../../src/core/image';
import { parseQuantity } from '../../src/core/resources';

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
