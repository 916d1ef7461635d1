import { ContainerAmounts } from './resources';
import { SIDECAR_WRAPPER_MARK } from '../core/completion';
import { nameInPath } from '../core/errors';
import { neverExits } from '../core/job-completion';
import { KubernetesVersion } from '../core/mode';
import { isDnsLabel, isPlainObject, sigtermProblem } from '../core/validate';

/**
 * Where a container stands in a Pod spec, for messages: `spec.containers[app]`, the
 * name quoted when it is not plain (see nameInPath).
 *
 * @internal
 */
export function containerPath(list: string, name: unknown): string {
  return `spec.${list}[${nameInPath(name)}]`;
}

/**
 * The entries of a manifest list that are objects; none when it is no list. Malformed
 * input (which the plan reports) must not make the checks throw.
 *
 * @internal
 */
export function objectsIn(value: unknown): any[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/** What the checks of one pod template look at. @internal */
export interface PodCheckInput {
  readonly kind: string;
  readonly spec: any;
  readonly initSpecs: any[];
  readonly appSpecs: any[];
  readonly init: ContainerAmounts[];
  readonly app: ContainerAmounts[];
  readonly kubernetesVersion?: string;
}

/**
 * The warnings' rule names, for `PlanValidation`'s `failOnWarnings`.
 *
 * @internal
 */
export const WARNING_RULES = ['native-sidecars-unsupported', 'sidecar-without-limits', 'readiness-without-traffic', 'proxy-without-startup-probe',
  'sidecar-ignores-sigterm', 'sidecars-request-more-than-app'];

/** Whether an image is of a proxy that the app needs at start-up. */
function isProxyImage(image: string): boolean {
  return /(^|\/)(envoy|proxyv2|istio-proxy|linkerd2?-proxy|linkerd\/proxy|cloud-sql-proxy|haproxy|oauth2-proxy)(:|@|$)/.test(image);
}

/**
 * The errors (what the API server would reject, or a Job that can never complete)
 * and warnings of one pod template.
 *
 * @internal
 */
export function podChecks(input: PodCheckInput): { errors: string[]; warnings: Array<{ rule: string; message: string }>; neverCompletes: boolean } {
  const errors: string[] = [];
  const warnings: Array<{ rule: string; message: string }> = [];
  const warn = (rule: string, message: string) => warnings.push({ rule, message });
  const all = [
    ...input.initSpecs.map(c => ({ c, where: containerPath('initContainers', c.name) })),
    ...input.appSpecs.map(c => ({ c, where: containerPath('containers', c.name) })),
  ];
  if (input.appSpecs.length === 0) {
    errors.push('spec.containers: the Pod has no container; the API server rejects it.');
  }

  // what the API server rejects
  const names = new Set<string>();
  const ports = new Map<string, string>();
  for (const { c, where } of all) {
    if (typeof c.name !== 'string' || !isDnsLabel(c.name)) {
      errors.push(`${where}.name: ${JSON.stringify(c.name)} is not a valid container name (a DNS label).`);
    } else if (names.has(c.name)) {
      errors.push(`${where}.name: "${c.name}" is the name of two containers of the Pod.`);
    }
    names.add(c.name);
    for (const port of Array.isArray(c.ports) ? c.ports : []) {
      if (!Number.isInteger(port?.containerPort) || port.containerPort < 1 || port.containerPort > 65535) {
        errors.push(`${where}.ports: ${JSON.stringify(port?.containerPort ?? null)} is not a port number.`);
        continue;
      }
      const key = `${port.containerPort}/${port.protocol ?? 'TCP'}`;
      const owner = ports.get(key);
      if (owner) {
        errors.push(`${where}.ports: ${key} is also declared by container "${owner}"; all containers of a Pod share one network namespace.`);
      }
      ports.set(key, c.name);
    }
  }
  for (const c of input.initSpecs.filter(i => i.restartPolicy !== 'Always')) {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe', 'lifecycle']) {
      if (c[probe] !== undefined) {
        errors.push(`${containerPath('initContainers', c.name)}.${probe}: a regular init container may not have one (only a sidecar, with restartPolicy: Always, may).`);
      }
    }
  }

  // a Job whose Pod never completes
  let neverCompletes = false;
  if ((input.kind === 'Job' || input.kind === 'CronJob') && input.appSpecs.length > 1) {
    for (const c of input.appSpecs) {
      const words: unknown[] = [...Array.isArray(c.command) ? c.command : [], ...Array.isArray(c.args) ? c.args : []];
      const commandLine = words.join(' ');
      // a classic sidecar wrapped by SidecarJob stops when the main containers are done
      const wrapped = typeof words[2] === 'string' && words[2].startsWith(SIDECAR_WRAPPER_MARK);
      if (!wrapped && neverExits(commandLine)) {
        neverCompletes = true;
        const shown = commandLine.length > 80 ? `${commandLine.slice(0, 77)}...` : commandLine;
        errors.push(`${containerPath('containers', c.name)}: runs ${JSON.stringify(shown)}, which does not exit by itself, beside the main container: the Job will never complete. `
          + 'Make it a native sidecar (an init container with restartPolicy: Always, Kubernetes 1.29+), or stop it when the main container is done.');
      }
    }
  }

  // warnings
  const version = input.kubernetesVersion === undefined ? undefined : KubernetesVersion.of(input.kubernetesVersion);
  const sidecars = input.initSpecs.filter(c => c.restartPolicy === 'Always');
  if (version && !version.supportsNativeSidecars && sidecars.length > 0) {
    warn('native-sidecars-unsupported', `${sidecars.map(c => c.name).join(', ')}: native sidecars (restartPolicy: Always) need Kubernetes 1.29 or newer; ${version} rejects or ignores them.`);
  }
  for (const c of sidecars) {
    const amounts = input.init.find(a => a.name === c.name)!;
    const missing = ['cpu', 'memory'].filter(name => !amounts.limits.has(name));
    if (missing.length > 0) {
      warn('sidecar-without-limits', `${containerPath('initContainers', c.name)}: the sidecar has no ${missing.join(' or ')} limit, so it may take what the app needs.`);
    }
    if (c.readinessProbe && !(Array.isArray(c.ports) && c.ports.length > 0)) {
      warn('readiness-without-traffic', `${containerPath('initContainers', c.name)}: the sidecar has a readinessProbe but declares no port: a failing probe takes the Pod out of its Services although the sidecar serves no traffic.`);
    }
    if (!c.startupProbe && typeof c.image === 'string' && isProxyImage(c.image)) {
      warn('proxy-without-startup-probe', `${containerPath('initContainers', c.name)}: a proxy without a startupProbe: the app may start before the proxy serves.`);
    }
    const command = [...Array.isArray(c.command) ? c.command : [], ...Array.isArray(c.args) ? c.args : []].map(String);
    const sigterm = command.length > 0 && Array.isArray(c.command) && input.spec.shareProcessNamespace !== true ? sigtermProblem(command) : undefined;
    if (sigterm) {
      warn('sidecar-ignores-sigterm', `${containerPath('initContainers', c.name)}: ${sigterm}; as PID 1 it ignores SIGTERM, so every stop of the Pod waits the whole grace period. Trap TERM or exec a program that handles it.`);
    }
  }
  for (const resource of ['cpu', 'memory']) {
    const sum = (list: ContainerAmounts[]) => list.reduce((total, c) => total + (c.requests.get(resource) ?? 0n), 0n);
    const sidecarTotal = sum(input.init.filter(c => c.sidecar));
    const appTotal = sum(input.app);
    if (sidecarTotal > appTotal && appTotal > 0n) {
      warn('sidecars-request-more-than-app', `the sidecars request more ${resource} than the app containers: check their requests.`);
    }
  }
  return { errors, warnings, neverCompletes };
}
