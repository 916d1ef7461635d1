/**
 * Kubernetes resource quantities as exact numbers: thousandths of the base unit
 * (millicores for cpu, millibytes for memory), in a bigint, so that sums and
 * comparisons are exact as in the API server's `resource.Quantity`.
 */

const BINARY: { [suffix: string]: bigint } = {
  Ki: 1024n, Mi: 1024n ** 2n, Gi: 1024n ** 3n, Ti: 1024n ** 4n, Pi: 1024n ** 5n, Ei: 1024n ** 6n,
};
const DECIMAL: { [suffix: string]: number } = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * A quantity in thousandths of its unit, rounded up as Kubernetes rounds below a
 * milli-unit; undefined when the text is not a quantity.
 *
 * @internal
 */
export function parseQuantity(text: unknown): bigint | undefined {
  if (typeof text === 'number') {
    return parseQuantity(String(text));
  }
  if (typeof text !== 'string') {
    return undefined;
  }
  const match = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, sign, number, suffix, exponent] = match;
  const [whole, fraction = ''] = number.split('.');
  let digits = BigInt(whole + fraction);
  let scale = -fraction.length + 3; // thousandths
  let multiplier = 1n;
  if (suffix && BINARY[suffix]) {
    multiplier = BINARY[suffix];
  } else if (suffix) {
    scale += DECIMAL[suffix];
  } else if (exponent) {
    const e = Number(exponent);
    if (Math.abs(e) > 30) {
      return undefined;
    }
    scale += e;
  }
  digits *= multiplier;
  let value: bigint;
  if (scale >= 0) {
    value = digits * 10n ** BigInt(scale);
  } else {
    const divisor = 10n ** BigInt(-scale);
    value = digits / divisor + (digits % divisor === 0n ? 0n : 1n);
  }
  return sign === '-' ? -value : value;
}

/**
 * Writes a quantity the way a reviewer expects to read it: cpu in cores or
 * millicores (`2`, `250m`), other resources with the largest binary suffix that is
 * exact (`128Mi`, `1Gi`), else in plain units or thousandths.
 *
 * @internal
 */
export function formatQuantity(resource: string, milli: bigint): string {
  if (milli % 1000n !== 0n) {
    return `${milli}m`;
  }
  const units = milli / 1000n;
  if (resource === 'cpu' || units === 0n) {
    return String(units);
  }
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    if (units % BINARY[suffix] === 0n) {
      return `${units / BINARY[suffix]}${suffix}`;
    }
  }
  return String(units);
}

/** Resource name to amount in thousandths of its unit. */
export type Amounts = Map<string, bigint>;

/** One container's requests and limits after the API server's defaulting. @internal */
export interface ContainerAmounts {
  readonly name: string;
  readonly sidecar: boolean;
  readonly requests: Amounts;
  readonly limits: Amounts;
}

/**
 * Reads a map of resource names to quantities (a container's `resources.requests`, the
 * Pod's `overhead`), leaving out what is not a non-negative quantity (the rule
 * `quantity` reports it).
 *
 * @internal
 */
export function readAmounts(list: unknown): Amounts {
  const amounts: Amounts = new Map();
  if (list === null || typeof list !== 'object' || Array.isArray(list)) {
    return amounts;
  }
  for (const [name, text] of Object.entries(list)) {
    const value = parseQuantity(text);
    if (value !== undefined && value >= 0n) {
      amounts.set(name, value);
    }
  }
  return amounts;
}

/**
 * Reads a container's resources (or the Pod's `spec.resources`) and applies the API
 * server's defaulting: a limit without a request makes the request equal to it.
 *
 * @internal
 */
export function containerAmounts(container: any, sidecar: boolean): ContainerAmounts {
  const requests = readAmounts(container?.resources?.requests);
  const limits = readAmounts(container?.resources?.limits);
  for (const [name, limit] of limits) {
    if (!requests.has(name)) {
      requests.set(name, limit);
    }
  }
  return { name: container?.name, sidecar, requests, limits };
}
