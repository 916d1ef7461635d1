import { deployment, messagesOf } from './judge';

const RULE = 'sidecar-ignores-sigterm';
const native = (command: string) => deployment(`initContainers: [{ name: tail, image: "busybox:1.37.0", restartPolicy: Always, command: ${command} }]
containers: [{ name: app, image: "nginx:1.27" }]`);

test.each([
  '["sh", "-c", "trap \'exit 0\' TERM; tail -F /x & wait"]',
  '["sh", "-c", "exec fluent-bit -c /etc/f.conf"]',
  '["fluent-bit"]',
])('a native sidecar that handles SIGTERM passes: %s', command => {
  expect(messagesOf(RULE, native(command))).toEqual([]);
});

test('a native sidecar that runs tail as PID 1', () => {
  expect(messagesOf(RULE, native('["tail", "-F", "/x"]'))).toEqual([
    'initContainers[tail].command: "tail -F /x" ignores SIGTERM as PID 1 of its container (tail has no SIGTERM handler), so the kubelet would wait the whole terminationGracePeriodSeconds for this sidecar at every stop of the Pod. Wrap it: command: Sidecar.exitOnSigterm([...]), or exec a program that handles SIGTERM, or trap TERM in the script.',
  ]);
});

test('a shell script without trap, or that execs sleep', () => {
  expect(messagesOf(RULE, native('["sh", "-c", "while true; do date; sleep 5; done"]'))[0]).toContain('(the sh script sets no trap and execs no program that handles SIGTERM)');
  expect(messagesOf(RULE, native('["sh", "-c", "exec sleep 3600"]'))).toHaveLength(1);
});

test('a Pod that shares its process namespace passes: PID 1 is the pause container', () => {
  expect(messagesOf(RULE, native('["tail", "-F", "/x"]').replace('initContainers:', 'shareProcessNamespace: true\n      initContainers:'))).toEqual([]);
});

test('of a sidecar of this library, the command recorded as PID 1 counts, not the wrapper in the YAML', () => {
  const yaml = deployment(`containers:
- { name: app, image: "nginx:1.27" }
- { name: tail, image: "busybox:1.37.0", command: ["sh", "-c", "wrapper", "tail"] }`);
  expect(messagesOf(RULE, yaml)).toEqual([]);
  expect(messagesOf(RULE, yaml, { sidecars: { tail: { command: ['sleep', '3600'] } } })[0])
    .toMatch(/^containers\[tail\]\.command: "sleep 3600" ignores SIGTERM/);
  // wrapped by the library: no command runs as PID 1
  expect(messagesOf(RULE, native('["tail", "-F", "/x"]'), { sidecars: { tail: {} } })).toEqual([]);
});
