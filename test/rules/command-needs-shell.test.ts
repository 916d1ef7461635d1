import { deployment, messagesOf } from './judge';
import { SIDECAR_WRAPPER_MARK } from '../../src/core/completion';
import { knownWithoutShell } from '../../src/core/images-without-shell';

const RULE = 'command-needs-shell';

test('a classic sidecar wrapper around Fluent Bit\'s distroless image: the command, the image and the fix', () => {
  expect(messagesOf(RULE, deployment(`containers:
- { name: app, image: "nginx:1.27" }
- { name: logs, image: "cr.fluentbit.io/fluent/fluent-bit:4.0.7", command: ["/bin/sh", "-c", "${SIDECAR_WRAPPER_MARK}", logs, /fluent-bit/bin/fluent-bit] }`))).toEqual([
    'containers[logs].command: "/bin/sh" runs a shell, but the image "cr.fluentbit.io/fluent/fluent-bit:4.0.7" has none, so the container fails to start. '
    + 'Use a variant of the image with a shell (a "-debug" or "-dev" tag, Envoy without "distroless"), or a native sidecar (Kubernetes 1.29+), which needs no wrapper; '
    + 'with this library, leave `shell` unset or false so that the wrapper is not written.',
  ]);
});

test.each(['/app/refresh', 'shellcheck'])('%s is no shell', program => {
  expect(messagesOf(RULE, deployment(`containers: [{ name: app, image: "gcr.io/distroless/static:nonroot", command: ["${program}", "-c", "echo"] }]`))).toEqual([]);
});

test.each(['sh', 'bash', '/bin/bash', '/usr/bin/sh', 'ash', 'dash'])('%s is a shell', shell => {
  expect(messagesOf(RULE, deployment(`containers: [{ name: app, image: "gcr.io/distroless/static:nonroot", command: ["${shell}", "-c", "echo"] }]`))).toHaveLength(1);
});

test.each([
  ['a shell image', 'busybox:1.37.0', '["sh", "-c", "echo"]'],
  ['a distroless image running its own program', 'gcr.io/distroless/static:nonroot', '["/app"]'],
  ['no command', 'gcr.io/distroless/static:nonroot', '[]'],
  ['the debug variant', 'gcr.io/distroless/base:debug', '["sh", "-c", "echo"]'],
])('no finding: %s', (_, image, command) => {
  expect(messagesOf(RULE, deployment(`containers: [{ name: app, image: "${image}", command: ${command} }]`))).toEqual([]);
});

test.each([
  ['gcr.io/distroless/static:nonroot', true],
  ['gcr.io/distroless/static:debug', false],
  ['gcr.io/distroless/static:debug-nonroot', false],
  ['cr.fluentbit.io/fluent/fluent-bit:4.0.7', true],
  ['fluent/fluent-bit:4.0.7', true],
  ['cr.fluentbit.io/fluent/fluent-bit:4.0.7-debug', false],
  ['fluent/fluent-bit-plugin:1', false],
  ['envoyproxy/envoy:distroless-v1.37.6', true],
  ['envoyproxy/envoy-distroless:v1.37.6', true],
  ['envoyproxy/envoy:v1.37.6', false],
  ['timberio/vector:0.46.1-distroless-static', true],
  ['timberio/vector:0.46.1-debian', false],
  ['cgr.dev/chainguard/nginx:latest', true],
  ['cgr.dev/chainguard/nginx:latest-dev', false],
  ['gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0', true],
  ['gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0-alpine', false],
  ['registry.k8s.io/pause:3.10', true],
  ['busybox:1.37.0', false],
  // the patterns are anchored: a mirror's path, a tag that only begins like a variant's
  ['mirror.example.com/gcr.io/distroless/static:nonroot', false],
  ['gcr.io/distroless/static:debugged', true],
  ['example.com/fluent/fluent-bit:4.0.7', false],
  ['fluent/fluent-bit', true],
  ['fluent/fluent-bit:4.0.7-debugged', true],
  ['example.com/envoyproxy/envoy:distroless-v1.37.6', false],
  ['example.com/timberio/vector:0.46.1-distroless-static', false],
  ['example.com/cgr.dev/chainguard/nginx:latest', false],
  ['cgr.dev/chainguard/nginx:1-devel', true],
  ['gcr.io/cloud-sql-connectors/cloud-sql-proxy', true],
  ['gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0-alpine3', true],
  ['registry.k8s.io/pause', true],
  [undefined, false],
])('%s: known without a shell: %s', (image, expected) => {
  expect(knownWithoutShell(image)).toBe(expected);
});
