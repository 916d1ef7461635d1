import { Amounts, ContainerAmounts, formatQuantity, readAmounts } from '../core/quantity';

function add(into: Amounts, from: Amounts): void {
  for (const [name, value] of from) {
    into.set(name, (into.get(name) ?? 0n) + value);
  }
}

function max(into: Amounts, from: Amounts): void {
  for (const [name, value] of from) {
    if (value > (into.get(name) ?? 0n)) {
      into.set(name, value);
    }
  }
}

/**
 * The Pod's requests or limits as the scheduler and ResourceQuota compute them
 * (Kubernetes' component-helpers `PodRequests` / `PodLimits`): app containers and
 * restartable init containers (sidecars) add up; each regular init container runs
 * beside the sidecars declared before it, and the Pod reserves the largest of those
 * moments if it is larger than the steady state.
 *
 * @internal
 */
export function aggregate(init: ContainerAmounts[], app: ContainerAmounts[], kind: 'requests' | 'limits'): Amounts {
  const total: Amounts = new Map();
  for (const c of app) {
    add(total, c[kind]);
  }
  const sidecars: Amounts = new Map();
  const initPeak: Amounts = new Map();
  for (const c of init) {
    let moment: Amounts;
    if (c.sidecar) {
      add(total, c[kind]);
      add(sidecars, c[kind]);
      moment = sidecars;
    } else {
      moment = new Map(c[kind]);
      add(moment, sidecars);
    }
    max(initPeak, moment);
  }
  max(total, initPeak);
  return total;
}

/** What runs once the Pod has started: app containers and sidecars. @internal */
export function steadyState(init: ContainerAmounts[], app: ContainerAmounts[], kind: 'requests' | 'limits'): Amounts {
  const total: Amounts = new Map();
  for (const c of [...app, ...init.filter(i => i.sidecar)]) {
    add(total, c[kind]);
  }
  return total;
}

/**
 * Whether a resource can be set at pod level, where its value replaces the container
 * totals (component-helpers' `IsSupportedPodLevelResource`): cpu, memory and hugepages.
 *
 * @internal
 */
export function isPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/**
 * The Pod's effective requests and limits (component-helpers' `PodRequests` and
 * `PodLimits`): the aggregate of its containers, replaced where the pod-level
 * resources set a value for cpu, memory or a hugepages size, plus `spec.overhead` (on
 * requests always, on limits only for resources that have a limit other than zero).
 *
 * @param pod the pod-level `spec.resources`, read by `containerAmounts`, if the spec sets them
 * @param overhead the Pod's `spec.overhead`
 * @internal
 */
export function effective(init: ContainerAmounts[], app: ContainerAmounts[], pod: ContainerAmounts | undefined,
  overhead: unknown): { requests: Amounts; limits: Amounts } {
  const requests = aggregate(init, app, 'requests');
  const limits = aggregate(init, app, 'limits');
  for (const [from, into] of [[pod?.requests, requests], [pod?.limits, limits]] as const) {
    for (const [name, value] of from ?? []) {
      if (isPodLevelResource(name)) {
        into.set(name, value);
      }
    }
  }
  for (const [name, value] of readAmounts(overhead)) {
    requests.set(name, (requests.get(name) ?? 0n) + value);
    const limit = limits.get(name);
    if (limit !== undefined && limit !== 0n) {
      limits.set(name, limit + value);
    }
  }
  return { requests, limits };
}

/**
 * The QoS class (Kubernetes' `GetPodQOS`): BestEffort when no container requests or
 * limits cpu or memory; Guaranteed when every container has cpu and memory limits and
 * the summed requests equal the summed limits; else Burstable. With pod-level
 * resources, those decide.
 *
 * @param pod the pod-level `spec.resources`, read by `containerAmounts`, if the spec sets them
 * @internal
 */
export function qosClass(containers: ContainerAmounts[], pod: ContainerAmounts | undefined): string {
  const requests: Amounts = new Map();
  const limits: Amounts = new Map();
  let guaranteed = true;
  for (const c of pod ? [pod] : containers) {
    for (const name of ['cpu', 'memory']) {
      const request = c.requests.get(name);
      if (request !== undefined && request > 0n) {
        requests.set(name, (requests.get(name) ?? 0n) + request);
      }
      const limit = c.limits.get(name);
      if (limit !== undefined && limit > 0n) {
        limits.set(name, (limits.get(name) ?? 0n) + limit);
      } else {
        guaranteed = false;
      }
    }
  }
  if (requests.size === 0 && limits.size === 0) {
    return 'BestEffort';
  }
  if (guaranteed && [...requests].every(([name, value]) => limits.get(name) === value) && requests.size === limits.size) {
    return 'Guaranteed';
  }
  return 'Burstable';
}

/** Amounts as Kubernetes quantity strings, by resource name in sorted order. @internal */
export function quantities(amounts: Amounts): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const name of [...amounts.keys()].sort()) {
    out[name] = formatQuantity(name, amounts.get(name)!);
  }
  return out;
}
