import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogShipperSidecar, MeshProxySidecar, PodPlan, Sidecar } from '../../src';
import { formatQuantity, parseQuantity } from '../../src/plan/quantity';
import { newChart } from '../util';

/** A Pod manifest with these containers (resources as given). */
function pod(spec: any, metadata: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec };
}
const c = (name: string, requests?: any, limits?: any, extra: any = {}) => ({ name, image: 'busybox:1.37.0', resources: { requests, limits }, ...extra });
const sidecar = (name: string, requests?: any, limits?: any, extra: any = {}) => c(name, requests, limits, { restartPolicy: 'Always', ...extra });

describe('quantities', () => {
  test.each([
    ['250m', 250n], ['1', 1000n], ['1.5', 1500n], ['0.1', 100n], ['128Mi', 128n * 1024n * 1024n * 1000n], ['1Gi', 1024n ** 3n * 1000n],
    ['1k', 1000000n], ['1e3', 1000000n], ['100n', 1n], ['.5', 500n],
    ['0', 0n], ['0.000', 0n], ['1.', 1000n], ['+1', 1000n], ['-1', -1000n], ['-250m', -250n],
    // below a thousandth: rounded up, as the API server rounds
    ['1n', 1n], ['1000000n', 1n], ['1000001n', 2n], ['1u', 1n], ['1500u', 2n], ['0.0001', 1n], ['1m', 1n],
    ['1M', 10n ** 9n], ['1G', 10n ** 12n], ['1T', 10n ** 15n], ['1P', 10n ** 18n], ['1E', 10n ** 21n],
    ['1Ki', 1024n * 1000n], ['3Mi', 3n * 1024n ** 2n * 1000n], ['1Ti', 1024n ** 4n * 1000n], ['1Pi', 1024n ** 5n * 1000n], ['1Ei', 1024n ** 6n * 1000n],
    ['1.5Gi', 3n * 1024n ** 3n * 500n], ['1E2', 100000n], ['1e+2', 100000n], ['1e-3', 1n], ['25e-1', 2500n],
    // the largest exponents read: a larger one (1e400 in a manifest) is not taken as a quantity
    ['1e30', 10n ** 33n], ['1e-30', 1n],
    // a number in a manifest (memory: 1073741824) is read as its decimal text
    [1.5, 1500n], [1073741824, 1073741824000n], [1e21, 10n ** 24n],
  ])('%j', (text, milli) => {
    expect(parseQuantity(text)).toBe(milli);
  });

  test.each(['100mi', '1.5.1', 'Gi', '', '1 Gi', '--1', '1e31', '1e-31', '1ki', '1Mb', '1.5e', 'e3', 'x1', '1x',
    // the API server does not trim a quantity: a space before or after is malformed
    '1 ', ' 2', ' ',
    NaN, Infinity, null, undefined, ['1'], { value: 1 }, true])('%j is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test.each([
    ['cpu', 250n, '250m'], ['cpu', 1500n, '1500m'], ['cpu', 2000n, '2'], ['cpu', 0n, '0'], ['cpu', 1024000n, '1024'],
    ['memory', 0n, '0'], ['memory', 1500n, '1500m'], ['memory', 1000000n, '1000'], ['memory', 1024000n, '1Ki'],
    ['memory', 1536n * 1024n * 1000n, '1536Ki'], ['memory', 160n * 1024n * 1024n * 1000n, '160Mi'],
    ['memory', 2n * 1024n ** 3n * 1000n, '2Gi'], ['memory', 1024n ** 4n * 1000n, '1Ti'], ['ephemeral-storage', 1024n ** 5n * 1000n, '1Pi'],
    ['memory', 3n * 1024n ** 6n * 1000n, '3Ei'], ['memory', -1024000n, '-1Ki'],
  ])('%s %d thousandths are written %s', (resource, milli, text) => {
    expect(formatQuantity(resource, milli)).toBe(text);
  });
});

describe('effective requests and limits, as PodRequests/PodLimits compute them', () => {
  // The worked cases of the Kubernetes documentation (sidecar containers: "resource
  // sharing within containers") and of component-helpers' PodRequests tests, each
  // computed by hand in the comment.
  test('a sidecar before a regular init container: the init container runs beside it', () => {
    // app 1 + sidecar 1 = 2 in steady state; while "init" runs: 2 + sidecar 1 = 3 → 3
    const plan = PodPlan.fromManifest(pod({ initContainers: [sidecar('s', { cpu: '1' }), c('init', { cpu: '2' })], containers: [c('app', { cpu: '1' })] }));
    expect(plan.effective.requests).toEqual({ cpu: '3' });
    expect(plan.steadyState.requests).toEqual({ cpu: '2' });
  });

  test('a regular init container before a sidecar runs alone', () => {
    // init 5 alone; steady state app 1 + sidecar 1 = 2 → 5
    const plan = PodPlan.fromManifest(pod({ initContainers: [c('init', { cpu: '5' }), sidecar('s', { cpu: '1' })], containers: [c('app', { cpu: '1' })] }));
    expect(plan.effective.requests).toEqual({ cpu: '5' });
  });

  test('sidecars add up; the init peak counts those declared before it', () => {
    // steady: app 1 + 1 + 2 = 4; moments: 1, 1+2 = 3, init 1 + 3 = 4 → 4
    const plan = PodPlan.fromManifest(pod({
      initContainers: [sidecar('a', { cpu: '1', memory: '64Mi' }), sidecar('b', { cpu: '2', memory: '32Mi' }), c('init', { cpu: '1', memory: '256Mi' })],
      containers: [c('app', { cpu: '1', memory: '128Mi' })],
    }));
    // memory: steady 128 + 64 + 32 = 224Mi; init moment 256 + 96 = 352Mi → 352Mi
    expect(plan.effective.requests).toEqual({ cpu: '4', memory: '352Mi' });
  });

  test('a limit without a request makes the request equal to it (API server defaulting)', () => {
    const plan = PodPlan.fromManifest(pod({ containers: [c('app', undefined, { cpu: '500m', memory: '128Mi' }), c('b', { cpu: '100m' })] }));
    expect(plan.effective.requests).toEqual({ cpu: '600m', memory: '128Mi' });
  });

  test('limits add up only where set: a container without one leaves the Pod without a real bound', () => {
    const plan = PodPlan.fromManifest(pod({ initContainers: [sidecar('s', { cpu: '10m' }, { cpu: '100m', memory: '128Mi' })], containers: [c('app', { cpu: '1', memory: '1Gi' })] }));
    expect(plan.effective.limits).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(plan.unboundedLimits).toEqual(['cpu', 'memory']);
  });

  test('pod overhead adds to requests, and to limits only where there is one', () => {
    const plan = PodPlan.fromManifest(pod({ overhead: { cpu: '250m', memory: '120Mi' }, containers: [c('app', { cpu: '1', memory: '1Gi' }, { cpu: '2' })] }));
    expect(plan.effective.requests).toEqual({ cpu: '1250m', memory: '1144Mi' });
    expect(plan.effective.limits).toEqual({ cpu: '2250m' });
  });

  test('pod-level resources replace the container totals for cpu and memory', () => {
    const plan = PodPlan.fromManifest(pod({
      resources: { requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '4', memory: '2Gi' } },
      containers: [c('app', { 'cpu': '100m', 'ephemeral-storage': '1Gi' })],
    }));
    expect(plan.effective.requests).toEqual({ 'cpu': '2', 'memory': '2Gi', 'ephemeral-storage': '1Gi' });
    expect(plan.effective.limits).toEqual({ cpu: '4', memory: '2Gi' });
  });

  test('property: adding a container never lowers an effective request', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const container = (i: number) => {
      const spec = c(`c${i}`, { cpu: `${Math.floor(random() * 2000)}m`, memory: `${Math.floor(random() * 512)}Mi` });
      return random() < 0.5 ? { ...spec, restartPolicy: 'Always' } : spec;
    };
    for (let round = 0; round < 300; round++) {
      const init = Array.from({ length: Math.floor(random() * 4) }, (_, i) => container(i));
      const app = [c('app', { cpu: `${Math.floor(random() * 1000)}m`, memory: '64Mi' })];
      const before = PodPlan.fromManifest(pod({ initContainers: init, containers: app })).effective.requests;
      const extra = container(99);
      const at = Math.floor(random() * (init.length + 2));
      const after = at > init.length
        ? PodPlan.fromManifest(pod({ initContainers: init, containers: [...app, { ...extra, restartPolicy: undefined }] })).effective.requests
        : PodPlan.fromManifest(pod({ initContainers: [...init.slice(0, at), extra, ...init.slice(at)], containers: app })).effective.requests;
      for (const name of ['cpu', 'memory']) {
        expect(parseQuantity(after[name])! >= parseQuantity(before[name])!).toBe(true);
      }
    }
  });
});

describe('QoS class', () => {
  test('BestEffort: no container requests or limits cpu or memory', () => {
    expect(PodPlan.fromManifest(pod({ containers: [c('app')] })).qos).toBe('BestEffort');
  });

  test('Guaranteed: equal requests and limits everywhere, sidecars and init containers included', () => {
    const r = { cpu: '100m', memory: '64Mi' };
    expect(PodPlan.fromManifest(pod({ initContainers: [sidecar('s', r, r), c('init', undefined, r)], containers: [c('app', r, r)] })).qos).toBe('Guaranteed');
  });

  test('Burstable: one container without limits, or a request below its limit', () => {
    const r = { cpu: '100m', memory: '64Mi' };
    expect(PodPlan.fromManifest(pod({ initContainers: [sidecar('s', r)], containers: [c('app', r, r)] })).qos).toBe('Burstable');
    expect(PodPlan.fromManifest(pod({ containers: [c('app', { cpu: '50m', memory: '64Mi' }, r)] })).qos).toBe('Burstable');
  });
});

describe('Pod Security Standards', () => {
  const restrictedContainer = (name: string, extra: any = {}) => ({
    name,
    image: 'busybox:1.37.0',
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, ...extra },
  });
  const base = () => ({ containers: [restrictedContainer('app')], initContainers: [restrictedContainer('side', {})], volumes: [{ name: 'v', emptyDir: {} }] });

  test('the base pod meets restricted', () => {
    expect(PodPlan.fromManifest(pod(base())).podSecurity).toEqual({ level: 'restricted', violations: [] });
  });

  test.each([
    ['HostProcess', 'baseline', (s: any) => { s.containers[0].securityContext.windowsOptions = { hostProcess: true }; }, 'app'],
    ['Host Namespaces', 'baseline', (s: any) => { s.hostNetwork = true; }, undefined],
    ['Privileged Containers', 'baseline', (s: any) => { s.initContainers[0].securityContext.privileged = true; }, 'side'],
    ['Capabilities', 'baseline', (s: any) => { s.containers[0].securityContext.capabilities.add = ['NET_ADMIN']; }, 'app'],
    ['HostPath Volumes', 'baseline', (s: any) => { s.volumes.push({ name: 'h', hostPath: { path: '/var' } }); }, undefined],
    ['Host Ports', 'baseline', (s: any) => { s.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; }, 'app'],
    ['AppArmor', 'baseline', (s: any) => { s.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }; }, 'app'],
    ['SELinux', 'baseline', (s: any) => { s.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' }; }, 'app'],
    ['/proc Mount Type', 'baseline', (s: any) => { s.containers[0].securityContext.procMount = 'Unmasked'; }, 'app'],
    ['Seccomp', 'baseline', (s: any) => { s.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }, 'app'],
    ['Sysctls', 'baseline', (s: any) => { s.securityContext = { sysctls: [{ name: 'kernel.msgmax', value: '1' }] }; }, undefined],
    ['Volume Types', 'restricted', (s: any) => { s.volumes.push({ name: 'n', nfs: { server: 'x', path: '/' } }); }, undefined],
    ['Privilege Escalation', 'restricted', (s: any) => { delete s.containers[0].securityContext.allowPrivilegeEscalation; }, 'app'],
    ['Running as Non-root', 'restricted', (s: any) => { s.containers[0].securityContext.runAsNonRoot = false; }, 'app'],
    ['Running as Non-root user', 'restricted', (s: any) => { s.containers[0].securityContext.runAsUser = 0; }, 'app'],
    ['Seccomp', 'restricted', (s: any) => { delete s.containers[0].securityContext.seccompProfile; }, 'app'],
    ['Capabilities', 'restricted', (s: any) => { s.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] }; }, 'app'],
  ])('%s (%s) fails with the container and the field', (control, profile, mutate, container) => {
    const spec = base();
    mutate(spec);
    const plan = PodPlan.fromManifest(pod(spec));
    expect(plan.podSecurity.level).toBe(profile === 'baseline' ? 'privileged' : 'baseline');
    expect(plan.podSecurity.violations).toContainEqual(expect.objectContaining({ control, profile, container }));
  });

  test('pod-level runAsNonRoot and seccomp cover every container', () => {
    const spec: any = base();
    for (const cont of [...spec.containers, ...spec.initContainers]) {
      delete cont.securityContext.runAsNonRoot;
      delete cont.securityContext.seccompProfile;
    }
    spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
    expect(PodPlan.fromManifest(pod(spec)).podSecurity.level).toBe('restricted');
  });

  test('"baseline, not restricted: container main lacks capabilities.drop ALL"', () => {
    const spec: any = base();
    spec.containers[0].name = 'main';
    delete spec.containers[0].securityContext.capabilities;
    const plan = PodPlan.fromManifest(pod(spec));
    expect(plan.podSecurity).toEqual({
      level: 'baseline',
      violations: [{ control: 'Capabilities', profile: 'restricted', container: 'main', field: 'spec.containers[main].securityContext.capabilities.drop' }],
    });
  });
});

describe('order, volumes, ports', () => {
  test('init containers and sidecars one by one (a sidecar after its startupProbe), app containers together; stop in reverse', () => {
    const plan = PodPlan.fromManifest(pod({
      initContainers: [sidecar('proxy', undefined, undefined, { startupProbe: { httpGet: { path: '/ready', port: 15021 } } }), c('migrate'), sidecar('logs')],
      containers: [c('web'), c('worker')],
      volumes: [{ name: 'logs', emptyDir: {} }],
    }));
    expect(plan.startOrder).toEqual([
      { containers: ['proxy'], role: 'sidecar', until: 'startupProbe succeeds' },
      { containers: ['migrate'], role: 'init', until: 'exits 0' },
      { containers: ['logs'], role: 'sidecar', until: 'process started' },
      { containers: ['web', 'worker'], role: 'app', until: 'running' },
    ]);
    expect(plan.stopOrder.map(s => s.containers)).toEqual([['web', 'worker'], ['logs'], ['proxy']]);
  });

  test('volumes with who writes and who reads; ports by container', () => {
    const plan = PodPlan.fromManifest(pod({
      initContainers: [sidecar('logs', undefined, undefined, { volumeMounts: [{ name: 'v', mountPath: '/l', readOnly: true }], ports: [{ containerPort: 2020, name: 'http-metrics' }] })],
      containers: [c('app', undefined, undefined, { volumeMounts: [{ name: 'v', mountPath: '/l' }], ports: [{ containerPort: 8080 }] })],
      volumes: [{ name: 'v', emptyDir: {} }],
    }));
    expect(plan.volumes).toEqual([{ name: 'v', type: 'emptyDir', readWrite: ['app'], readOnly: ['logs'] }]);
    expect(plan.ports).toEqual([{ container: 'logs', port: 2020, protocol: 'TCP', name: 'http-metrics' }, { container: 'app', port: 8080, protocol: 'TCP' }]);
  });
});

describe('errors', () => {
  test.each([
    ['two containers of one name', { containers: [c('a'), c('a')] }, 'spec.containers[a].name: "a" is the name of two containers of the Pod.'],
    ['one port twice', { containers: [c('a', undefined, undefined, { ports: [{ containerPort: 80 }] }), c('b', undefined, undefined, { ports: [{ containerPort: 80 }] })] },
      'spec.containers[b].ports: 80/TCP is also declared by container "a"'],
    ['a probe on a regular init container', { initContainers: [c('init', undefined, undefined, { readinessProbe: { exec: { command: ['true'] } } })], containers: [c('a')] },
      'spec.initContainers[init].readinessProbe: a regular init container may not have one'],
    ['a malformed quantity', { containers: [c('a', { memory: '100mi' })] }, 'spec.containers[a].resources.requests.memory: "100mi" is not a Kubernetes quantity'],
    ['a request above its limit', { containers: [c('a', { cpu: '2' }, { cpu: '1' })] }, 'spec.containers[a].resources.requests.cpu: 2 is above the limit 1'],
    ['no container', { containers: [] }, 'spec.containers: the Pod has no container'],
    // names that would break the one-line message are quoted in the field path
    ['a name with a line break', { containers: [c('a\nb')] }, 'spec.containers["a\\nb"].name: "a\\nb" is not a valid container name'],
    ['a name that is not a string', { containers: [c(7 as any)] }, 'spec.containers[7].name: 7 is not a valid container name'],
  ])('%s', (_name, spec, message) => {
    expect(PodPlan.fromManifest(pod(spec)).errors.join('\n')).toContain(message);
  });

  test('a Job with a tail -F container beside the main one never completes; a native sidecar does', () => {
    const job = (spec: any) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'myjob' }, spec: { template: { spec } } });
    const never = PodPlan.fromManifest(job({ restartPolicy: 'Never', containers: [c('myjob', undefined, undefined, { command: ['sh', '-c', 'echo x > /opt/logs.txt'] }), c('logshipper', undefined, undefined, { command: ['sh', '-c', 'tail -F /opt/logs.txt'] })] }));
    expect(never.canComplete).toBe(false);
    expect(never.errors[0]).toContain('spec.containers[logshipper]: runs "sh -c tail -F /opt/logs.txt", which does not exit by itself, beside the main container: the Job will never complete.');
    const native = PodPlan.fromManifest(job({ restartPolicy: 'Never', initContainers: [sidecar('logshipper', undefined, undefined, { command: ['sh', '-c', 'trap "exit 0" TERM; tail -F /opt/logs.txt & wait'] })], containers: [c('myjob')] }));
    expect(native.canComplete).toBe(true);
    expect(native.errors).toEqual([]);
  });

  test('fields of the wrong type are errors of the plan, never an exception', () => {
    const spec = {
      initContainers: 'setup',
      containers: [c('a', { cpu: ['1'] }, 'big', { ports: 80, command: 'tail -f x', securityContext: { capabilities: { add: 'ALL', drop: 7 } } }), null, 3],
      volumes: { name: 'v' },
      securityContext: { sysctls: 'kernel.msgmax' },
    };
    const plan = PodPlan.fromManifest(pod(spec));
    expect(plan.errors).toEqual(expect.arrayContaining([
      'spec.initContainers: "setup" is not a list.',
      'spec.containers: null is not a container.',
      'spec.containers[a].resources.requests.cpu: ["1"] is not a Kubernetes quantity (such as "250m", "1", "128Mi" or "1Gi").',
      'spec.containers[a].resources.limits: "big" is not a map of resource names to quantities.',
    ]));
    expect(plan.podSecurity.violations).toContainEqual(expect.objectContaining({ control: 'Capabilities', container: 'a', field: 'spec.containers[a].securityContext.capabilities.drop' }));
  });

  test('an object without a pod template, or without a pod spec', () => {
    expect(() => PodPlan.fromManifest({ kind: 'Service', metadata: { name: 's' } })).toThrow('Service "s" has no pod template');
    expect(() => PodPlan.fromManifest({ kind: 'Deployment', metadata: { name: 'd' }, spec: {} })).toThrow('Deployment "d" has no pod spec');
  });
});

describe('warnings', () => {
  test.each([
    ['sidecar-without-limits', { initContainers: [sidecar('s', { cpu: '10m' })], containers: [c('a', { cpu: '1' })] }, {}],
    ['readiness-without-traffic', { initContainers: [sidecar('s', undefined, { cpu: '1', memory: '1Gi' }, { readinessProbe: { exec: { command: ['true'] } } })], containers: [c('a')] }, {}],
    ['proxy-without-startup-probe', { initContainers: [sidecar('envoy', undefined, { cpu: '1', memory: '1Gi' }, { image: 'envoyproxy/envoy:v1.37.6' })], containers: [c('a')] }, {}],
    ['native-sidecars-unsupported', { initContainers: [sidecar('s', undefined, { cpu: '1', memory: '1Gi' })], containers: [c('a')] }, { kubernetesVersion: '1.28' }],
    ['sidecar-ignores-sigterm', { initContainers: [sidecar('s', undefined, { cpu: '1', memory: '1Gi' }, { command: ['sleep', 'infinity'] })], containers: [c('a')] }, {}],
    ['sidecars-request-more-than-app', { initContainers: [sidecar('s', { cpu: '2' }, { cpu: '2', memory: '1Gi' })], containers: [c('a', { cpu: '1' })] }, {}],
  ])('%s', (rule, spec, options) => {
    const plan = PodPlan.fromManifest(pod(spec), options);
    expect(plan.warningRules.map(w => w.rule)).toContain(rule);
    expect(plan.errors).toEqual([]);
  });
});

describe('plans of cdk8s-plus workloads built with this library', () => {
  test('a Deployment with a proxy and a shipper: order, resources by hand, the sleep action kept', () => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) }, memory: {} } }],
    });
    new MeshProxySidecar(chart, 'mesh', { workload: web, appPort: 8080 });
    new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/nginx' });
    new Sidecar(chart, 'helper', { workload: web, image: 'busybox:1.37.0', command: Sidecar.exitOnSigterm(['sleep', 'infinity']), drainTime: Duration.seconds(1) });
    const plan = PodPlan.fromWorkload(web);
    expect(plan.startOrder.map(s => `${s.containers.join('+')}:${s.until}`)).toEqual([
      'mesh-proxy:startupProbe succeeds', 'log-shipper:process started', 'helper:process started', 'web:running',
    ]);
    // web 250m + proxy 100m + shipper 10m + helper 10m = 370m; memory: web none (cdk8s-plus gives none when memory: {}) + 128 + 32 + 32 = 192Mi
    expect(plan.effective.requests).toEqual({ cpu: '370m', memory: '192Mi' });
    // limits: 500m + 1000m + 200m + 100m = 1800m; memory: 512 + 128 + 128 = 768Mi, no real bound (web has none)
    expect(plan.effective.limits).toEqual({ cpu: '1800m', memory: '768Mi' });
    expect(plan.unboundedLimits).toEqual(['memory']);
    expect(plan.errors).toEqual([]);
  });
});
