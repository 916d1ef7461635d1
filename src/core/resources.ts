import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/**
 * Requests and limits sized for a sidecar, replacing the 1000m/512Mi requests and
 * 1500m/2048Mi limits that cdk8s-plus gives every container.
 *
 * @internal
 */
export function sidecarResources(
  cpuRequestMillis: number, cpuLimitMillis: number,
  memoryRequestMebibytes: number, memoryLimitMebibytes: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequestMillis), limit: kplus.Cpu.millis(cpuLimitMillis) },
    memory: { request: Size.mebibytes(memoryRequestMebibytes), limit: Size.mebibytes(memoryLimitMebibytes) },
  };
}

const SUFFIXES: { [suffix: string]: number } = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/**
 * The value of a Kubernetes quantity (`100m`, `0.5`, `128Mi`, `1e3`) in base units,
 * or undefined when the text is not a quantity. Negative quantities are refused too,
 * since no resource amount may be negative.
 *
 * @internal
 */
export function parseQuantity(quantity: string): number | undefined {
  const match = /^\+?((?:\d+(?:\.\d*)?)|(?:\.\d+))(?:([numkMGTPE]|[KMGTPE]i)|[eE]([+-]?\d+))?$/.exec(quantity);
  if (!match) {
    return undefined;
  }
  const value = Number(match[1]);
  if (match[3] !== undefined) {
    return value * 10 ** Number(match[3]);
  }
  return value * SUFFIXES[match[2] ?? ''];
}
