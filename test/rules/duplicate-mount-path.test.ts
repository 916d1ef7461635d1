import { deployment, messagesOf } from './judge';

test('one volume per path passes, in each container', () => {
  expect(messagesOf('duplicate-mount-path', deployment(`containers:
- { name: app, image: "nginx:1.27", volumeMounts: [{ name: logs, mountPath: /var/log }, { name: tmp, mountPath: /tmp }] }
- { name: other, image: "nginx:1.27", volumeMounts: [{ name: tmp, mountPath: /var/log }] }`))).toEqual([]);
});

test('two volumes at one path name both volumes', () => {
  expect(messagesOf('duplicate-mount-path', deployment('containers: [{ name: app, image: "nginx:1.27", volumeMounts: [{ name: logs, mountPath: /var/log }, { name: data, mountPath: /var/log }] }]'))).toEqual([
    'containers[app].volumeMounts: "/var/log" is the mount path of two volumes in one container ("logs" and "data"). Mount each volume at a path of its own (a sidecar construct mounts its volumes where its props say); for a log shipper whose logDirectory is where the app mounts a volume of its own, name that volume in existingLogVolume to read it instead.',
  ]);
});

test('mounts without a path are left to the mount-path rule', () => {
  expect(messagesOf('duplicate-mount-path', deployment('containers: [{ name: app, image: "nginx:1.27", volumeMounts: [{ name: a }, { name: b }] }]'))).toEqual([]);
});
