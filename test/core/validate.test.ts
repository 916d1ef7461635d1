import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DownwardApiEnv as DownwardApiEnvName, SharedVolume, Sidecar, SidecarErrors } from '../../src';
import { SidecarValidationError } from '../../src/core/errors';
import { podRecord } from '../../src/core/pod-record';
import { newChart, synthErrorLines } from '../util';

const TAIL = { image: 'busybox:1.37.0', command: Sidecar.exitOnSigterm(['sleep', 'infinity']) };

function web(chart: Chart, containers: kplus.ContainerProps[] = [{ name: 'app', image: 'nginx:1.27.3' }]) {
  return new kplus.Deployment(chart, 'web', { containers });
}

/**
 * Synthesizes into a fresh directory and expects a SidecarValidationError with the
 * message, and a problem of that code; nothing may be written.
 */
function expectSynthError(app: App, message: string, code?: string) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecars-'));
  (app as any).outdir = outdir;
  expect(() => app.synth()).toThrow(message);
  expect(fs.readdirSync(outdir)).toEqual([]);
  try {
    app.synth();
  } catch (e) {
    expect(e).toBeInstanceOf(SidecarValidationError);
    const problem = (e as SidecarValidationError).problems.find(p => p.message.includes(message));
    expect(problem).toBeDefined();
    if (code) {
      expect(problem!.code).toBe(code);
    }
  }
}

describe('constructor-time errors name the construct, the field, the value and the fix', () => {
  test('malformed image reference', () => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, image: 'Busy Box:1' }))
      .toThrow('[test/tail] image: "Busy Box:1" is not a valid image reference. Write it as [registry/]repository:tag');
  });

  test(':latest', () => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, image: 'busybox:latest' }))
      .toThrow('[test/tail] image: "busybox:latest" uses the moving tag "latest". Pin a release tag or a digest');
  });

  test('untagged image', () => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, image: 'registry.example.com:5000/tools/busybox' }))
      .toThrow('[test/tail] image: "registry.example.com:5000/tools/busybox" has no tag, so it means "latest". Pin a release tag');
  });

  test('malformed container name', () => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, containerName: 'Log_Shipper' }))
      .toThrow('[test/tail] containerName: "Log_Shipper" is not a valid name. Use at most 63 lower-case letters');
  });

  test('relative path', () => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, podMetadataPath: 'etc/podinfo' }))
      .toThrow('[test/tail] podMetadataPath: "etc/podinfo" is not an absolute path. Give an absolute path');
  });

  test('config files: a relative path, and a container name too long for the config volume\'s', () => {
    const { chart } = newChart();
    const workload = web(chart);
    const tail = new Sidecar(chart, 'tail', { workload, ...TAIL });
    expect(() => tail.addConfigFiles('etc/tail', { 'a.conf': 'x' }))
      .toThrow('[test/tail] config path: "etc/tail" is not an absolute path');
    const long = new Sidecar(chart, 'long', { workload, ...TAIL, containerName: 'c'.repeat(57) });
    expect(() => long.addConfigFiles('/etc/long', { 'a.conf': 'x' }))
      .toThrow(`[test/long] config volume name: "${'c'.repeat(57)}-config" is not a valid name`);
  });

  test('relative shared-volume mount path', () => {
    const { chart } = newChart();
    const workload = web(chart);
    const logs = new SharedVolume(chart, 'logs', { workload });
    expect(() => logs.mount(workload.containers[0], 'var/log'))
      .toThrow('[test/logs] mount path in container "app": "var/log" is not an absolute path');
  });

  test('malformed volume name', () => {
    const { chart } = newChart();
    expect(() => new SharedVolume(chart, 'Logs', { workload: web(chart) }))
      .toThrow('[test/Logs] name: "Logs" is not a valid name');
  });

  test.each([
    ['1.5Mi', Size.kibibytes(1536)], ['0.5Mi', Size.kibibytes(512)], ['0Mi', Size.mebibytes(0)], ['0.1024Mi', Size.gibibytes(0.0001)],
  ])('a shared volume size limit that is not whole MiB: %s', (shown, sizeLimit) => {
    const { chart } = newChart();
    expect(() => new SharedVolume(chart, 'logs', { workload: web(chart), sizeLimit }))
      .toThrow(`[test/logs] sizeLimit: "${shown}" is not a whole number of MiB of at least 1. Use Size.mebibytes(n) with a whole n of 1 or more: these sizes are written in MiB.`);
  });

  test('a shared volume of 1 MiB, the least there is, and of whole GiB', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    new SharedVolume(chart, 'small', { workload, sizeLimit: Size.mebibytes(1) });
    new SharedVolume(chart, 'large', { workload, sizeLimit: Size.gibibytes(2) });
    const volumes = app.synthYaml().match(/sizeLimit: .*/g);
    expect(volumes).toEqual(['sizeLimit: 1Mi', 'sizeLimit: 2048Mi']);
  });

  test('a workload of another chart', () => {
    const app = new App();
    const appChart = new Chart(app, 'apps');
    const other = new Chart(app, 'tools');
    expect(() => new Sidecar(other, 'tail', { workload: web(appChart), ...TAIL }))
      .toThrow('[tools/tail] workload: "apps/web" is in chart "apps", not in this sidecar\'s chart "tools". Create the sidecar in the chart that holds its workload');
  });

  test('an env variable set twice', () => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'tail', {
      workload: web(chart),
      ...TAIL,
      envVariables: { POD_NAME: kplus.EnvValue.fromValue('x') },
      downwardApiEnv: [DownwardApiEnvName.POD_NAME],
    })).toThrow('[test/tail] downwardApiEnv: "POD_NAME" is also set in envVariables. Keep one of the two.');
  });
});

describe('synth-time errors of the whole Pod, and nothing written', () => {
  test('duplicate container names', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, containerName: 'app' });
    expectSynthError(app, '[test/web] containers[app].name: "app" is used by two containers of the Pod (one in initContainers, one in containers). Give every container');
  });

  test('one port in two containers', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart, [{ name: 'app', image: 'nginx:1.27.3', portNumber: 8080 }]), ...TAIL, ports: [{ number: 8080 }] });
    expectSynthError(app, '[test/web] containers[app].ports: 8080 is also declared by container "tail", and all containers of a Pod share one network namespace. Move one of them');
  });

  test('two sidecars on one Pod: its checks run once, each problem reported once', () => {
    const { app, chart } = newChart();
    const workload = web(chart, [{ name: 'app', image: 'nginx:1.27.3', portNumber: 8080 }]);
    new Sidecar(chart, 'a', { workload, ...TAIL, containerName: 'a', ports: [{ number: 8080 }] });
    new Sidecar(chart, 'b', { workload, ...TAIL, containerName: 'b' });
    expect(synthErrorLines(app).filter(line => line.includes('ports: 8080 is also declared'))).toHaveLength(1);
  });

  // found by test/properties: cdk8s-plus threw a bare "Port with number 1 and protocol TCP
  // already exists", and port 0 or a bad port name reached the manifest
  test.each([
    [[{ number: 0 }], '[test/tail] ports[0].number: 0 is not a port number. Use a whole number from 1 to 65535.'],
    [[{ number: 65536 }], '[test/tail] ports[0].number: 65536 is not a port number.'],
    [[{ number: 80.5 }], '[test/tail] ports[0].number: 80.5 is not a port number.'],
    [[{ number: 9000 }, { number: 9000 }], '[test/tail] ports[1].number: 9000 is declared twice (9000/TCP). Declare each port of the container once.'],
    [[{ number: 9000, name: 'metrics' }, { number: 9001, name: 'metrics' }], '[test/tail] ports[1].name: "metrics" names two ports of the container. Give each port a name of its own.'],
    [[{ number: 9000, name: 'Metrics' }], '[test/tail] ports[0].name: "Metrics" is not a port name. Use at most 15 lower-case letters'],
    [[{ number: 9000, name: 'http--metrics' }], '[test/tail] ports[0].name: "http--metrics" is not a port name.'],
    [[{ number: 9000, name: 'metrics-of-tail1' }], '[test/tail] ports[0].name: "metrics-of-tail1" is not a port name.'],
    [[{ number: 9000, name: '9000' }], '[test/tail] ports[0].name: "9000" is not a port name.'],
    [[{ number: 9000, name: 'metrics-' }], '[test/tail] ports[0].name: "metrics-" is not a port name.'],
  ])('sidecar ports %#', (ports, message) => {
    const { chart } = newChart();
    expect(() => new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, ports })).toThrow(message);
  });

  test('ports at their limits are fine: numbers 1 and 65535, names of 15 characters, of one letter, of digits with a letter', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', {
      workload: web(chart),
      ...TAIL,
      ports: [{ number: 1 }, { number: 65535 }, { number: 9000, name: 'metrics-of-tail' }, { number: 9001, name: '9001a' }, { number: 9002, name: 'm' }],
    });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('an app container port out of range, and a bad port name', () => {
    const { app, chart } = newChart();
    const workload = web(chart, [{ name: 'app', image: 'nginx:1.27.3', ports: [{ number: 0 }, { number: 8080, name: 'HTTP' }] }]);
    new Sidecar(chart, 'tail', { workload, ...TAIL });
    expectSynthError(app, '[test/web] containers[app].ports: 0 is not a port number, which the API server refuses. Use a whole number from 1 to 65535.');
    expectSynthError(app, '[test/web] containers[app].ports[8080].name: "HTTP" is not a port name, which the API server refuses.');
  });

  // found by test/properties: a line break in a container name split the message in two
  test('a container name with a line break is quoted in the field', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart, [{ name: 'app\nx', image: 'nginx:1.27.3' }]), ...TAIL });
    expectSynthError(app, '[test/web] containers["app\\nx"].name: "app\\nx" is not a valid container name.');
  });

  test('one port number with two protocols is fine', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'dns', { workload: web(chart, [{ name: 'app', image: 'nginx:1.27.3', ports: [{ number: 53, protocol: kplus.Protocol.TCP }] }]), ...TAIL, ports: [{ number: 53, protocol: kplus.Protocol.UDP }] });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('one mount path twice in a container', () => {
    const { app, chart } = newChart();
    const workload = web(chart);
    const a = new SharedVolume(chart, 'a', { workload });
    const b = new SharedVolume(chart, 'b', { workload });
    const sidecar = new Sidecar(chart, 'tail', { workload, ...TAIL });
    sidecar.mount(a, '/data');
    sidecar.mount(b, '/data');
    expectSynthError(app, '[test/web] initContainers[tail].volumeMounts: "/data" is the mount path of two volumes in one container ("a" and "b"). Mount each volume at a path of its own (a sidecar construct mounts its volumes where its props say); for a log shipper whose logDirectory is where the app mounts a volume of its own, name that volume in existingLogVolume to read it instead.', 'duplicate-mount-path');
  });

  test.each([
    ['data', '[test/web] initContainers[tail].volumeMounts[data].mountPath: "data" is not an absolute path'],
    ['/data:ro', '[test/web] initContainers[tail].volumeMounts[data].mountPath: "/data:ro" contains ":", which mount paths may not. Mount volumes at absolute paths, for example "/var/log/app".'],
    ['/var/log/../etc', '[test/web] initContainers[tail].volumeMounts[data].mountPath: "/var/log/../etc" contains a ".." component.'],
  ])('a mount path added through the escape hatch: %j', (mountPath, message) => {
    const { app, chart } = newChart();
    const workload = web(chart);
    const sidecar = new Sidecar(chart, 'tail', { workload, ...TAIL });
    sidecar.container.mount(mountPath, kplus.Volume.fromEmptyDir(chart, 'v', 'data'));
    expectSynthError(app, message);
  });

  test('a cpu request above its limit', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, resources: { cpu: { request: kplus.Cpu.millis(200), limit: kplus.Cpu.millis(100) } } });
    expectSynthError(app, '[test/web] initContainers[tail].resources.requests.cpu: "200m" is above the limit 100m. Lower the request or raise the limit');
  });

  test('a memory request above its limit', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(128) } } });
    expectSynthError(app, '[test/web] initContainers[tail].resources.requests.memory: "256Mi" is above the limit 128Mi');
  });

  test('a malformed cpu quantity', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, resources: { cpu: { limit: kplus.Cpu.units(-1) } } });
    expectSynthError(app, '[test/web] initContainers[tail].resources.limits.cpu: "-1" is not a Kubernetes quantity of zero or more. Write a non-negative Kubernetes quantity', 'quantity');
  });

  test('a memory size that cdk8s-plus cannot write', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, resources: { memory: { limit: Size.kibibytes(1536) } } });
    expectSynthError(app, '[test/web] initContainers[tail].resources.limits.memory: "1536Ki" is not a whole number of MiB, the unit cdk8s-plus writes it in. Give it in whole mebibytes');
  });

  test('a memory request that cdk8s-plus cannot write is reported with its own field', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, resources: { memory: { request: Size.kibibytes(1536), limit: Size.mebibytes(2) } } });
    expectSynthError(app, '[test/web] initContainers[tail].resources.requests.memory: "1536Ki" is not a whole number of MiB, the unit cdk8s-plus writes it in.');
  });

  test('an app container name that is not a DNS label', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart, [{ name: 'App', image: 'nginx:1.27.3' }]), ...TAIL });
    expectSynthError(app, '[test/web] containers[App].name: "App" is not a valid container name. Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.');
  });

  test('a request equal to its limit is fine, for cpu, memory and ephemeral storage', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', {
      workload: web(chart),
      ...TAIL,
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(100) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) },
        ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
      },
    });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('ephemeral storage: above its limit, and not in whole GiB', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, resources: { ephemeralStorage: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } });
    expectSynthError(app, '[test/web] initContainers[tail].resources.requests.ephemeral-storage: "2Gi" is above the limit 1Gi. Lower the request or raise the limit: Kubernetes rejects a request above its limit.');
    const other = newChart();
    new Sidecar(other.chart, 'tail', { workload: web(other.chart), ...TAIL, resources: { ephemeralStorage: { limit: Size.mebibytes(1536) } } });
    expectSynthError(other.app, '[test/web] initContainers[tail].resources.limits.ephemeral-storage: "1572864Ki" is not a whole number of GiB, the unit cdk8s-plus writes it in. Give it in whole gibibytes, for example Size.gibibytes(1).');
  });

  test('a malformed cpu request is reported with its own field', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart), ...TAIL, resources: { cpu: { request: kplus.Cpu.units(-2), limit: kplus.Cpu.units(1) } } });
    expectSynthError(app, '[test/web] initContainers[tail].resources.requests.cpu: "-2" is not a Kubernetes quantity of zero or more. Write a non-negative Kubernetes quantity, such as "250m", "1", "128Mi" or "1Gi" (cdk8s-plus: Cpu.millis(n), Size.mebibytes(n)).', 'quantity');
  });


  test('a port used by an app container and a sidecar\'s undeclared listener', () => {
    const { app, chart } = newChart();
    const workload = web(chart, [{ name: 'app', image: 'nginx:1.27.3', portNumber: 9901 }]);
    podRecord(workload).listeners.push({ port: 9901, owner: 'the admin interface of container "mesh-proxy"' });
    new Sidecar(chart, 'tail', { workload, ...TAIL });
    expectSynthError(app, '[test/web] containers[app].ports: 9901 is also used by the admin interface of container "mesh-proxy", and all containers of a Pod share one network namespace.', 'port-conflict');
  });

  test('all problems are reported at once, of every workload, each with its code, path, field, value and fix', () => {
    const { app, chart } = newChart();
    new Sidecar(chart, 'tail', { workload: web(chart, [{ name: 'app', image: 'nginx:1.27.3', portNumber: 80 }]), ...TAIL, containerName: 'app', ports: [{ number: 80 }] });
    const other = new kplus.Deployment(chart, 'other', { containers: [{ name: 'Other', image: 'nginx:1.27.3' }] });
    new Sidecar(chart, 'tail2', { workload: other, ...TAIL });
    expect(() => app.synthYaml()).toThrow(/^Validation failed with the following errors:\n  \[test\/web\] [^\n]*used by two containers[\s\S]*also declared by container[\s\S]*\[test\/other\] containers\[Other\]\.name/);
    let error: SidecarValidationError | undefined;
    try {
      app.synthYaml();
    } catch (e) {
      error = e as SidecarValidationError;
    }
    expect(error!.problems.map(p => [p.code, p.path, p.field, p.value])).toEqual([
      ['duplicate-container-name', 'test/web', 'containers[app].name', '"app"'],
      ['port-conflict', 'test/web', 'containers[app].ports', '80'],
      ['container-name', 'test/other', 'containers[Other].name', '"Other"'],
    ]);
    expect(error!.problems[2].fix).toBe('Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.');
    expect([error!.code, error!.path, error!.field, error!.value]).toEqual(['duplicate-container-name', 'test/web', 'containers[app].name', '"app"']);
    expect(error!.name).toBe('SidecarValidationError');
    // the jsii-compatible way to read it
    expect(SidecarErrors.isValidationError(error)).toBe(true);
    expect(SidecarErrors.problemsOf(error)).toEqual(error!.problems);
    expect(SidecarErrors.problemsOf(error)).not.toBe(error!.problems);
  });

  test('SidecarErrors: other errors and values are not validation errors of this library', () => {
    for (const other of [new Error('x'), new TypeError('y'), 'text', undefined, { problems: [{ code: 'x' }] }]) {
      expect(SidecarErrors.isValidationError(other)).toBe(false);
      expect(SidecarErrors.problemsOf(other)).toEqual([]);
    }
  });
});
