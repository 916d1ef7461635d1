import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DownwardApiEnv, KubernetesVersion, PodSpecPatches, SharedVolume, Sidecar, SidecarMode } from '../../src';
import { newChart, only, podMetadata, podSpec, synth } from '../util';
import { WORKLOADS } from './workloads';

const TAIL = {
  image: 'busybox:1.37.0',
  command: Sidecar.exitOnSigterm(['tail', '-n+1', '-F', '/var/log/app/app.log']),
};

describe.each(Object.keys(WORKLOADS))('%s', (kind) => {
  test.each([SidecarMode.NATIVE, SidecarMode.CLASSIC])('a %s sidecar with a shared volume', (mode) => {
    const { app, chart } = newChart();
    const workload = WORKLOADS[kind](chart, 'web', mode);
    const logs = new SharedVolume(chart, 'logs', { workload, sizeLimit: Size.mebibytes(256) });
    logs.mount(workload.containers[0], '/var/log/app');
    const sidecar = new Sidecar(chart, 'tail', { workload, mode, ...TAIL });
    sidecar.mount(logs, '/var/log/app');

    const manifests = synth(app);
    const spec = podSpec(only(manifests, workload.apiObject.kind));

    const sidecarList = mode === SidecarMode.NATIVE ? spec.initContainers : spec.containers;
    const entry = sidecarList.find((c: any) => c.name === 'tail');
    expect(entry).toBeDefined();
    if (mode === SidecarMode.NATIVE) {
      expect(entry.restartPolicy).toBe('Always');
      expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    } else {
      expect(entry.restartPolicy).toBeUndefined();
      expect(spec.initContainers).toBeUndefined();
      expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'tail']);
    }
    expect(entry.image).toBe('busybox:1.37.0');
    expect(entry.imagePullPolicy).toBe('IfNotPresent');
    // (a classic Job also mounts its completion signal, see test/sidecar-job)
    expect(entry.volumeMounts).toContainEqual({ name: 'logs', mountPath: '/var/log/app', readOnly: true });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'logs', mountPath: '/var/log/app', readOnly: false });
    expect(spec.volumes).toContainEqual({ name: 'logs', emptyDir: { sizeLimit: '256Mi' } });
    expect(entry.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
    expect(entry.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // a sidecar gets no probe it did not ask for: in native mode one would gate the app
    expect(entry.startupProbe).toBeUndefined();
    expect(entry.readinessProbe).toBeUndefined();
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(manifests).toMatchSnapshot();
  });
});

test('native sidecars keep declaration order, after the init containers declared before them', () => {
  const { app, chart } = newChart();
  const web = new kplus.Deployment(chart, 'web', {
    containers: [{ name: 'app', image: 'nginx:1.27.3' }],
    initContainers: [{ name: 'migrate', image: 'migrate/migrate:v4.18.1' }],
  });
  new Sidecar(chart, 'first', { workload: web, ...TAIL });
  new Sidecar(chart, 'second', { workload: web, ...TAIL });
  // an init container declared after a sidecar starts after it, so it can use it
  web.addInitContainer({ name: 'warmup', image: 'curlimages/curl:8.11.1' });

  const spec = podSpec(only(synth(app), 'Deployment'));
  expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([
    ['migrate', undefined],
    ['first', 'Always'],
    ['second', 'Always'],
    ['warmup', undefined],
  ]);
});

describe('mode', () => {
  test.each([
    [KubernetesVersion.V1_27, 'classic'],
    [KubernetesVersion.V1_28, 'classic'],
    [KubernetesVersion.V1_29, 'native'],
    [KubernetesVersion.of('v1.33.2'), 'native'],
  ])('follows the target version %s', (kubernetesVersion, expected) => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    expect(new Sidecar(chart, 'tail', { workload: web, kubernetesVersion, ...TAIL }).mode).toBe(expected);
  });

  test('is native without a target version', () => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    expect(new Sidecar(chart, 'tail', { workload: web, ...TAIL }).mode).toBe(SidecarMode.NATIVE);
  });

  /** An app whose context sets the target version, as set before any chart is created. */
  const withContextVersion = (value: unknown) => {
    const app = new App();
    app.node.setContext(KubernetesVersion.CONTEXT_KEY, value);
    const chart = new Chart(app, 'test');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    return { app, chart, web };
  };

  test('follows the version set once in the app context', () => {
    const { app, chart, web } = withContextVersion('1.28');
    const sidecar = new Sidecar(chart, 'tail', { workload: web, ...TAIL });
    expect(sidecar.mode).toBe(SidecarMode.CLASSIC);
    expect(podSpec(only(synth(app), 'Deployment')).containers.map((c: any) => c.name)).toEqual(['main', 'tail']);
  });

  test('native mode on a version without native sidecars is an error', () => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    expect(() => new Sidecar(chart, 'tail', { workload: web, mode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_28, ...TAIL }))
      .toThrow('[test/tail] mode: "native" needs Kubernetes 1.29 or newer, but the target version is 1.28. Use SidecarMode.CLASSIC');
  });

  test.each(['1.x', '1', '1.30x', 'x1.30', '1.30.4.5', 'v1.30-rc.1', '1.30.', ''])('a malformed version is an error: %j', version => {
    expect(() => KubernetesVersion.of(version))
      .toThrow(`kubernetesVersion: ${JSON.stringify(version)} is not a Kubernetes version. Write it as major.minor, for example "1.30".`);
  });

  test.each([['1.30', '1.30'], ['v1.30', '1.30'], ['1.30.4', '1.30'], ['v1.30.12', '1.30'], [' 1.31 ', '1.31'], ['2.0', '2.0']])('KubernetesVersion.of(%j) is %s', (text, version) => {
    expect(KubernetesVersion.of(text).toString()).toBe(version);
  });

  test('versions compare by major, then minor; native sidecars from 1.29, the sleep action from 1.30', () => {
    const [v127, v129, v130, v2] = ['1.27', '1.29', '1.30', '2.0'].map(v => KubernetesVersion.of(v));
    expect(v2.compare(v130)).toBeGreaterThan(0);
    expect(KubernetesVersion.of('0.99').compare(v127)).toBeLessThan(0);
    expect(v130.compare(v129)).toBe(1);
    expect(v129.compare(KubernetesVersion.V1_29)).toBe(0);
    expect([v127, v129, v130, v2].map(v => v.supportsNativeSidecars)).toEqual([false, true, true, true]);
    expect([v127, v129, v130, v2].map(v => v.supportsSleepAction)).toEqual([false, false, true, true]);
  });

  test.each([['1.x', '"1.x"'], [1.3, '1.3'], [true, 'true']])('a context version that is not a version as text is an error naming the sidecar: %j', (value, shown) => {
    const { chart, web } = withContextVersion(value);
    expect(() => new Sidecar(chart, 'tail', { workload: web, ...TAIL }))
      .toThrow(`[test/tail] context "cdk8s-sidecars:kubernetesVersion": ${shown} is not a Kubernetes version written as text. Set it to "major.minor" in quotes, for example app.node.setContext(KubernetesVersion.CONTEXT_KEY, '1.30').`);
  });

  test('a version given as a prop wins over the context', () => {
    const { chart, web } = withContextVersion('not a version');
    expect(new Sidecar(chart, 'tail', { workload: web, kubernetesVersion: KubernetesVersion.V1_28, ...TAIL }).mode).toBe(SidecarMode.CLASSIC);
  });
});

describe('downward API', () => {
  test('env from fieldRef and resourceFieldRef, and a labels/annotations volume', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new Sidecar(chart, 'tail', {
      workload: web,
      ...TAIL,
      downwardApiEnv: Object.values(DownwardApiEnv),
      podMetadataPath: '/etc/podinfo',
    });
    const spec = podSpec(only(synth(app), 'Deployment'));
    const sidecar = spec.initContainers[0];
    expect(sidecar.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'POD_SERVICE_ACCOUNT', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
      { name: 'CPU_LIMIT_MILLICORES', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m', containerName: 'tail' } } },
      { name: 'MEMORY_LIMIT_MEBIBYTES', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi', containerName: 'tail' } } },
    ]);
    expect(sidecar.volumeMounts).toEqual([{ name: 'tail-podinfo', mountPath: '/etc/podinfo', readOnly: true }]);
    expect(spec.volumes).toEqual([{
      name: 'tail-podinfo',
      downwardAPI: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
        ],
      },
    }]);
  });

  test('no downward-API env unless asked', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new Sidecar(chart, 'tail', { workload: web, ...TAIL });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers[0].env).toBeUndefined();
  });
});

describe('config files', () => {
  const checksum = (files: { [name: string]: string }) => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new Sidecar(chart, 'tail', { workload: web, ...TAIL }).addConfigFiles('/etc/tail', files);
    return podMetadata(only(synth(app), 'Deployment')).annotations['checksum.cdk8s-sidecars/tail'];
  };

  test('the checksum depends on the files, not on the order they were given in', () => {
    const ab = checksum({ 'a.conf': 'one', 'b.conf': 'two' });
    expect(ab).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ 'b.conf': 'two', 'a.conf': 'one' })).toBe(ab);
    expect(checksum({ 'a.conf': 'two', 'b.conf': 'one' })).not.toBe(ab);
    // name and content are kept apart: moving a character from one to the other changes it
    expect(checksum({ 'a.con': 'fone', 'b.conf': 'two' })).not.toBe(ab);
  });
});

describe('escape hatches and overrides', () => {
  test('resources and security context fields replace the defaults', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new Sidecar(chart, 'tail', {
      workload: web,
      ...TAIL,
      resources: {
        cpu: { request: kplus.Cpu.millis(5), limit: kplus.Cpu.millis(50) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
      },
      securityContext: { user: 1000, readOnlyRootFilesystem: false },
    });
    const sidecar = podSpec(only(synth(app), 'Deployment')).initContainers[0];
    expect(sidecar.resources).toEqual({ requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } });
    expect(sidecar.securityContext.runAsUser).toBe(1000);
    expect(sidecar.securityContext.runAsGroup).toBe(65532);
    expect(sidecar.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(sidecar.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('an unpinned image is accepted when allowed, and then always pulled', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new Sidecar(chart, 'tail', { workload: web, ...TAIL, image: 'busybox:latest', allowUnpinnedImage: true });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers[0].imagePullPolicy).toBe('Always');
  });

  test('a digest pins an image', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    const image = 'busybox@sha256:' + 'a'.repeat(64);
    new Sidecar(chart, 'tail', { workload: web, ...TAIL, image });
    const sidecar = podSpec(only(synth(app), 'Deployment')).initContainers[0];
    expect(sidecar.image).toBe(image);
    expect(sidecar.imagePullPolicy).toBe('IfNotPresent');
  });

  test('ports add no startup probe; an explicit one is kept', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new Sidecar(chart, 'plain', { workload: web, ...TAIL, ports: [{ number: 9000 }] });
    const startup = kplus.Probe.fromTcpSocket({ port: 9001 });
    new Sidecar(chart, 'gated', { workload: web, ...TAIL, ports: [{ number: 9001 }], startup });
    const [plain, gated] = podSpec(only(synth(app), 'Deployment')).initContainers;
    expect(plain.ports).toEqual([{ containerPort: 9000 }]);
    expect(plain.startupProbe).toBeUndefined();
    expect(gated.startupProbe.tcpSocket).toEqual({ port: 9001 });
  });

  test('shareProcessNamespace through PodSpecPatches, on every workload kind', () => {
    for (const kind of Object.keys(WORKLOADS)) {
      const { app, chart } = newChart();
      const workload = WORKLOADS[kind](chart, 'web');
      new Sidecar(chart, 'tail', { workload, ...TAIL });
      PodSpecPatches.shareProcessNamespace(workload);
      expect(podSpec(only(synth(app), workload.apiObject.kind)).shareProcessNamespace).toBe(true);
    }
  });
});
