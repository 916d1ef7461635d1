import { deployment, messagesOf } from './judge';

const RULE = 'mutable-image-tag';
const FIX = 'Pin the image to a version tag (for example "nginx:1.27.3"), or to a digest ("nginx@sha256:...").';
const WHY = 'the image that runs changes whenever it is pushed again, and with imagePullPolicy Always by default, Pods of one workload may run different code';

function spec(image: string, list = 'containers'): string {
  return list === 'containers'
    ? `containers: [{ name: app, image: "${image}" }]`
    : `initContainers: [{ name: side, image: "${image}", restartPolicy: Always }]\ncontainers: [{ name: app, image: "nginx:1.27" }]`;
}

test.each([
  ['nginx', 'has no tag, which means latest'],
  ['registry.example.com:5000/team/app', 'has no tag, which means latest'],
  ['nginx:latest', 'is tagged latest'],
  ['registry.example.com:5000/team/app:latest', 'is tagged latest'],
  // a last segment that is only a tag: still the tag latest
  ['registry.example.com/team/:latest', 'is tagged latest'],
])('%s: %s', (image, what) => {
  expect(messagesOf(RULE, deployment(spec(image)))).toEqual([`containers[app].image: ${JSON.stringify(image)} ${what}: ${WHY}. ${FIX}`]);
});

test('a sidecar is judged as any container', () => {
  expect(messagesOf(RULE, deployment(spec('envoyproxy/envoy', 'init')))[0]).toMatch(/^initContainers\[side\]\.image: "envoyproxy\/envoy" has no tag/);
});

test.each(['nginx:1.27.3', 'registry.example.com:5000/team/app:2.0', 'nginx@sha256:abc', 'nginx:latest@sha256:abc', 'localhost:5000/app:v1'])('no finding: %s', image => {
  expect(messagesOf(RULE, deployment(spec(image)))).toEqual([]);
});
