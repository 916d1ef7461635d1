import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkAbsolutePath, checkName, wholeMebibytes } from './validate';
import { Workload } from './workload';

/**
 * Props of a `SharedVolume`.
 */
export interface SharedVolumeProps {
  /**
   * The workload whose Pods get the volume: any construct that renders a pod
   * template (see `SidecarOptions.workload`).
   */
  readonly workload: IConstruct;

  /**
   * The volume's name in the Pod spec (a DNS-1123 label, unique in the Pod).
   *
   * @default the construct id
   */
  readonly name?: string;

  /**
   * What backs the volume: the node's disk, or memory (tmpfs, counted against the
   * memory limits of the containers that write to it).
   *
   * @default - the node's disk (`kplus.EmptyDirMedium.DEFAULT`)
   */
  readonly medium?: kplus.EmptyDirMedium;

  /**
   * The most the volume may hold; the kubelet evicts the Pod when it holds more. A
   * whole number of MiB, as cdk8s-plus writes it.
   *
   * @default - no limit of its own (bounded by the node's ephemeral storage)
   */
  readonly sizeLimit?: Size;
}

/**
 * Options for mounting a shared volume into one container.
 */
export interface SharedVolumeMountOptions {
  /**
   * Mount it read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;

  /**
   * Mount only this sub-directory of the volume.
   *
   * @default - the whole volume
   */
  readonly subPath?: string;
}

/**
 * Options for mounting a shared volume into app containers.
 */
export interface AppMountOptions extends SharedVolumeMountOptions {
  /**
   * The names of the app containers.
   *
   * @default - every regular container of the rendered pod template that is not a
   * sidecar of this library
   */
  readonly containers?: string[];
}

/**
 * An `emptyDir` volume that lives as long as the Pod and that several of its
 * containers mount, each at a path of its own: the way an app and its sidecars
 * share files (logs to ship, a "done" signal, generated config).
 */
export class SharedVolume extends Construct {
  /**
   * The volume's name in the Pod spec.
   */
  public readonly name: string;

  /**
   * The underlying cdk8s-plus volume.
   */
  public readonly volume: kplus.Volume;

  private readonly workload: Workload;

  constructor(scope: Construct, id: string, props: SharedVolumeProps) {
    super(scope, id);
    this.name = props.name ?? id;
    checkName(this, 'name', this.name);
    if (props.sizeLimit !== undefined) {
      wholeMebibytes(this, 'sizeLimit', props.sizeLimit);
    }
    this.volume = kplus.Volume.fromEmptyDir(this, 'Volume', this.name, {
      medium: props.medium,
      sizeLimit: props.sizeLimit,
    });
    this.workload = Workload.of(this, 'workload', props.workload);
    this.workload.addVolume(this.volume);
  }

  /**
   * Mounts the volume into a cdk8s-plus-28 container: a sidecar's container, or an app
   * container of a cdk8s-plus-28 workload.
   *
   * @param container the container
   * @param path the absolute path inside that container
   * @param options read-only and sub-path
   */
  public mount(container: kplus.Container, path: string, options: SharedVolumeMountOptions = {}): void {
    checkAbsolutePath(this, `mount path in container "${container.name}"`, path);
    container.mount(path, this.volume, { readOnly: options.readOnly ?? false, subPath: options.subPath });
  }

  /**
   * Mounts the volume into app containers of the workload by name, whatever its source;
   * written into the rendered pod template, where a name that is not a regular
   * container of the workload is an error listing the names there are.
   *
   * @param path the absolute path inside those containers
   * @param options which containers, read-only and sub-path
   */
  public mountIntoApp(path: string, options: AppMountOptions = {}): void {
    checkAbsolutePath(this, 'app mount path', path);
    this.workload.addAppMount({
      scope: this,
      field: 'containers',
      containers: options.containers,
      volume: this.volume,
      path,
      readOnly: options.readOnly ?? false,
      subPath: options.subPath,
    });
  }
}
