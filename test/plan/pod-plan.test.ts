import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogShipperSidecar, MeshProxySidecar, PodPlan, Sidecar } from '../../src';
import { SIDECAR_WRAPPER_MARK } from '../../src/core/completion';
import { formatQuantity, parseQuantity } from '../../src/core/quantity';
import { podSecurityLevel, podSecurityViolations, policyVersion } from '../../src/plan/pod-security/policy';
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
    ['0', 0n], ['0.000', 0n], ['1.', 1000n], ['.25', 250n], ['12.375', 12375n], ['+1', 1000n], ['-1', -1000n], ['-250m', -250n],
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

  test('pod-level resources set for cpu only leave memory to the containers; a pod-level limit bounds containers without one', () => {
    const plan = PodPlan.fromManifest(pod({
      resources: { limits: { cpu: '1' } },
      containers: [c('app', { memory: '64Mi' }, { memory: '128Mi' }), c('b', { cpu: '100m', memory: '32Mi' })],
    }));
    // the pod-level limit defaults the pod-level request, as for a container
    expect(plan.effective.requests).toEqual({ cpu: '1', memory: '96Mi' });
    expect(plan.effective.limits).toEqual({ cpu: '1', memory: '128Mi' });
    expect(plan.unboundedLimits).toEqual(['memory']);
    expect(plan.errors).toEqual([]);
  });

  test('hugepages add up like any resource: a limit alone sets the request (they may not overcommit)', () => {
    // 2Mi pages: a 2Mi + b 4Mi = 6Mi; 1Gi pages: a only
    const plan = PodPlan.fromManifest(pod({
      containers: [c('a', undefined, { 'memory': '64Mi', 'hugepages-2Mi': '2Mi', 'hugepages-1Gi': '1Gi' }), c('b', { 'hugepages-2Mi': '4Mi' }, { 'hugepages-2Mi': '4Mi' })],
    }));
    expect(plan.effective.requests).toEqual({ 'hugepages-1Gi': '1Gi', 'hugepages-2Mi': '6Mi', 'memory': '64Mi' });
    expect(plan.effective.limits).toEqual({ 'hugepages-1Gi': '1Gi', 'hugepages-2Mi': '6Mi', 'memory': '64Mi' });
  });

  test('pod-level hugepages replace the container sum, as cpu and memory do', () => {
    // containers 3 × 2Mi = 6Mi, pod level 10Mi → 10Mi (not 6Mi); 1Gi pages only in a container stay 1Gi
    const hp = { 'hugepages-2Mi': '2Mi' };
    const plan = PodPlan.fromManifest(pod({
      resources: { limits: { 'hugepages-2Mi': '10Mi', 'memory': '1Gi' } },
      containers: [c('a', undefined, hp), c('b', undefined, hp), c('c', undefined, { ...hp, 'hugepages-1Gi': '1Gi' })],
    }));
    expect(plan.effective.requests).toEqual({ 'hugepages-1Gi': '1Gi', 'hugepages-2Mi': '10Mi', 'memory': '1Gi' });
    expect(plan.effective.limits).toEqual({ 'hugepages-1Gi': '1Gi', 'hugepages-2Mi': '10Mi', 'memory': '1Gi' });
    // a pod-level hugepages limit bounds every container; memory too
    expect(plan.unboundedLimits).toEqual([]);
  });

  test('pod-level hugepages with sidecars and an init container: the aggregate is replaced, other resources follow KEP-753', () => {
    // 2Mi pages, containers: app 2Mi + sidecar 2Mi = 4Mi steady, init moment 8Mi + 2Mi = 10Mi → 10Mi; pod level 12Mi → 12Mi
    // cpu, not at pod level: app 1 + sidecar 100m = 1100m, init moment 500m + 100m = 600m → 1100m
    const plan = PodPlan.fromManifest(pod({
      resources: { requests: { 'hugepages-2Mi': '12Mi' }, limits: { 'hugepages-2Mi': '12Mi' } },
      initContainers: [sidecar('s', { cpu: '100m' }, { 'hugepages-2Mi': '2Mi' }), c('init', { cpu: '500m' }, { 'hugepages-2Mi': '8Mi' })],
      containers: [c('app', { cpu: '1' }, { 'hugepages-2Mi': '2Mi' })],
    }));
    expect(plan.effective.requests).toEqual({ 'cpu': '1100m', 'hugepages-2Mi': '12Mi' });
    expect(plan.effective.limits).toEqual({ 'hugepages-2Mi': '12Mi' });
  });

  test('extended resources (nvidia.com/gpu) add up and take the init peak; pod level does not replace them', () => {
    // app 1 + sidecar 0 = 1; init 2 alone → 2; pod-level gpu is not a pod-level resource → still 2
    const plan = PodPlan.fromManifest(pod({
      resources: { limits: { 'nvidia.com/gpu': '4', 'cpu': '1' } },
      initContainers: [c('init', undefined, { 'nvidia.com/gpu': '2' })],
      containers: [c('app', undefined, { 'nvidia.com/gpu': '1' })],
    }));
    expect(plan.effective.requests).toEqual({ 'cpu': '1', 'nvidia.com/gpu': '2' });
    expect(plan.effective.limits).toEqual({ 'cpu': '1', 'nvidia.com/gpu': '2' });
  });

  test('overhead adds to a limit only where the limit is not zero', () => {
    const plan = PodPlan.fromManifest(pod({ overhead: { cpu: '250m', memory: '64Mi' }, containers: [c('app', { cpu: '0', memory: '0' }, { cpu: '0', memory: '128Mi' })] }));
    expect(plan.effective.requests).toEqual({ cpu: '250m', memory: '64Mi' });
    expect(plan.effective.limits).toEqual({ cpu: '0', memory: '192Mi' });
  });

  test('malformed pod-level resources and overhead are reported once each, under their own fields', () => {
    const plan = PodPlan.fromManifest(pod({
      resources: { requests: { cpu: 'lots' }, limits: ['1'] },
      overhead: { memory: '-1Mi', cpu: '100m' },
      containers: [c('app', { cpu: '1' })],
    }));
    expect(plan.errors.map(e => e.split(':')[0])).toEqual(['resources.requests.cpu', 'resources.limits', 'overhead.memory']);
    expect(rulesOf(plan)).toEqual(['quantity', 'quantity', 'quantity']);
    expect(plan.effective.requests).toEqual({ cpu: '1100m' });
    expect(PodPlan.fromManifest(pod({ overhead: '100m', containers: [c('app')] })).errors).toEqual([
      'overhead: "100m" is not a map of resource names to quantities. Write a non-negative Kubernetes quantity, such as "250m", "1", "128Mi" or "1Gi" (cdk8s-plus: Cpu.millis(n), Size.mebibytes(n)).',
    ]);
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

  test.each<[string, any, string]>([
    ['pod-level requests equal to pod-level limits, containers without any', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    ['pod-level limits only (the requests default to them)', { limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    ['pod-level requests only', { requests: { cpu: '1', memory: '1Gi' } }, 'Burstable'],
    ['a pod-level cpu limit without a memory limit', { limits: { cpu: '1' } }, 'Burstable'],
    ['pod-level resources with neither cpu nor memory', { requests: { 'ephemeral-storage': '1Gi' } }, 'BestEffort'],
  ])('with pod-level resources, those decide: %s', (_, resources, qos) => {
    const r = { cpu: '100m', memory: '64Mi' };
    expect(PodPlan.fromManifest(pod({ resources, initContainers: [sidecar('s', r)], containers: [c('app')] })).qos).toBe(qos);
  });

  test('a zero request or limit counts as none: Burstable, not Guaranteed; zeros alone are BestEffort', () => {
    const r = { cpu: '100m', memory: '64Mi' };
    expect(PodPlan.fromManifest(pod({ containers: [c('app', { cpu: '0', memory: '64Mi' }, r)] })).qos).toBe('Burstable');
    expect(PodPlan.fromManifest(pod({ containers: [c('app', r, { cpu: '100m', memory: '0' })] })).qos).toBe('Burstable');
    const zeros = PodPlan.fromManifest(pod({ containers: [c('app', { cpu: '0', memory: '0' })] }));
    expect(zeros.qos).toBe('BestEffort');
    expect(zeros.errors).toEqual([]);
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
    expect(PodPlan.fromManifest(pod(base())).podSecurity).toEqual({ level: 'restricted', version: 'v1.37', violations: [] });
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
      version: 'v1.37',
      violations: [{ control: 'Capabilities', profile: 'restricted', container: 'main', field: 'spec.containers[main].securityContext.capabilities.drop' }],
    });
  });
});

describe('Pod Security Standards, control by control (exact violations)', () => {
  const ok = (name: string, extra: any = {}) => ({
    name,
    image: 'busybox:1.37.0',
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, ...extra },
  });
  const spec = (change: (s: any) => void) => {
    const s: any = { initContainers: [ok('side')], containers: [ok('app')], volumes: [{ name: 'v', emptyDir: {} }] };
    change(s);
    return s;
  };
  const app = (field: string) => `spec.containers[app].securityContext.${field}`;
  const B = (control: string, field: string, container?: string) => ({ control, profile: 'baseline', container, field });
  const R = (control: string, field: string, container?: string) => ({ control, profile: 'restricted', container, field });
  const sc = (s: any) => s.containers[0].securityContext;

  test.each<[string, (s: any) => void, object[]]>([
    ['a container as a Windows host process', s => { sc(s).windowsOptions = { hostProcess: true }; }, [B('HostProcess', app('windowsOptions.hostProcess'), 'app')]],
    ['the Pod as a Windows host process', s => { s.securityContext = { windowsOptions: { hostProcess: true } }; }, [B('HostProcess', 'spec.securityContext.windowsOptions.hostProcess')]],
    ['hostNetwork', s => { s.hostNetwork = true; }, [B('Host Namespaces', 'spec.hostNetwork')]],
    ['hostPID', s => { s.hostPID = true; }, [B('Host Namespaces', 'spec.hostPID')]],
    ['hostIPC', s => { s.hostIPC = true; }, [B('Host Namespaces', 'spec.hostIPC')]],
    ['a privileged sidecar', s => { s.initContainers[0].securityContext.privileged = true; }, [B('Privileged Containers', 'spec.initContainers[side].securityContext.privileged', 'side')]],
    ['a privileged ephemeral container', s => { s.ephemeralContainers = [ok('debug', { privileged: true })]; },
      [B('Privileged Containers', 'spec.ephemeralContainers[debug].securityContext.privileged', 'debug')]],
    ['a capability beyond baseline', s => { sc(s).capabilities.add = ['NET_ADMIN']; },
      [B('Capabilities', `${app('capabilities.add')}: NET_ADMIN`, 'app'), R('Capabilities', `${app('capabilities.add')}: NET_ADMIN`, 'app')]],
    ['a baseline capability other than NET_BIND_SERVICE', s => { sc(s).capabilities.add = ['NET_BIND_SERVICE', 'CHOWN']; },
      [R('Capabilities', `${app('capabilities.add')}: CHOWN`, 'app')]],
    ['a hostPath volume', s => { s.volumes.push({ name: 'h', hostPath: { path: '/var' } }); },
      [B('HostPath Volumes', 'spec.volumes[h].hostPath'), R('Volume Types', 'spec.volumes[h].hostPath')]],
    ['a host port', s => { s.containers[0].ports = [{ containerPort: 8080, hostPort: 80 }]; }, [B('Host Ports', 'spec.containers[app].ports[8080].hostPort', 'app')]],
    ['an unconfined AppArmor profile on a container', s => { sc(s).appArmorProfile = { type: 'Unconfined' }; }, [B('AppArmor', app('appArmorProfile.type'), 'app')]],
    ['an unconfined AppArmor profile on the Pod', s => { s.securityContext = { appArmorProfile: { type: 'Unconfined' } }; }, [B('AppArmor', 'spec.securityContext.appArmorProfile.type')]],
    ['an SELinux type', s => { sc(s).seLinuxOptions = { type: 'spc_t' }; }, [B('SELinux', app('seLinuxOptions.type'), 'app')]],
    ['an SELinux user and role', s => { sc(s).seLinuxOptions = { type: 'container_t', user: 'system_u', role: 'system_r' }; },
      [B('SELinux', app('seLinuxOptions.user'), 'app'), B('SELinux', app('seLinuxOptions.role'), 'app')]],
    ['an SELinux type on the Pod', s => { s.securityContext = { seLinuxOptions: { type: 'spc_t' } }; }, [B('SELinux', 'spec.securityContext.seLinuxOptions.type')]],
    ['an unmasked /proc', s => { sc(s).procMount = 'Unmasked'; }, [B('/proc Mount Type', app('procMount'), 'app'), R('/proc Mount Type', app('procMount'), 'app')]],
    ['an unconfined seccomp profile on a container', s => { sc(s).seccompProfile = { type: 'Unconfined' }; },
      [B('Seccomp', app('seccompProfile.type'), 'app'), R('Seccomp', app('seccompProfile.type'), 'app')]],
    ['an unconfined seccomp profile on the Pod, each container RuntimeDefault', s => { s.securityContext = { seccompProfile: { type: 'Unconfined' } }; },
      [B('Seccomp', 'spec.securityContext.seccompProfile.type'), R('Seccomp', 'spec.securityContext.seccompProfile.type')]],
    ['an unsafe sysctl beside a safe one', s => { s.securityContext = { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '1' }] }; },
      [B('Sysctls', 'spec.securityContext.sysctls[kernel.msgmax]')]],
    ['an nfs volume', s => { s.volumes.push({ name: 'n', nfs: { server: 'x', path: '/' } }); }, [R('Volume Types', 'spec.volumes[n].nfs')]],
    ['allowPrivilegeEscalation unset', s => { delete sc(s).allowPrivilegeEscalation; }, [R('Privilege Escalation', app('allowPrivilegeEscalation'), 'app')]],
    ['allowPrivilegeEscalation true', s => { sc(s).allowPrivilegeEscalation = true; }, [R('Privilege Escalation', app('allowPrivilegeEscalation'), 'app')]],
    ['runAsNonRoot false', s => { sc(s).runAsNonRoot = false; }, [R('Running as Non-root', app('runAsNonRoot'), 'app')]],
    ['runAsNonRoot false on a container of a Pod that sets it true', s => { s.securityContext = { runAsNonRoot: true }; sc(s).runAsNonRoot = false; },
      [R('Running as Non-root', app('runAsNonRoot'), 'app')]],
    ['runAsUser 0 on a container', s => { sc(s).runAsUser = 0; }, [R('Running as Non-root user', app('runAsUser'), 'app')]],
    ['runAsUser 0 on the Pod', s => { s.securityContext = { runAsUser: 0 }; }, [R('Running as Non-root user', 'spec.securityContext.runAsUser')]],
    ['no seccomp profile', s => { delete sc(s).seccompProfile; }, [R('Seccomp', app('seccompProfile.type'), 'app')]],
    ['capabilities dropped, not ALL', s => { sc(s).capabilities = { drop: ['NET_RAW'] }; }, [R('Capabilities', app('capabilities.drop'), 'app')]],
  ])('%s', (_, change, violations) => {
    expect(podSecurityViolations({}, spec(change))).toEqual(violations);
  });

  test.each<[string, (s: any) => void]>([
    ['host namespaces false', s => { Object.assign(s, { hostNetwork: false, hostPID: false, hostIPC: false }); }],
    ['hostProcess false', s => { sc(s).windowsOptions = { hostProcess: false }; s.securityContext = { windowsOptions: { hostProcess: false } }; }],
    ['privileged false', s => { sc(s).privileged = false; }],
    ['NET_BIND_SERVICE added', s => { sc(s).capabilities.add = ['NET_BIND_SERVICE']; }],
    ['hostPort 0', s => { s.containers[0].ports = [{ containerPort: 80, hostPort: 0 }]; }],
    ['AppArmor RuntimeDefault and Localhost', s => { sc(s).appArmorProfile = { type: 'RuntimeDefault' }; s.securityContext = { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } }; }],
    ['SELinux container_t with an empty user and role, and a level', s => { sc(s).seLinuxOptions = { type: 'container_t', user: '', role: '', level: 's0:c1' }; }],
    ['SELinux options without a type', s => { s.securityContext = { seLinuxOptions: { level: 's0:c1' } }; }],
    ['procMount Default', s => { sc(s).procMount = 'Default'; }],
    ['seccomp Localhost', s => { sc(s).seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }; }],
    ['the safe sysctls', s => { s.securityContext = { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }, { name: 'kernel.shm_rmid_forced', value: '1' }] }; }],
    ['every volume type restricted allows', s => {
      s.volumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'].map(type => ({ name: type.toLowerCase(), [type]: {} }));
    }],
    ['a volume with no source', s => { s.volumes.push({ name: 'bare' }); }],
    ['runAsNonRoot and seccomp from the Pod only', s => {
      for (const cont of [...s.containers, ...s.initContainers]) {
        delete cont.securityContext.runAsNonRoot;
        delete cont.securityContext.seccompProfile;
      }
      s.securityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 1000 };
    }],
    ['runAsUser 1000', s => { sc(s).runAsUser = 1000; }],
  ])('restricted with %s', (_, change) => {
    expect(podSecurityViolations({}, spec(change))).toEqual([]);
  });

  test('AppArmor annotations: unconfined fails baseline for the container named in the key; runtime/default, localhost/ and other annotations pass', () => {
    const annotations = {
      'container.apparmor.security.beta.kubernetes.io/app': 'unconfined',
      'container.apparmor.security.beta.kubernetes.io/side': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/other': 'localhost/profile',
      'example.com/app': 'unconfined',
    };
    expect(podSecurityViolations({ annotations }, spec(() => undefined))).toEqual([
      { control: 'AppArmor', profile: 'baseline', container: 'app', field: 'metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]' },
    ]);
  });

  test('lists that are not lists, and entries that are not objects, are skipped rather than thrown on', () => {
    expect(podSecurityViolations(undefined, { containers: 'app', initContainers: [null, 1, 'x'], volumes: { v: {} }, securityContext: { sysctls: 'kernel.msgmax' } })).toEqual([]);
    expect(podSecurityViolations({}, spec(s => { sc(s).capabilities = { drop: 'ALL', add: 'NET_ADMIN' }; s.containers[0].ports = [null]; }))).toEqual([
      R('Capabilities', app('capabilities.drop'), 'app'),
    ]);
  });

  test('runAsNonRoot false on the Pod fails although every container sets true', () => {
    expect(podSecurityViolations({}, spec(s => { s.securityContext = { runAsNonRoot: false }; }))).toEqual([
      R('Running as Non-root', 'spec.securityContext.runAsNonRoot'),
    ]);
  });

  test('a probe or handler host of null or empty is no host', () => {
    expect(podSecurityViolations({}, spec(s => {
      s.containers[0].livenessProbe = { httpGet: { port: 80, host: '' } };
      s.containers[0].readinessProbe = { tcpSocket: { port: 80, host: null } };
    }))).toEqual([]);
  });

  test('the level: privileged with any baseline violation, baseline with restricted ones only, restricted with none', () => {
    expect(podSecurityLevel([])).toBe('restricted');
    expect(podSecurityLevel([R('Seccomp', 'f'), R('Capabilities', 'f')] as any)).toBe('baseline');
    expect(podSecurityLevel([R('Seccomp', 'f'), B('Seccomp', 'f')] as any)).toBe('privileged');
  });
});

describe('Pod Security Standards, version by version (the policy version selects each check revision)', () => {
  const ok = (name: string, extra: any = {}) => ({
    name,
    image: 'busybox:1.37.0',
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, ...extra },
  });
  const spec = (change: (s: any) => void) => {
    const s: any = { containers: [ok('app')] };
    change(s);
    return s;
  };
  const controls = (version: string, change: (s: any) => void) =>
    podSecurityViolations({}, spec(change), policyVersion(version)).map(v => `${v.profile} ${v.control} ${v.field}`);
  const app = (field: string) => `spec.containers[app].${field}`;

  test.each<[string, string, string, (s: any) => void, string[]]>([
    ['net.ipv4.tcp_rmem is safe', 'v1.31', 'v1.32', s => { s.securityContext = { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }] }; },
      ['baseline Sysctls spec.securityContext.sysctls[net.ipv4.tcp_rmem]']],
    ['net.ipv4.tcp_notsent_lowat is safe', 'v1.36', 'v1.37', s => { s.securityContext = { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }] }; },
      ['baseline Sysctls spec.securityContext.sysctls[net.ipv4.tcp_notsent_lowat]']],
    ['net.ipv4.ip_local_reserved_ports is safe', 'v1.26', 'v1.27', s => { s.securityContext = { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '80' }] }; },
      ['baseline Sysctls spec.securityContext.sysctls[net.ipv4.ip_local_reserved_ports]']],
    ['net.ipv4.tcp_keepalive_time is safe', 'v1.28', 'v1.29', s => { s.securityContext = { sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }] }; },
      ['baseline Sysctls spec.securityContext.sysctls[net.ipv4.tcp_keepalive_time]']],
    ['SELinux container_engine_t is allowed', 'v1.30', 'v1.31', s => { s.containers[0].securityContext.seLinuxOptions = { type: 'container_engine_t' }; },
      ['baseline SELinux spec.containers[app].securityContext.seLinuxOptions.type']],
    ['a Pod in its own user namespace may unmask /proc under baseline (not restricted)', 'v1.34', 'v1.35', s => { s.hostUsers = false; s.containers[0].securityContext.procMount = 'Unmasked'; },
      ['baseline /proc Mount Type spec.containers[app].securityContext.procMount']],
    ['a Pod in its own user namespace may run as root', 'v1.34', 'v1.35', s => {
      s.hostUsers = false; delete s.containers[0].securityContext.runAsNonRoot; s.containers[0].securityContext.runAsUser = 0;
    }, ['restricted Running as Non-root spec.containers[app].securityContext.runAsNonRoot', 'restricted Running as Non-root user spec.containers[app].securityContext.runAsUser']],
    ['a Windows Pod is exempt from privilege escalation, seccomp and capabilities', 'v1.24', 'v1.25', s => { s.os = { name: 'windows' }; s.containers[0].securityContext = { runAsNonRoot: true }; },
      ['restricted Privilege Escalation spec.containers[app].securityContext.allowPrivilegeEscalation', 'restricted Seccomp spec.containers[app].securityContext.seccompProfile.type',
        'restricted Capabilities spec.containers[app].securityContext.capabilities.drop']],
  ])('%s from %s on', (_, before, from, change, failures) => {
    expect(controls(before, change)).toEqual(failures);
    expect(controls(from, change).filter(f => failures.includes(f))).toEqual([]);
  });

  test('procMount Unmasked in a user namespace: v1.35 on, restricted still forbids it, and the level is baseline', () => {
    const manifest = pod(spec(s => { s.hostUsers = false; s.containers[0].securityContext.procMount = 'Unmasked'; }));
    expect(controls('v1.35', s => { s.hostUsers = false; s.containers[0].securityContext.procMount = 'Unmasked'; }))
      .toEqual(['restricted /proc Mount Type spec.containers[app].securityContext.procMount']);
    expect(PodPlan.fromManifest(manifest, { podSecurityVersion: 'v1.35' }).podSecurity.level).toBe('baseline');
    expect(PodPlan.fromManifest(manifest, { podSecurityVersion: 'v1.34' }).podSecurity.level).toBe('privileged');
  });

  test.each<[string, (s: any) => void, string]>([
    ['a liveness probe host', s => { s.containers[0].livenessProbe = { httpGet: { port: 80, host: '10.0.0.1' } }; }, app('livenessProbe.httpGet.host')],
    ['a readiness probe tcpSocket host', s => { s.containers[0].readinessProbe = { tcpSocket: { port: 80, host: 'db' } }; }, app('readinessProbe.tcpSocket.host')],
    ['a startup probe host 127.0.0.1', s => { s.containers[0].startupProbe = { httpGet: { port: 80, host: '127.0.0.1' } }; }, app('startupProbe.httpGet.host')],
    ['a preStop httpGet host', s => { s.containers[0].lifecycle = { preStop: { httpGet: { port: 80, host: 'x' } } }; }, app('lifecycle.preStop.httpGet.host')],
    ['a postStart tcpSocket host', s => { s.containers[0].lifecycle = { postStart: { tcpSocket: { port: 80, host: 'x' } } }; }, app('lifecycle.postStart.tcpSocket.host')],
  ])('%s fails baseline from v1.34, not before', (_, change, field) => {
    expect(controls('v1.33', change)).toEqual([]);
    expect(controls('v1.34', change)).toEqual([`baseline Host Probes / Lifecycle Hooks ${field}`]);
  });

  test('runAsUser 0 is checked from v1.23, not in v1.22', () => {
    expect(controls('v1.22', s => { s.containers[0].securityContext.runAsUser = 0; })).toEqual([]);
    expect(controls('v1.23', s => { s.containers[0].securityContext.runAsUser = 0; })).toEqual(['restricted Running as Non-root user spec.containers[app].securityContext.runAsUser']);
  });

  test('the version: latest and unset are v1.37; newer ones count as the latest, as admission clamps them', () => {
    expect(policyVersion(undefined)).toBe(37);
    expect(policyVersion('latest')).toBe(37);
    expect(policyVersion('v1.36')).toBe(36);
    expect(policyVersion('v1.22')).toBe(22);
    expect(policyVersion('v1.40')).toBe(37);
    expect(PodPlan.fromManifest(pod(spec(() => undefined)), { podSecurityVersion: 'v1.36' }).podSecurity.version).toBe('v1.36');
    expect(PodPlan.fromManifest(pod(spec(() => undefined)), { podSecurityVersion: 'v1.99' }).podSecurity.version).toBe('v1.37');
  });

  test.each([
    ['1.30', /"1.30" is not "latest" or a version such as v1.37/],
    ['v1.030', /"v1.030" is not "latest"/],
    ['v2.1', /"v2.1" is not "latest"/],
    ['v1.21', /v1.21 is older than v1.22, the first policy of Pod Security admission: give v1.22 or newer/],
  ])('the version %s is an error that says what works', (text, message) => {
    expect(() => policyVersion(text)).toThrow(message);
    expect(() => PodPlan.fromManifest(pod(spec(() => undefined)), { podSecurityVersion: text })).toThrow(message);
  });
});

describe('every workload kind: the pod template where the kind keeps it', () => {
  const spec = { containers: [c('app')] };
  const template = { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }, spec };
  test.each<[string, any]>([
    ['Pod', { kind: 'Pod', metadata: { name: 'w', ...template.metadata }, spec }],
    ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].map(kind => [kind, { kind, metadata: { name: 'w' }, spec: { template } }] as [string, any]),
    ['CronJob', { kind: 'CronJob', metadata: { name: 'w' }, spec: { jobTemplate: { spec: { template } } } }],
  ])('%s', (kind, manifest) => {
    expect(PodPlan.isWorkload(manifest)).toBe(true);
    const plan = PodPlan.fromManifest(manifest);
    expect([plan.kind, plan.name]).toEqual([kind, 'w']);
    // the template's metadata is read: its AppArmor annotation fails baseline
    expect(plan.podSecurity.violations.map(v => v.control)).toContain('AppArmor');
    expect(plan.startOrder).toEqual([{ containers: ['app'], role: 'app', until: 'running' }]);
    expect('completes' in plan.toJson()).toBe(kind === 'Job' || kind === 'CronJob');
  });

  test.each<[string, any]>([
    ['a Pod', { kind: 'Pod', spec }],
    ['a Deployment', { kind: 'Deployment', spec: { template: { spec } } }],
    ['a CronJob', { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec } } } } }],
  ])('%s without metadata: unnamed, no namespace, no annotations', (_, manifest) => {
    const plan = PodPlan.fromManifest(manifest);
    expect([plan.name, plan.namespace]).toEqual(['(unnamed)', undefined]);
    expect(plan.toJson()).toMatchObject({ name: '(unnamed)', namespace: null });
    expect(plan.podSecurity.violations.map(v => v.control)).not.toContain('AppArmor');
  });

  test('the JSON shape: namespace as set, completes for Jobs only, every field in its documented order', () => {
    const job = PodPlan.fromManifest({ kind: 'Job', metadata: { name: 'j', namespace: 'shop' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [c('app')] } } } });
    expect(Object.keys(job.toJson())).toEqual(['kind', 'name', 'namespace', 'effective', 'steadyState', 'unboundedLimits', 'qos', 'podSecurity', 'startOrder',
      'stopOrder', 'volumes', 'ports', 'completes', 'warnings', 'errors', 'findings', 'suppressed']);
    expect(job.toJson()).toMatchObject({ kind: 'Job', name: 'j', namespace: 'shop', completes: 'yes' });
    expect(job.completes).toBe('yes');
    expect(PodPlan.fromManifest(pod({ containers: [c('app')] })).completes).toBeUndefined();
  });

  test('resources and unbounded limits in sorted order, whatever order the containers name them in', () => {
    const plan = PodPlan.fromManifest(pod({ containers: [c('a', { memory: '1Gi', cpu: '1' }, { memory: '1Gi', cpu: '1' }), c('b')] }));
    expect(plan.unboundedLimits).toEqual(['cpu', 'memory']);
    expect(Object.keys(plan.effective.requests)).toEqual(['cpu', 'memory']);
    expect(Object.keys(plan.steadyState.limits)).toEqual(['cpu', 'memory']);
  });

  test('a volume with no source is of type unknown; a volumes field that is no list is an error', () => {
    expect(PodPlan.fromManifest(pod({ containers: [c('a')], volumes: [{ name: 'v' }] })).volumes).toEqual([{ name: 'v', type: 'unknown', readWrite: [], readOnly: [] }]);
    const plan = PodPlan.fromManifest(pod({ containers: [c('a', undefined, undefined, { volumeMounts: { name: 'v' } })], volumes: { name: 'v' } }));
    expect(plan.volumes).toEqual([]);
    expect(plan.errors).toEqual(['volumes: {"name":"v"} is not a list. Write volumes as a list of volumes.']);
  });

  test('the resources of a regular init container are reported under initContainers', () => {
    expect(PodPlan.fromManifest(pod({ initContainers: [c('init', { cpu: 'x' })], containers: [c('a')] })).errors).toEqual([
      'initContainers[init].resources.requests.cpu: "x" is not a Kubernetes quantity of zero or more. Write a non-negative Kubernetes quantity, such as "250m", "1", "128Mi" or "1Gi" (cdk8s-plus: Cpu.millis(n), Size.mebibytes(n)).',
    ]);
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
    expect(plan.stopOrder).toEqual([
      { containers: ['web', 'worker'], role: 'app', until: 'exited' },
      { containers: ['logs'], role: 'sidecar', until: 'exited' },
      { containers: ['proxy'], role: 'sidecar', until: 'exited' },
    ]);
  });

  test('a Pod without app containers has no app step in either order', () => {
    const plan = PodPlan.fromManifest(pod({ initContainers: [sidecar('logs')], containers: [] }));
    expect(plan.startOrder).toEqual([{ containers: ['logs'], role: 'sidecar', until: 'process started' }]);
    expect(plan.stopOrder).toEqual([{ containers: ['logs'], role: 'sidecar', until: 'exited' }]);
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

// The wording of each finding is tested with its rule (test/rules); here, which rules
// the plan reports for a manifest, and that malformed input never throws.
const rulesOf = (plan: PodPlan, level?: string) => plan.findings.filter(f => level === undefined || f.level === level).map(f => f.rule);

describe('errors', () => {
  const withPorts = (...ports: any[]) => ({ containers: [c('a', undefined, undefined, { ports })] });
  test.each<[string, any, string[]]>([
    ['two containers of one name', { containers: [c('a'), c('a')] }, ['duplicate-container-name']],
    ['one port twice', { containers: [c('a', undefined, undefined, { ports: [{ containerPort: 80 }] }), c('b', undefined, undefined, { ports: [{ containerPort: 80 }] })] }, ['port-conflict']],
    ['a probe on a regular init container', { initContainers: [c('init', undefined, undefined, { readinessProbe: { exec: { command: ['true'] } } })], containers: [c('a')] }, ['init-container-lifecycle']],
    ['a malformed quantity', { containers: [c('a', { memory: '100mi' })] }, ['quantity']],
    ['a request above its limit', { containers: [c('a', { cpu: '2' }, { cpu: '1' })] }, ['request-above-limit']],
    ['no container', { containers: [] }, ['no-containers']],
    ['a name with a line break', { containers: [c('a\nb')] }, ['container-name']],
    ['a name that is not a string', { containers: [c(7 as any)] }, ['container-name']],
    ['port 0', withPorts({ containerPort: 0 }), ['port-number']],
    ['port 65536', withPorts({ containerPort: 65536 }), ['port-number']],
    ['a fractional port', withPorts({ containerPort: 80.5 }), ['port-number']],
    ['a port as a string', withPorts({ containerPort: '80' }), ['port-number']],
    ['ports 1 and 65535', withPorts({ containerPort: 1 }, { containerPort: 65535 }), []],
    ['one port number for TCP and UDP', withPorts({ containerPort: 53 }, { containerPort: 53, protocol: 'UDP' }), []],
    ['one port number twice in a container', withPorts({ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'UDP' }), ['port-conflict']],
    ['an upper-case name', { containers: [c('App')] }, ['container-name']],
    ['a sidecar and an app container of one name', { initContainers: [sidecar('a', undefined, { cpu: '1', memory: '1Gi' })], containers: [c('a')] }, ['duplicate-container-name']],
    ['a startupProbe on a regular init container, and an init container that is no object', {
      initContainers: [c('init', undefined, undefined, { startupProbe: { exec: { command: ['true'] } } }), 3],
      containers: [c('a')],
    }, ['pod-spec-shape', 'init-container-lifecycle']],
    ['a lifecycle and a liveness probe on a regular init container', {
      initContainers: [c('init', undefined, undefined, { lifecycle: { preStop: { exec: { command: ['true'] } } }, livenessProbe: { exec: { command: ['true'] } } })],
      containers: [c('a')],
    }, ['init-container-lifecycle', 'init-container-lifecycle']],
    ['probes and a lifecycle on a sidecar', {
      initContainers: [sidecar('s', undefined, { cpu: '1', memory: '1Gi' }, { startupProbe: { exec: { command: ['true'] } }, lifecycle: { preStop: { exec: { command: ['true'] } } } })],
      containers: [c('a')],
    }, []],
    ['tail as PID 1 of a native sidecar', { initContainers: [sidecar('s', undefined, { cpu: '1', memory: '1Gi' }, { command: ['/usr/bin/tail'], args: ['-F', '/var/log/app.log'] })], containers: [c('a')] }, ['sidecar-ignores-sigterm']],
  ])('%s: exactly these errors', (_, spec, rules) => {
    const plan = PodPlan.fromManifest(pod(spec));
    expect(rulesOf(plan, 'error')).toEqual(rules);
    expect(plan.errors).toEqual(plan.findings.filter(f => f.level === 'error').map(f => f.message));
  });

  describe('a Job that never completes', () => {
    const job = (kind: string, containers: any[]) => {
      const spec = { restartPolicy: 'Never', containers };
      return { kind, metadata: { name: 'j' }, spec: kind === 'CronJob' ? { jobTemplate: { spec: { template: { spec } } } } : { template: { spec } } };
    };
    const main = c('main', undefined, undefined, { command: ['sh', '-c', 'echo done'] });
    const follower = (command: string[], args?: string[]) => c('logs', undefined, undefined, { command, args });

    test.each(['Job', 'CronJob'])('%s: the follower is named, and completes is never', (kind) => {
      const plan = PodPlan.fromManifest(job(kind, [main, follower(['tail', '-F', '/opt/logs.txt'])]));
      expect(plan.completes).toBe('never');
      expect(rulesOf(plan)).toEqual(['job-never-completes']);
      expect(plan.errors[0]).toMatch(/^containers\[logs\]\.command: "tail -F \/opt\/logs.txt" does not exit by itself/);
    });

    test('a suppressed finding does not count, but the Job still does not complete', () => {
      const manifest: any = job('Job', [main, follower(['tail', '-F', '/opt/logs.txt'])]);
      manifest.metadata.annotations = { 'cdk8s-sidecars/suppressed-rules': JSON.stringify({ 'job-never-completes': 'killed by activeDeadlineSeconds on purpose' }) };
      const plan = PodPlan.fromManifest(manifest);
      expect(plan.errors).toEqual([]);
      expect(plan.suppressed.map(f => [f.rule, f.reason])).toEqual([['job-never-completes', 'killed by activeDeadlineSeconds on purpose']]);
      expect(plan.completes).toBe('never');
      expect(plan.toJson().suppressed).toEqual(plan.suppressed);
    });

    test.each<[string, any, string | undefined]>([
      ['a Job of one container that never exits (its main program)', job('Job', [follower(['tail', '-F', '/x'])]), 'yes'],
      ['a Deployment with a follower', { kind: 'Deployment', spec: { template: { spec: { containers: [main, follower(['tail', '-F', '/x'])] } } } }, undefined],
      ['a Job whose follower is wrapped by SidecarJob', job('Job', [main, follower(['/bin/sh', '-c', `${SIDECAR_WRAPPER_MARK}\n...`, 'logs', 'tail', '-F', '/x'])]), 'yes'],
      // two containers, neither shown to run forever nor to stop: the plan cannot tell
      ['a Job whose second container exits', job('Job', [main, follower(['tail', '-n', '5', '/x'])]), 'unknown'],
      ['a Job whose follower command is no list', job('Job', [main, { ...follower([]), command: 'tail -F /x' }]), 'unknown'],
    ])('no error: %s', (_, manifest, completes) => {
      const plan = PodPlan.fromManifest(manifest);
      expect(plan.errors).toEqual([]);
      expect(plan.completes).toBe(completes);
      expect(rulesOf(plan, 'warning').includes('job-completion-unknown')).toBe(completes === 'unknown');
    });

    test('a plain Job with cloud-sql-proxy beside the migration: unknown, with a warning naming both containers and the fix', () => {
      const plan = PodPlan.fromManifest(job('Job', [
        c('migrate', undefined, undefined, { image: 'example.com/migrate:1.4.0', command: ['./migrate', 'up'] }),
        c('cloud-sql-proxy', undefined, undefined, { image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0', args: ['--port=5432', 'project:region:db'] }),
      ]));
      expect(plan.completes).toBe('unknown');
      expect(plan.errors).toEqual([]);
      expect(plan.warnings).toEqual([
        'containers: ["migrate","cloud-sql-proxy"] run side by side in this Job, and nothing shows that each exits by itself: the Pod, and with it the Job, completes only when every one has exited, '
        + 'and one that serves until stopped (a proxy, an agent) keeps the Job running until its activeDeadlineSeconds, or forever. '
        + 'Make the containers that serve until stopped native sidecars (init containers with restartPolicy: Always, Kubernetes 1.29+), '
        + 'or build the Job with SidecarJob or JobCompletion, which stop classic sidecars when the main containers are done; '
        + 'if each of them exits by itself, suppress this rule for the workload with that reason.',
      ]);
      // as a native sidecar, the proxy no longer counts: the Job completes
      const fixed = PodPlan.fromManifest(job('Job', [c('migrate', undefined, undefined, { command: ['./migrate', 'up'] })]) as any);
      expect(fixed.completes).toBe('yes');
    });

    test('a native sidecar that traps TERM beside a Job completes', () => {
      const native = PodPlan.fromManifest({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'myjob' },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              initContainers: [sidecar('logshipper', undefined, { cpu: '1', memory: '1Gi' }, { command: ['sh', '-c', 'trap "exit 0" TERM; tail -F /opt/logs.txt & wait'] })],
              containers: [c('myjob')],
            },
          },
        },
      });
      expect(native.completes).toBe('yes');
      expect(native.errors).toEqual([]);
    });
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
      'initContainers: "setup" is not a list. Write initContainers as a list of containers.',
      'containers[1]: null is not a container. Write each entry of containers as a mapping.',
      expect.stringMatching(/^containers\[a\]\.resources\.requests\.cpu: \["1"\] is not a Kubernetes quantity/),
      expect.stringMatching(/^containers\[a\]\.resources\.limits: "big" is not a map of resource names to quantities/),
    ]));
    expect(plan.podSecurity.violations).toContainEqual(expect.objectContaining({ control: 'Capabilities', container: 'a', field: 'spec.containers[a].securityContext.capabilities.drop' }));
  });

  test('entries of volumes, volume mounts and ports that are not objects are errors or skipped, never an exception', () => {
    const plan = PodPlan.fromManifest(pod({
      volumes: [null, 7, { name: 'v', emptyDir: {} }],
      containers: [c('a', undefined, undefined, { ports: [null, { containerPort: 80 }], volumeMounts: [null, 'v', { name: 'v', mountPath: '/v' }] })],
    }));
    expect(rulesOf(plan, 'error')).toEqual(['pod-spec-shape', 'pod-spec-shape', 'port-number', 'mount-path', 'mount-path']);
    expect(plan.volumes).toEqual([{ name: 'v', type: 'emptyDir', readWrite: ['a'], readOnly: [] }]);
    expect(plan.ports).toEqual([{ container: 'a', port: 80, protocol: 'TCP' }]);
  });

  test('an object without a pod template, or without a pod spec', () => {
    expect(() => PodPlan.fromManifest({ kind: 'Service', metadata: { name: 's' } })).toThrow('Service "s" has no pod template: plans are made of Pods, Deployments, '
      + 'StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs.');
    expect(() => PodPlan.fromManifest({ kind: 'Deployment', metadata: { name: 'd' }, spec: {} })).toThrow('Deployment "d" has no pod spec where its kind keeps it.');
    expect(() => PodPlan.fromManifest({ kind: 'Deployment' })).toThrow(/^Deployment has no pod spec/);
    expect(() => PodPlan.fromManifest({ kind: 'CronJob', spec: { jobTemplate: {} } })).toThrow(/^CronJob has no pod spec/);
    expect(() => PodPlan.fromManifest({ kind: 'CronJob', spec: { jobTemplate: { spec: {} } } })).toThrow(/^CronJob has no pod spec/);
    expect(() => PodPlan.fromManifest({ kind: 'Pod', spec: null })).toThrow(/^Pod has no pod spec/);
    expect(() => PodPlan.fromManifest({ kind: 'Pod', metadata: { name: 'p' }, spec: [{ containers: [] }] })).toThrow('Pod "p" has no pod spec');
    expect(() => PodPlan.fromManifest({ kind: 'Pod', spec: 'containers: []' })).toThrow('Pod has no pod spec');
    expect(() => PodPlan.fromManifest({ metadata: { name: 'x' } })).toThrow(/^an object without kind "x" has no pod template/);
    expect(() => PodPlan.fromManifest(null)).toThrow(/^an object without kind has no pod template/);
    expect([null, 'Pod', {}, { kind: 'Service' }, { kind: 'constructor' }, { kind: 'toString' }].map(m => PodPlan.isWorkload(m))).toEqual([false, false, false, false, false, false]);
  });
});

describe('warnings', () => {
  const limited = { cpu: '1', memory: '1Gi' };
  test.each<[string, any, any, string[]]>([
    ['a sidecar without a memory limit', { initContainers: [sidecar('s', undefined, { cpu: '1' })], containers: [c('a')] }, {}, ['sidecar-without-limits']],
    ['a sidecar without limits', { initContainers: [sidecar('s')], containers: [c('a')] }, {}, ['sidecar-without-limits']],
    ['a readinessProbe on a sidecar without ports', { initContainers: [sidecar('s', undefined, limited, { readinessProbe: { exec: { command: ['true'] } }, ports: [] })], containers: [c('a')] }, {}, ['readiness-without-traffic']],
    ['two sidecars on Kubernetes 1.28', { initContainers: [sidecar('s', undefined, limited), sidecar('t', undefined, limited)], containers: [c('a')] }, { kubernetesVersion: '1.28' }, ['native-sidecars-unsupported']],
    ['sidecars requesting more memory than the app', { initContainers: [sidecar('s', { memory: '65Mi' }, limited)], containers: [c('a', { memory: '64Mi' })] }, {}, ['sidecars-request-more-than-app']],
    ['two sidecars together requesting more cpu than the app', {
      initContainers: [sidecar('s', { cpu: '300m' }, limited), c('init', { cpu: '4' }), sidecar('t', { cpu: '300m' }, limited)],
      containers: [c('a', { cpu: '250m' }), c('b', { cpu: '250m' })],
    }, {}, ['sidecars-request-more-than-app']],
    ['a proxy without a startupProbe', { initContainers: [sidecar('s', undefined, limited, { image: 'envoyproxy/envoy:v1.37.6' })], containers: [c('a')] }, {}, ['proxy-without-startup-probe']],
  ])('%s: exactly this warning', (_, spec, options, rules) => {
    const plan = PodPlan.fromManifest(pod(spec), options);
    expect(rulesOf(plan, 'warning')).toEqual(rules);
    expect(plan.warnings).toEqual(plan.findings.filter(f => f.level === 'warning').map(f => f.message));
    expect(plan.errors).toEqual([]);
  });

  test.each(['envoyproxy/envoy:v1.37.6', 'envoy', 'docker.io/istio/proxyv2:1.24.0', 'istio-proxy@sha256:abc', 'linkerd-proxy:1', 'linkerd2-proxy', 'cr.l5d.io/linkerd/proxy:edge-24.11.8',
    'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0', 'haproxy:3.1', 'quay.io/oauth2-proxy/oauth2-proxy:v7.7.1'])('%s is a proxy: without a startupProbe, a warning', (image) => {
    const plan = PodPlan.fromManifest(pod({ initContainers: [sidecar('s', undefined, limited, { image })], containers: [c('a')] }));
    // (an image without a tag is also a mutable-image-tag warning)
    expect(rulesOf(plan).filter(r => r !== 'mutable-image-tag')).toEqual(['proxy-without-startup-probe']);
  });

  test.each(['my-envoy:1', 'envoy-ratelimit:1', 'example.com/proxy:1', 'cr.l5d.io/linkerd/proxy-init:v2.4.1', 'linkerd/proxyx'])('%s is not a proxy: no warning', (image) => {
    const plan = PodPlan.fromManifest(pod({ initContainers: [sidecar('s', undefined, limited, { image })], containers: [c('a')] }));
    expect(rulesOf(plan).filter(r => r !== 'mutable-image-tag')).toEqual([]);
  });

  test.each<[string, any, any]>([
    ['sidecar limits set', { initContainers: [sidecar('s', undefined, limited)], containers: [c('a')] }, {}],
    ['a limit without requests on a regular init container', { initContainers: [c('init')], containers: [c('a')] }, {}],
    ['a readinessProbe on a sidecar with a port', { initContainers: [sidecar('s', undefined, limited, { readinessProbe: { exec: { command: ['true'] } }, ports: [{ containerPort: 9901 }] })], containers: [c('a')] }, {}],
    ['proxies with a startupProbe', {
      initContainers: ['envoyproxy/envoy:v1.37.6', 'docker.io/istio/proxyv2:1.24.0', 'linkerd2-proxy:stable', 'haproxy@sha256:abc', 'oauth2-proxy:v7.7.1'].map((image, i) =>
        sidecar(`p${i}`, undefined, limited, { image, startupProbe: { tcpSocket: { port: 15000 + i } } })),
      containers: [c('a')],
    }, {}],
    ['images that only resemble a proxy', {
      initContainers: ['myenvoy:1.0', 'envoy-tools:1.0', 'registry.example.com/team/envoyish:2', 'example.com/proxy:1'].map((image, i) => sidecar(`p${i}`, undefined, limited, { image })),
      containers: [c('a')],
    }, {}],
    ['a proxy as a regular init container', { initContainers: [c('envoy', undefined, undefined, { image: 'envoyproxy/envoy:v1.37.6' })], containers: [c('a')] }, {}],
    ['native sidecars on Kubernetes 1.29', { initContainers: [sidecar('s', undefined, limited)], containers: [c('a')] }, { kubernetesVersion: '1.29' }],
    ['Kubernetes 1.28 without sidecars', { initContainers: [c('init')], containers: [c('a')] }, { kubernetesVersion: '1.28' }],
    ['tail with a shared process namespace (not PID 1)', { shareProcessNamespace: true, initContainers: [sidecar('s', undefined, limited, { command: ['tail', '-F', '/x'] })], containers: [c('a')] }, {}],
    ['a script that traps TERM', { initContainers: [sidecar('s', undefined, limited, { command: ['sh', '-c', 'trap "exit 0" TERM; tail -F /x & wait'] })], containers: [c('a')] }, {}],
    ['args without a command (the image entrypoint runs)', { initContainers: [sidecar('s', undefined, limited, { args: ['sleep', 'infinity'] })], containers: [c('a')] }, {}],
    ['sidecars requesting as much as the app', { initContainers: [sidecar('s', { cpu: '250m', memory: '64Mi' }, limited)], containers: [c('a', { cpu: '250m', memory: '64Mi' })] }, {}],
    ['an app without requests', { initContainers: [sidecar('s', { cpu: '250m' }, limited)], containers: [c('a')] }, {}],
    ['a regular init container requesting more than the app', { initContainers: [c('init', { cpu: '4' })], containers: [c('a', { cpu: '250m' })] }, {}],
    ['a sidecar with limits after a regular init container without', { initContainers: [c('init'), sidecar('s', undefined, limited)], containers: [c('a')] }, {}],
    ['an image that is a list, not a string', { initContainers: [sidecar('s', undefined, limited, { image: ['envoy'] })], containers: [c('a')] }, {}],
    ['a sidecar with an empty command', { initContainers: [sidecar('s', undefined, limited, { command: [] })], containers: [c('a')] }, {}],
  ])('no finding for %s', (_, spec, options) => {
    const plan = PodPlan.fromManifest(pod(spec), options);
    expect(plan.findings).toEqual([]);
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
