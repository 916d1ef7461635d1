import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * A piece of the Pod's identity or of the container's own limits that the downward
 * API puts into an environment variable of the same name.
 */
export enum DownwardApiEnv {
  /** `POD_NAME` from `metadata.name`. */
  POD_NAME = 'POD_NAME',
  /** `POD_NAMESPACE` from `metadata.namespace`. */
  POD_NAMESPACE = 'POD_NAMESPACE',
  /** `POD_IP` from `status.podIP`. */
  POD_IP = 'POD_IP',
  /** `POD_UID` from `metadata.uid`. */
  POD_UID = 'POD_UID',
  /** `NODE_NAME` from `spec.nodeName`. */
  NODE_NAME = 'NODE_NAME',
  /** `POD_SERVICE_ACCOUNT` from `spec.serviceAccountName`. */
  POD_SERVICE_ACCOUNT = 'POD_SERVICE_ACCOUNT',
  /** `CPU_LIMIT_MILLICORES` from the container's own `limits.cpu`, in millicores (divisor `1m`). */
  CPU_LIMIT_MILLICORES = 'CPU_LIMIT_MILLICORES',
  /** `MEMORY_LIMIT_MEBIBYTES` from the container's own `limits.memory`, in MiB (divisor `1Mi`). */
  MEMORY_LIMIT_MEBIBYTES = 'MEMORY_LIMIT_MEBIBYTES',
}

const FIELD_PATHS: { [name: string]: kplus.EnvFieldPaths } = {
  [DownwardApiEnv.POD_NAME]: kplus.EnvFieldPaths.POD_NAME,
  [DownwardApiEnv.POD_NAMESPACE]: kplus.EnvFieldPaths.POD_NAMESPACE,
  [DownwardApiEnv.POD_IP]: kplus.EnvFieldPaths.POD_IP,
  [DownwardApiEnv.POD_UID]: kplus.EnvFieldPaths.POD_UID,
  [DownwardApiEnv.NODE_NAME]: kplus.EnvFieldPaths.NODE_NAME,
  [DownwardApiEnv.POD_SERVICE_ACCOUNT]: kplus.EnvFieldPaths.SERVICE_ACCOUNT_NAME,
};

/**
 * The env value the downward API gives for one of the variables above.
 *
 * @internal
 */
export function downwardApiValue(env: DownwardApiEnv, container: kplus.Container): kplus.EnvValue {
  switch (env) {
    case DownwardApiEnv.CPU_LIMIT_MILLICORES:
      return kplus.EnvValue.fromResource(kplus.ResourceFieldPaths.CPU_LIMIT, { container, divisor: '1m' });
    case DownwardApiEnv.MEMORY_LIMIT_MEBIBYTES:
      return kplus.EnvValue.fromResource(kplus.ResourceFieldPaths.MEMORY_LIMIT, { container, divisor: '1Mi' });
    default:
      return kplus.EnvValue.fromFieldRef(FIELD_PATHS[env]);
  }
}

/**
 * A `downwardAPI` volume with two files, `labels` and `annotations`, that the kubelet
 * keeps up to date with the Pod's metadata.
 *
 * cdk8s-plus-28 has no factory for this kind of volume, so this class stands in for
 * a `kplus.Volume` where one is mounted: cdk8s-plus reads only `name` and renders
 * the volume with `_toKube()` (in the field names of its k8s imports). The tests check that the
 * rendered Pod spec holds both the volume and its mount.
 *
 * @internal
 */
export class PodMetadataVolume extends Construct implements kplus.IStorage {
  constructor(scope: Construct, id: string, public readonly name: string) {
    super(scope, id);
  }

  public asVolume(): kplus.Volume {
    return this as unknown as kplus.Volume;
  }

  /** @internal */
  public _toKube(): object {
    return {
      name: this.name,
      downwardApi: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
        ],
      },
    };
  }
}
