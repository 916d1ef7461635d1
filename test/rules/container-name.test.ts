import { deployment, messagesOf } from './judge';

test('DNS labels pass', () => {
  expect(messagesOf('container-name', deployment(`containers: [{ name: app, image: "nginx:1.27" }, { name: ${'x'.repeat(63)}, image: "nginx:1.27" }]`))).toEqual([]);
});

test.each([['Log_Shipper', '"Log_Shipper"'], ['x'.repeat(64), `"${'x'.repeat(64)}"`], ['7', '7']])('%s is no container name', (name, shown) => {
  const messages = messagesOf('container-name', deployment(`containers: [{ name: ${name}, image: "nginx:1.27" }]`));
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatch(/^containers\[.*\]\.name: /);
  expect(messages[0]).toContain(`${shown} is not a valid container name. Use at most 63 lower-case letters`);
});

test('a name with a line break stays on one line, quoted in the field path', () => {
  const messages = messagesOf('container-name', { kind: 'Pod', spec: { containers: [{ name: 'log\nshipper' }] } });
  expect(messages[0]).toMatch(/^containers\["log\\nshipper"\]\.name: "log\\nshipper" is not/);
});
