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
