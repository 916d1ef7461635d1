import { judgeManifest, messagesOf } from './judge';

const RULE = 'invalid-suppression';
const pod = (annotation: string | undefined) => ({
  kind: 'Pod',
  metadata: { name: 'p', ...annotation === undefined ? {} : { annotations: { 'cdk8s-sidecars/suppressed-rules': annotation } } },
  spec: { initContainers: [{ name: 'logs', image: 'busybox:1.37.0', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

test('a well-formed annotation passes and suppresses, with its reason', () => {
  const annotation = JSON.stringify({ 'sidecar-without-limits': 'limited by the namespace LimitRange' });
  expect(messagesOf(RULE, pod(annotation))).toEqual([]);
  const judged = judgeManifest(pod(annotation));
  expect(judged.findings.map(f => f.rule)).not.toContain('sidecar-without-limits');
  expect(judged.suppressed).toEqual([expect.objectContaining({ rule: 'sidecar-without-limits', suppressedBecause: 'limited by the namespace LimitRange' })]);
  expect(judgeManifest(pod(undefined)).findings.map(f => f.rule)).toContain('sidecar-without-limits');
});

test('not JSON, an unknown rule, no reason, and the rule itself', () => {
  expect(messagesOf(RULE, pod('sidecar-without-limits')))
    .toEqual([expect.stringMatching(/^metadata\.annotations\[cdk8s-sidecars\/suppressed-rules\]: "sidecar-without-limits" is not a JSON object of rule ids to reasons\. Write a JSON object/)]);
  const messages = messagesOf(RULE, pod(JSON.stringify({ 'no-such-rule': 'x', 'sidecar-without-limits': ' ', 'invalid-suppression': 'x' })));
  expect(messages).toHaveLength(3);
  expect(messages[0]).toMatch(/^metadata\.annotations\[cdk8s-sidecars\/suppressed-rules\]\.no-such-rule: "x" suppresses a rule that does not exist \(or cannot be suppressed\)\. Name one of the rules: pod-spec-shape, /);
  expect(messages[1]).toBe('metadata.annotations[cdk8s-sidecars/suppressed-rules].sidecar-without-limits: " " gives no reason. Say why the rule does not apply to this workload: the reason is what a reviewer reads.');
  expect(messages[2]).toContain('.invalid-suppression: "x" suppresses a rule that does not exist (or cannot be suppressed)');
  // what is malformed suppresses nothing
  expect(judgeManifest(pod(JSON.stringify({ 'sidecar-without-limits': '' }))).findings.map(f => f.rule)).toContain('sidecar-without-limits');
});
