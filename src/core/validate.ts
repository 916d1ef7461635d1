import * as net from 'net';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail, nameInPath } from './errors';
import { RuleProblem } from '../rules/rule';

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
 * What cdk8s-plus cannot write of a workload's props: a duration that is not whole
 * seconds, a memory or ephemeral-storage size that is not whole MiB or GiB. cdk8s-plus
 * stops rendering there with a bare error, so these are named before the workload is
 * rendered; the rules judge the rest in the rendered YAML.
 *
 * @internal
 */
export function unrenderableProblems(workload: kplus.AbstractPod | undefined,
  sidecars: Array<{ container: kplus.Container; list: 'initContainers' | 'containers' }>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const whole = (field: string, duration: Duration | undefined) => {
    const value = duration?.toSeconds({ integral: false });
    if (value !== undefined && !Number.isInteger(value)) {
      problems.push({ field, value: `${value}s`, problem: 'is not a whole number of seconds', fix: 'Use Duration.seconds(n) with a whole n: Kubernetes takes this field in whole seconds.' });
    }
  };
  whole('terminationGracePeriodSeconds', workload?.terminationGracePeriod);
  if (workload instanceof kplus.Job) {
    whole('activeDeadlineSeconds', workload.activeDeadline);
  }
  const all = [
    ...workload?.initContainers.map(c => ({ c, list: 'initContainers' })) ?? [],
    ...workload?.containers.map(c => ({ c, list: 'containers' })) ?? [],
    ...sidecars.map(({ container, list }) => ({ c: container, list })),
  ];
  for (const { c, list } of all) {
    const resources = c.resources;
    // cdk8s-plus renders memory in whole MiB and ephemeral storage in whole GiB
    const sizes = [['memory', resources?.memory, 'Mi'], ['ephemeral-storage', resources?.ephemeralStorage, 'Gi']] as const;
    for (const [kind, pair, unit] of sizes) {
      for (const [side, size] of [['requests', pair?.request], ['limits', pair?.limit]] as const) {
        const options = { rounding: SizeRoundingBehavior.NONE };
        const amount = size === undefined ? 0 : unit === 'Mi' ? size.toMebibytes(options) : size.toGibibytes(options);
        if (!Number.isInteger(amount)) {
          problems.push({
            field: `${list}[${nameInPath(c.name)}].resources.${side}.${kind}`,
            value: `${size!.toKibibytes(options)}Ki`,
            problem: `is not a whole number of ${unit}B, the unit cdk8s-plus writes it in`,
            fix: `Give it in whole ${unit === 'Mi' ? 'mebibytes, for example Size.mebibytes(96)' : 'gibibytes, for example Size.gibibytes(1)'}.`,
          });
        }
      }
    }
  }
  return problems;
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
