import { deployment, messagesOf } from './judge';

const RULE = 'read-only-shared-volume';

test('an emptyDir every container mounts read-only: the mounts are named, with the fix', () => {
  expect(messagesOf(RULE, deployment(`initContainers:
- { name: shipper, image: "fluent/fluent-bit:4.0.7", restartPolicy: Always, volumeMounts: [{ name: logs, mountPath: /logs, readOnly: true }] }
containers:
- { name: app, image: "nginx:1.27", volumeMounts: [{ name: logs, mountPath: /var/log/nginx, readOnly: true }] }
volumes: [{ name: logs, emptyDir: {} }]`))).toEqual([
    'volumes[logs]: ["initContainers[shipper]","containers[app]"] is an emptyDir that every container mounts read-only, so nothing can write to it and whoever reads it finds it empty. '
    + 'Mount the volume read-write in the container that writes to it (the app that writes its logs, the sidecar that syncs files); read-only in the others.',
  ]);
});

test.each([
  ['one container mounts it read-write', '[{ name: logs, mountPath: /var/log/nginx }]', '{ emptyDir: {} }'],
  ['readOnly false', '[{ name: logs, mountPath: /var/log/nginx, readOnly: false }]', '{ emptyDir: {} }'],
  ['a ConfigMap, which is read-only anyway', '[{ name: logs, mountPath: /etc/app, readOnly: true }]', '{ configMap: { name: c } }'],
])('no finding: %s', (_, appMounts, source) => {
  expect(messagesOf(RULE, deployment(`initContainers:
- { name: shipper, image: "fluent/fluent-bit:4.0.7", restartPolicy: Always, volumeMounts: [{ name: logs, mountPath: /logs, readOnly: true }] }
containers:
- { name: app, image: "nginx:1.27", volumeMounts: ${appMounts} }
volumes: [{ name: logs, ${source.slice(2, -2)} }]`))).toEqual([]);
});

test('each volume by its own mounts: a read-write mount of another volume does not count', () => {
  expect(messagesOf(RULE, deployment(`containers:
- { name: app, image: "nginx:1.27", volumeMounts: [{ name: logs, mountPath: /var/log/nginx, readOnly: true }, { name: tmp, mountPath: /tmp }] }
volumes: [{ name: logs, emptyDir: {} }, { name: tmp, emptyDir: {} }]`))).toEqual([
    'volumes[logs]: ["containers[app]"] is an emptyDir that every container mounts read-only, so nothing can write to it and whoever reads it finds it empty. '
    + 'Mount the volume read-write in the container that writes to it (the app that writes its logs, the sidecar that syncs files); read-only in the others.',
  ]);
});

test('no finding: a volume whose emptyDir is null is no emptyDir', () => {
  expect(messagesOf(RULE, deployment(`containers: [{ name: app, image: "nginx:1.27", volumeMounts: [{ name: logs, mountPath: /logs, readOnly: true }] }]
volumes: [{ name: logs, emptyDir: null }]`))).toEqual([]);
});

test('no finding: an emptyDir no container mounts', () => {
  expect(messagesOf(RULE, deployment(`containers: [{ name: app, image: "nginx:1.27" }]
volumes: [{ name: logs, emptyDir: {} }]`))).toEqual([]);
});
