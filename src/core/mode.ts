import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * How a sidecar container is added to its Pod.
 */
export enum SidecarMode {
  /**
   * A native sidecar: an entry of `spec.initContainers` with `restartPolicy: Always`.
   *
   * The kubelet starts it before the app containers (and before any init container
   * declared after it), keeps it running for the life of the Pod, stops it after the
   * app containers, and does not let it keep a Job's Pod alive.
   * Needs Kubernetes 1.29 or newer (1.28 with the SidecarContainers feature gate).
   */
  NATIVE = 'native',

  /**
   * A classic sidecar: one more entry of `spec.containers`.
   *
   * Works on every Kubernetes version, but starts and stops at the same time as the
   * app containers, and keeps a Job's Pod alive until it exits by itself.
   */
  CLASSIC = 'classic',
}

/**
 * The Kubernetes version that synthesized manifests are meant for.
 *
 * Only the minor version matters to this library: it decides whether native
 * sidecars are available.
 */
export class KubernetesVersion {
  /** Kubernetes 1.27: no native sidecars. */
  public static readonly V1_27 = new KubernetesVersion(1, 27);
  /** Kubernetes 1.28: native sidecars behind an alpha feature gate, off by default. */
  public static readonly V1_28 = new KubernetesVersion(1, 28);
  /** Kubernetes 1.29: native sidecars on by default (beta). */
  public static readonly V1_29 = new KubernetesVersion(1, 29);
  /** Kubernetes 1.30. */
  public static readonly V1_30 = new KubernetesVersion(1, 30);
  /** Kubernetes 1.31. */
  public static readonly V1_31 = new KubernetesVersion(1, 31);
  /** Kubernetes 1.32. */
  public static readonly V1_32 = new KubernetesVersion(1, 32);
  /** Kubernetes 1.33: native sidecars generally available. */
  public static readonly V1_33 = new KubernetesVersion(1, 33);

  /**
   * The first version on which the `sleep` action of lifecycle hooks is enabled by
   * default (the PodLifecycleSleepAction feature: alpha in 1.29, beta in 1.30, GA in 1.34).
   */
  public static readonly FIRST_WITH_SLEEP_ACTION = KubernetesVersion.V1_30;

  /**
   * The context key read for the target version when a sidecar sets none, so that a
   * whole app can target an older cluster in one place:
   * `new App()` then `app.node.setContext('cdk8s-sidecars:kubernetesVersion', '1.28')`
   * before any chart is created. The value is text (a number would read 1.30 as 1.3);
   * anything else is an error naming the sidecar.
   */
  public static readonly CONTEXT_KEY = 'cdk8s-sidecars:kubernetesVersion';

  /**
   * The first version on which native sidecars are enabled by default.
   */
  public static readonly FIRST_WITH_NATIVE_SIDECARS = KubernetesVersion.V1_29;

  /**
   * A version given as text: `1.30`, `v1.30` or `1.30.4` (the patch part is ignored).
   *
   * @param version the version, major.minor with an optional patch and leading `v`
   */
  public static of(version: string): KubernetesVersion {
    const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
    if (!match) {
      throw new Error(`kubernetesVersion: ${JSON.stringify(version)} is not a Kubernetes version. Write it as major.minor, for example "1.30".`);
    }
    return new KubernetesVersion(Number(match[1]), Number(match[2]));
  }

  private constructor(
    /** The major version (1). */
    public readonly major: number,
    /** The minor version, such as 30 for Kubernetes 1.30. */
    public readonly minor: number) {
  }

  /**
   * Whether native sidecars (restartable init containers) are on by default.
   */
  public get supportsNativeSidecars(): boolean {
    return this.compare(KubernetesVersion.FIRST_WITH_NATIVE_SIDECARS) >= 0;
  }

  /**
   * Whether the `sleep` action of lifecycle hooks is on by default.
   */
  public get supportsSleepAction(): boolean {
    return this.compare(KubernetesVersion.FIRST_WITH_SLEEP_ACTION) >= 0;
  }

  /**
   * Compares with another version: negative when this one is older, 0 when the
   * same minor version, positive when newer.
   */
  public compare(other: KubernetesVersion): number {
    return this.major !== other.major ? this.major - other.major : this.minor - other.minor;
  }

  /** `major.minor`, for example `1.30`. */
  public toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

/**
 * Decides the mode of one sidecar from what its props and the context ask for.
 *
 * @internal
 */
export function resolveMode(scope: IConstruct, mode: SidecarMode | undefined, version: KubernetesVersion | undefined): SidecarMode {
  const target = targetVersion(scope, version);
  if (mode === SidecarMode.NATIVE && target && !target.supportsNativeSidecars) {
    fail(scope, 'mode', mode, `needs Kubernetes ${KubernetesVersion.FIRST_WITH_NATIVE_SIDECARS} or newer, but the target version is ${target}`,
      'Use SidecarMode.CLASSIC, or raise the target version if the cluster is newer (on 1.28 with the SidecarContainers gate on, set kubernetesVersion to 1.29).');
  }
  if (mode !== undefined) {
    return mode;
  }
  if (target && !target.supportsNativeSidecars) {
    return SidecarMode.CLASSIC;
  }
  return SidecarMode.NATIVE;
}

/**
 * The Kubernetes version the manifests are for: the one given, else the app's
 * context key, else undefined (no particular version).
 *
 * @internal
 */
export function targetVersion(scope: IConstruct, version: KubernetesVersion | undefined): KubernetesVersion | undefined {
  if (version !== undefined) {
    return version;
  }
  const contextVersion = scope.node.tryGetContext(KubernetesVersion.CONTEXT_KEY);
  if (contextVersion === undefined) {
    return undefined;
  }
  // text only: a number loses the trailing 0 of 1.30 and would read as 1.3
  if (typeof contextVersion === 'string') {
    try {
      return KubernetesVersion.of(contextVersion);
    } catch {
      // named below, with the construct path and the context key
    }
  }
  return fail(scope, `context "${KubernetesVersion.CONTEXT_KEY}"`, contextVersion, 'is not a Kubernetes version written as text',
    'Set it to "major.minor" in quotes, for example app.node.setContext(KubernetesVersion.CONTEXT_KEY, \'1.30\').');
}
