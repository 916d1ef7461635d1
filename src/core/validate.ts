import * as net from 'net';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { describeProblem, fail, nameInPath } from './errors';
import { sharesProcessNamespace } from './pod-spec';
import { parseQuantity } from './resources';
import { sidecarContainerInfo } from './sidecar-containers';

// The patterns below stand inside the functions that use them, not at module level,
// so that mutation testing (docs/MUTATION.md) tests every change to them.

/**
 * Whether `name` is a DNS-1123 label: the format of container and volume names.
 *
 * @internal
 */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/**
 * Whether `host` is a DNS name or an IP address, of characters that are safe in
 * generated configuration and shell commands.
 *
 * @param absoluteName also accept a DNS name with a trailing dot (an absolute name,
 * which resolvers look up without search domains)
 * @internal
 */
export function isHost(host: string, absoluteName = false): boolean {
  if (/^[0-9.]+$/.test(host)) {
    // resolvers read a name of digits and dots as an IPv4 address: it must be a valid one
    return net.isIPv4(host);
  }
  if (host.includes(':')) {
    // an IPv6 address, without a zone index ("%eth0" names an interface of one node)
    return net.isIPv6(host) && !host.includes('%');
  }
  const name = absoluteName && host.endsWith('.') ? host.slice(0, -1) : host;
  return /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/.test(name);
}

/**
 * Whether `port` is a TCP/UDP port number.
 *
 * @internal
 */
export function isPort(port: number | undefined): boolean {
  return port !== undefined && Number.isInteger(port) && port >= 1 && port <= 65535;
}

const PORT_NAME_FIX = 'Use at most 15 lower-case letters, digits and single hyphens, with at least one letter, for example "http-metrics".';

/**
 * Whether `name` may name a container port (an IANA service name): at most 15
 * lower-case letters, digits and single hyphens inside, with at least one letter.
 *
 * @internal
 */
export function isPortName(name: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

/**
 * Throws unless every port of a container has a port number, the number and protocol
 * once, and a valid name used once (cdk8s-plus would throw a bare error for a repeat,
 * and the API server refuses the rest).
 *
 * @internal
 */
export function checkContainerPorts(scope: IConstruct, ports: kplus.ContainerPort[]): void {
  const declared = new Set<string>();
  ports.forEach((port, i) => {
    checkPort(scope, `ports[${i}].number`, port.number);
    const key = `${port.number}/${port.protocol ?? kplus.Protocol.TCP}`;
    if (declared.has(key)) {
      fail(scope, `ports[${i}].number`, port.number, `is declared twice (${key})`, 'Declare each port of the container once.');
    }
    declared.add(key);
    if (port.name === undefined) {
      return;
    }
    if (!isPortName(port.name)) {
      fail(scope, `ports[${i}].name`, port.name, 'is not a port name',
        PORT_NAME_FIX);
    }
    if (declared.has(`name ${port.name}`)) {
      fail(scope, `ports[${i}].name`, port.name, 'names two ports of the container', 'Give each port a name of its own.');
    }
    declared.add(`name ${port.name}`);
  });
}

/**
 * Throws unless `port` is a TCP/UDP port number; returns it.
 *
 * @internal
 */
export function checkPort(scope: IConstruct, field: string, port: number | undefined): number {
  if (!isPort(port)) {
    fail(scope, field, port, 'is not a port number', 'Use a whole number from 1 to 65535.');
  }
  return port!;
}

/**
 * A duration in whole seconds, as probes, hooks, drains and Envoy's timeouts are
 * written; throws for a fraction.
 *
 * @internal
 */
export function wholeSeconds(scope: IConstruct, field: string, duration: Duration): number {
  // (cdk8s's Duration is never negative: it throws for a negative amount)
  const value = duration.toSeconds({ integral: false });
  if (!Number.isInteger(value)) {
    fail(scope, field, `${value}s`, 'is not a whole number of seconds', 'Use Duration.seconds(n) with a whole n: these times are written in whole seconds.');
  }
  return value;
}

/**
 * A size in whole MiB of at least 1, as cdk8s-plus writes an emptyDir's size limit and
 * the engines their buffers; throws for a fraction or nothing.
 *
 * @internal
 */
export function wholeMebibytes(scope: IConstruct, field: string, size: Size): number {
  const value = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(value) || value < 1) {
    fail(scope, field, `${value}Mi`, 'is not a whole number of MiB of at least 1', 'Use Size.mebibytes(n) with a whole n of 1 or more: these sizes are written in MiB.');
  }
  return value;
}

/**
 * Whether a value is an object and not null or a list, as a map of a manifest or of
 * user props must be.
 *
 * @internal
 */
export function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether `key` may be a key of a Secret or ConfigMap (letters, digits and -._).
 *
 * @internal
 */
export function isConfigKey(key: string): boolean {
  return /^[-._a-zA-Z0-9]{1,253}$/.test(key);
}

/**
 * Whether `path` is a URL path of plain characters, starting with "/".
 *
 * @internal
 */
export function isUrlPath(path: string): boolean {
  return /^\/[A-Za-z0-9._~!$&()*+,;=:@%/-]*$/.test(path);
}

/**
 * Throws unless `name` is a DNS-1123 label, the format of container, volume and
 * port-less object names inside a Pod.
 *
 * @internal
 */
export function checkName(scope: IConstruct, field: string, name: string): void {
  if (!isDnsLabel(name)) {
    fail(scope, field, name, 'is not a valid name',
      'Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit, for example "log-shipper".');
  }
}

/**
 * Throws unless `name` may name a Secret or ConfigMap: a DNS-1123 subdomain of at most
 * 253 characters, dot-separated labels of lower-case letters, digits and "-".
 *
 * @internal
 */
export function checkObjectName(scope: IConstruct, field: string, name: string): void {
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    fail(scope, field, name, 'is not the name of a Secret or ConfigMap', 'Use lower-case letters, digits, "-" and ".", for example "web-tls".');
  }
}

/**
 * The problem with a path that must be absolute inside a container, or undefined.
 *
 * @internal
 */
export function absolutePathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) {
    return 'is not an absolute path';
  }
  if (path.includes(':')) {
    return 'contains ":", which mount paths may not';
  }
  if (path.split('/').includes('..')) {
    return 'contains a ".." component';
  }
  return undefined;
}

/**
 * Throws unless `path` is an absolute path fit for a mount.
 *
 * @internal
 */
export function checkAbsolutePath(scope: IConstruct, field: string, path: string): void {
  const problem = absolutePathProblem(path);
  if (problem) {
    fail(scope, field, path, problem, 'Give an absolute path inside the container, for example "/var/log/app".');
  }
}

/**
 * The whole-Pod checks, run when the app is synthesized, once every container,
 * port and mount of the workload is known. Returns one message per problem.
 *
 * @internal
 */
export function validatePod(workload: kplus.AbstractPod): string[] {
  const problems: string[] = [];
  const report = (field: string, value: unknown, problem: string, fix: string) =>
    problems.push(describeProblem(field, value, problem, fix));

  const all = [
    ...workload.initContainers.map(c => ({ c, list: 'initContainers' })),
    ...workload.containers.map(c => ({ c, list: 'containers' })),
  ];

  const names = new Map<string, string>();
  const ports = new Map<string, string>();
  for (const [port, owner] of reservedPorts.get(workload) ?? []) {
    const key = `${port}/${kplus.Protocol.TCP}`;
    const first = ports.get(key);
    if (first) {
      report('ports', port, `is used by ${first} and by ${owner}, and all containers of a Pod share one network namespace`,
        'Move one of them to a free port (every sidecar construct has a prop for its ports).');
    } else {
      ports.set(key, owner);
    }
  }
  for (const { c, list } of all) {
    const where = `${list}[${nameInPath(c.name)}]`;
    if (!isDnsLabel(c.name)) {
      report(`${where}.name`, c.name, 'is not a valid container name',
        'Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.');
    }
    const sameName = names.get(c.name);
    if (sameName) {
      report(`${where}.name`, c.name, `is used by two containers of the Pod (${sameName} and ${list})`,
        'Give every container, sidecars included, a name of its own (sidecars take theirs from the containerName prop).');
    }
    names.set(c.name, list);

    // All containers share the Pod's network namespace: a port may be bound once.
    for (const port of c.ports) {
      if (!isPort(port.number)) {
        report(`${where}.ports`, port.number, 'is not a port number, which the API server refuses', 'Use a whole number from 1 to 65535.');
        continue;
      }
      // (the API server refuses a name used twice in one container, not in two)
      if (port.name !== undefined && !isPortName(port.name)) {
        report(`${where}.ports[${port.number}].name`, port.name, 'is not a port name, which the API server refuses',
          PORT_NAME_FIX);
      }
      const key = `${port.number}/${port.protocol ?? kplus.Protocol.TCP}`;
      const owner = ports.get(key);
      if (owner) {
        report(`${where}.ports`, port.number, `is also ${owner.includes(' ') ? `used by ${owner}` : `declared by container "${owner}"`}, and all containers of a Pod share one network namespace`,
          'Move one of them to a free port (every sidecar construct has a prop for its ports).');
      } else {
        ports.set(key, c.name);
      }
    }

    const mountPaths = new Set<string>();
    for (const mount of c.mounts) {
      const problem = absolutePathProblem(mount.path);
      if (problem) {
        report(`${where}.volumeMounts[${nameInPath(mount.volume.name)}].mountPath`, mount.path, problem, 'Mount volumes at absolute paths, for example "/var/log/app".');
      }
      if (mountPaths.has(mount.path)) {
        report(`${where}.volumeMounts`, mount.path, 'is the mount path of two volumes in one container',
          'Mount each volume at a path of its own (a sidecar construct mounts its volumes where its props say).');
      }
      mountPaths.add(mount.path);
    }

    problems.push(...resourceProblems(where, c.resources));

    const command = sidecarContainerInfo(c)?.command;
    const ignoresSigterm = command && !sharesProcessNamespace(workload) ? sigtermProblem(command) : undefined;
    if (ignoresSigterm) {
      report(`${where}.command`, command!.join(' '),
        `ignores SIGTERM as PID 1 of its container (${ignoresSigterm}), so the kubelet would wait the whole terminationGracePeriodSeconds for this sidecar at every stop of the Pod`,
        'Wrap it: command: Sidecar.exitOnSigterm([...]), or exec a program that handles SIGTERM, or trap TERM in the script.');
    }
  }
  problems.push(...stopTimeProblems(workload));
  return problems;
}

const reservedPorts = new WeakMap<kplus.AbstractPod, Array<[number, string]>>();

/**
 * Records a TCP port that a sidecar listens on without declaring it as a container
 * port (a listener on 127.0.0.1 still takes the port in the Pod's one network
 * namespace), so that the Pod checks find a container port on it.
 *
 * @param owner how the message names the listener, for example `the admin interface of container "mesh-proxy"`
 * @internal
 */
export function reservePodPort(workload: kplus.AbstractPod, port: number, owner: string): void {
  const list = reservedPorts.get(workload) ?? [];
  list.push([port, owner]);
  reservedPorts.set(workload, list);
}

const SHELLS = ['sh', 'ash', 'bash', 'dash', 'ksh', 'zsh'];

/**
 * Why a command, run as PID 1 of its container, would ignore SIGTERM, or undefined
 * when it may handle it. PID 1 gets only the signals it has a handler for: `sleep` and
 * `tail` have none, and neither has a shell script that sets no `trap` (the program it
 * runs never gets the signal) unless it `exec`s a program other than those two.
 *
 * @internal
 */
export function sigtermProblem(command: string[]): string | undefined {
  const program = command[0].split('/').pop()!;
  if (program === 'sleep' || program === 'tail') {
    return `${program} has no SIGTERM handler`;
  }
  const dashC = command.indexOf('-c');
  if (!SHELLS.includes(program) || dashC < 1 || dashC + 1 >= command.length) {
    return undefined;
  }
  const script = command[dashC + 1];
  if (/\btrap\b/.test(script) || (/\bexec\b/.test(script) && !/\bexec\s+(\S*\/)?(sleep|tail)\b/.test(script))) {
    return undefined;
  }
  return `the ${program} script sets no trap and execs no program that handles SIGTERM`;
}

/**
 * How the kubelet stops a Pod that is deleted: every preStop hook starts at once; the
 * app containers exit (within the largest `appStopTime` of the sidecars); then the
 * native sidecars get SIGTERM one after the other in reverse order, each draining and
 * stopping before the next one's turn, while classic sidecars (regular containers,
 * for the kubelet app containers) drain and stop beside the app. All of it must fit
 * the Pod's grace period. A Job's main containers end by themselves, so its deadline
 * must hold the drains and stops only.
 */
function stopTimeProblems(workload: kplus.AbstractPod): string[] {
  let native = 0;
  let classic = 0;
  let appStop = 0;
  for (const c of workload.initContainers) {
    const info = sidecarContainerInfo(c);
    native += info ? info.drainSeconds + info.stopSeconds : 0;
    appStop = Math.max(appStop, info?.appStopSeconds ?? 0);
  }
  for (const c of workload.containers) {
    const info = sidecarContainerInfo(c);
    classic = Math.max(classic, info ? info.drainSeconds + info.stopSeconds : 0);
    appStop = Math.max(appStop, info?.appStopSeconds ?? 0);
  }
  const sidecars = native + classic;
  const problems: string[] = [];
  // the workload's own durations, which cdk8s-plus writes in whole seconds (and throws a bare error for a fraction)
  const whole = (field: string, duration: Duration | undefined): number | undefined => {
    const value = duration?.toSeconds({ integral: false });
    if (value !== undefined && !Number.isInteger(value)) {
      problems.push(describeProblem(field, `${value}s`, 'is not a whole number of seconds', 'Use Duration.seconds(n) with a whole n: Kubernetes takes this field in whole seconds.'));
    }
    return value;
  };
  const grace = whole('terminationGracePeriodSeconds', workload.terminationGracePeriod) ?? 30;
  const needed = appStop + sidecars;
  if (sidecars > 0 && needed >= grace) {
    problems.push(describeProblem('terminationGracePeriodSeconds', grace,
      `cannot hold the app's stop and the sidecars': ${appStop}s for the app containers to exit (appStopTime), then ${sidecars}s for the sidecars to drain and stop (native ones one after the other, after the app), and the kubelet kills what is still running when the grace period ends`,
      `Raise terminationGracePeriod on the workload above ${needed}s, or lower appStopTime to what the app really takes, or shorten the sidecars' drainTime.`));
  }
  const deadline = workload instanceof kplus.Job ? whole('activeDeadlineSeconds', workload.activeDeadline) : undefined;
  if (deadline !== undefined && sidecars >= deadline) {
    problems.push(describeProblem('activeDeadlineSeconds', deadline,
      `is not above the ${sidecars}s the sidecars need to drain and stop after the main containers, so the Job would always fail on its deadline`,
      'Raise activeDeadline well above the time the main containers and the drain take.'));
  }
  return problems;
}

function resourceProblems(where: string, resources: kplus.ContainerResources | undefined): string[] {
  const problems: string[] = [];
  const cpu = resources?.cpu;
  const cpuRequest = quantityOf(`${where}.resources.requests.cpu`, cpu?.request?.amount, problems);
  const cpuLimit = quantityOf(`${where}.resources.limits.cpu`, cpu?.limit?.amount, problems);
  if (cpuRequest !== undefined && cpuLimit !== undefined && cpuRequest > cpuLimit) {
    problems.push(describeProblem(`${where}.resources.requests.cpu`, cpu!.request!.amount, `is above the limit ${cpu!.limit!.amount}`,
      'Lower the request or raise the limit: Kubernetes rejects a request above its limit.'));
  }
  // cdk8s-plus renders memory in whole MiB and ephemeral storage in whole GiB.
  const sizes = [['memory', resources?.memory, 'Mi'], ['ephemeral-storage', resources?.ephemeralStorage, 'Gi']] as const;
  for (const [kind, pair, unit] of sizes) {
    const request = sizeOf(`${where}.resources.requests.${kind}`, pair?.request, unit, problems);
    const limit = sizeOf(`${where}.resources.limits.${kind}`, pair?.limit, unit, problems);
    if (request !== undefined && limit !== undefined && request > limit) {
      problems.push(describeProblem(`${where}.resources.requests.${kind}`, `${request}${unit}`, `is above the limit ${limit}${unit}`,
        'Lower the request or raise the limit: Kubernetes rejects a request above its limit.'));
    }
  }
  return problems;
}

function quantityOf(field: string, amount: string | undefined, problems: string[]): number | undefined {
  if (amount === undefined) {
    return undefined;
  }
  const value = parseQuantity(amount);
  if (value === undefined) {
    problems.push(describeProblem(field, amount, 'is not a Kubernetes quantity',
      'Use Cpu.millis(n) or Cpu.units(n) with a non-negative number, which renders as "250m" or "2".'));
    return undefined;
  }
  return value;
}

function sizeOf(field: string, size: Size | undefined, unit: 'Mi' | 'Gi', problems: string[]): number | undefined {
  if (size === undefined) {
    return undefined;
  }
  const options = { rounding: SizeRoundingBehavior.NONE };
  const amount = unit === 'Mi' ? size.toMebibytes(options) : size.toGibibytes(options);
  if (!Number.isInteger(amount)) {
    problems.push(describeProblem(field, `${size.toKibibytes(options)}Ki`, `is not a whole number of ${unit}B, the unit cdk8s-plus writes it in`,
      `Give it in whole ${unit === 'Mi' ? 'mebibytes, for example Size.mebibytes(96)' : 'gibibytes, for example Size.gibibytes(1)'}.`));
    return undefined;
  }
  return amount;
}
