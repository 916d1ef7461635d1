import { ApiObject, resolve } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { toJson_Container, toJson_Volume } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { addRenderedTransform } from './pod-spec';
import { podSpecPointer, workloadApiObject } from './pod-template';
import { isPlainObject } from './validate';

/**
 * A volume as cdk8s-plus-28 renders it, a construct: its name, and its spec in the field names of
 * cdk8s-plus-28's k8s imports (`kplus.Volume`, and the library's own volume kinds).
 *
 * @internal
 */
export interface RenderableVolume extends IConstruct {
  readonly name: string;
  _toKube(): object;
}

/**
 * How a sidecar container goes into the pod template.
 *
 * @internal
 */
export interface ContainerPlacement {
  /** The construct that places it, named in errors. */
  readonly scope: IConstruct;
  /** A restartable init container (native) or a regular container (classic). */
  readonly native: boolean;
  /**
   * An init container that runs to completion before the app (no `restartPolicy`),
   * placed among the init containers as a native sidecar is; with `native: false`.
   */
  readonly init?: boolean;
  /** The name of an init container the native sidecar goes before. */
  readonly before?: string;
  /**
   * Without `before`: how many of the workload's own containers of the sidecar's list
   * (init containers for a native sidecar) were declared before it, where the order of
   * the calls decides (a cdk8s-plus-28 workload); the sidecar goes after them and
   * before the others. Unset: after every container of the list.
   */
  readonly declaredAfter?: number;
  /** A preStop handler written as JSON, for fields cdk8s-plus-28 cannot express (the `sleep` action). */
  readonly preStop?: object;
  /** Run the container with the Pod's `fsGroup` (when it has one) as its group. */
  readonly joinFsGroup?: boolean;
}

/**
 * A mount of a volume into app containers, by name.
 *
 * @internal
 */
export interface AppMount {
  readonly scope: IConstruct;
  /** The prop that named the containers, for errors. */
  readonly field: string;
  /** The containers; undefined: every regular container that is not a sidecar of this library. */
  readonly containers?: string[];
  readonly volume: RenderableVolume;
  readonly path: string;
  readonly readOnly: boolean;
  readonly subPath?: string;
}

/**
 * A volume the pod template has already (the workload's own), mounted into a sidecar
 * by name.
 */
export interface ExistingVolumeMount {
  /** The construct and prop that name the volume, for errors. */
  readonly scope: IConstruct;
  readonly field: string;
  /** The sidecar container's name. */
  readonly container: string;
  /** The volume's name in the pod template. */
  readonly volume: string;
  readonly path: string;
  readonly readOnly: boolean;
  /** Whether a hostPath volume may be mounted (a Pod Security baseline exception). */
  readonly allowHostPath: boolean;
  /** The prop that allows a hostPath volume, for the error's fix. */
  readonly allowHostPathField: string;
}

/**
 * Annotations of the pod template, set together; with `unlessAnyOf`, only when none
 * of those keys is there yet.
 */
interface AnnotationSet {
  /** The annotations, or what computes them when the manifest renders. */
  readonly values: { [key: string]: string } | (() => { [key: string]: string });
  readonly unlessAnyOf?: string[];
}

const workloads = new WeakMap<ApiObject, Workload>();

/**
 * A manifest with a pod template, of whatever source (a workload of any cdk8s-plus
 * line, an `ApiObject` from `cdk8s import`, `new ApiObject` or `Include`), and what
 * the constructs of this library write into it. The one write path: everything is
 * written into the rendered pod template, after every escape hatch of the user
 * (`addJsonPatch`) has applied, in one change of the rendered manifest.
 *
 * @internal
 */
export class Workload {
  /**
   * The workload of a construct given as `field` of `scope`: the construct itself
   * when it is an ApiObject, else its default child (the ApiObject of a cdk8s-plus
   * workload). A construct without one, or of a kind without a pod template, is an
   * error naming its path, its kind and the kinds that work.
   */
  public static of(scope: IConstruct, field: string, construct: IConstruct): Workload {
    const apiObject = workloadApiObject(scope, field, construct);
    let workload = workloads.get(apiObject);
    if (!workload) {
      workload = new Workload(construct, apiObject);
      workloads.set(apiObject, workload);
    }
    return workload;
  }

  /** The workload of a manifest, if a construct of this library wrote into it. */
  public static find(apiObject: ApiObject): Workload | undefined {
    return workloads.get(apiObject);
  }

  /** The JSON pointer of the pod spec in the manifest. */
  public readonly specPointer: string;

  private readonly containers: Array<{ container: kplus.Container; placement: ContainerPlacement }> = [];
  private readonly volumes: RenderableVolume[] = [];
  private readonly appMounts: AppMount[] = [];
  private readonly existingMounts: ExistingVolumeMount[] = [];
  private readonly annotations: AnnotationSet[] = [];
  private readonly appChanges: Array<(containers: any[]) => void> = [];
  private readonly apiObjectKind: string;

  private constructor(
    /** The construct the user gave (the cdk8s-plus workload, or the ApiObject). */
    public readonly construct: IConstruct,
    public readonly apiObject: ApiObject) {
    this.apiObjectKind = apiObject.kind;
    this.specPointer = podSpecPointer(apiObject.kind)!;
    // the placement comes first, so that later changes (PodSecurity.restricted) see the sidecars
    addRenderedTransform(apiObject, manifest => this.write(manifest), { first: true });
  }

  /** The manifest's kind: Deployment, Pod, CronJob... */
  public get kind(): string {
    return this.apiObjectKind;
  }

  /** The manifest's name. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** The manifest's namespace, if it names one. */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /** The path users know the workload by: the construct they gave. */
  public get path(): string {
    return this.construct.node.path;
  }

  /** The cdk8s-plus-28 workload, when that is what the user gave: for its typed conveniences. */
  public get plus28(): kplus.AbstractPod | undefined {
    return this.construct instanceof kplus.AbstractPod ? this.construct : undefined;
  }

  /** Places a sidecar container; its mounts' volumes come with it. */
  public addContainer(container: kplus.Container, placement: ContainerPlacement): void {
    this.containers.push({ container, placement });
  }

  /** Adds a volume to the Pod (once, however often added). */
  public addVolume(volume: RenderableVolume): void {
    this.volumes.push(volume);
  }

  /** Mounts a volume into app containers. */
  public addAppMount(mount: AppMount): void {
    this.appMounts.push(mount);
  }

  /** Mounts a volume the pod template already has into a sidecar container, by name. */
  public addExistingVolumeMount(mount: ExistingVolumeMount): void {
    this.existingMounts.push(mount);
  }

  /**
   * Changes the app containers (the regular containers that are not sidecars of this
   * library, as rendered) before the sidecars are written: a Job's completion wrapper.
   */
  public addAppChange(change: (containers: any[]) => void): void {
    this.appChanges.push(change);
  }

  /**
   * Sets annotations of the pod template (or those a function returns when the
   * manifest renders); with `unlessAnyOf`, only where none of those keys is set.
   */
  public addPodAnnotations(values: { [key: string]: string } | (() => { [key: string]: string }), unlessAnyOf?: string[]): void {
    this.annotations.push({ values, unlessAnyOf });
  }

  /** The names of the sidecar containers placed so far. */
  public get sidecarNames(): string[] {
    return this.containers.map(c => c.container.name);
  }

  /** The sidecar containers placed, each with the list it goes into: for checks before rendering. */
  public get placedContainers(): Array<{ container: kplus.Container; list: 'initContainers' | 'containers' }> {
    return this.containers.map(({ container, placement }) => ({ container, list: placement.native || placement.init ? 'initContainers' : 'containers' }));
  }

  /** Writes everything into the rendered manifest. */
  private write(manifest: any): any {
    const keys = this.specPointer.split('/').slice(1);
    let template = manifest;
    for (const key of keys.slice(0, -1)) {
      template[key] ??= {};
      template = template[key];
    }
    template.spec ??= {};
    const spec = template.spec;
    // the app containers: the regular containers as rendered, before any sidecar is written
    const apps: any[] = Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : [];
    // the workload's own volumes, as rendered
    const ownVolumes: any[] = Array.isArray(spec.volumes) ? spec.volumes.filter(isPlainObject) : [];
    for (const change of this.appChanges) {
      change(apps);
    }
    for (const { container, placement } of this.containers) {
      this.writeContainer(spec, container, placement);
    }
    for (const mount of this.appMounts) {
      this.writeAppMount(apps, mount);
    }
    // a sidecar's mounts of existing volumes come first, in the order added
    const written = new Map<string, number>();
    for (const mount of this.existingMounts) {
      const index = written.get(mount.container) ?? 0;
      this.writeExistingVolumeMount(spec, ownVolumes, mount, index);
      written.set(mount.container, index + 1);
    }
    // in the order cdk8s-plus gives a Pod's volumes: those of the regular containers'
    // mounts, then of the init containers', then those added on their own
    const placed = (list: any[] | undefined) => (list ?? [])
      .map(json => this.containers.find(c => c.container.name === json?.name))
      .flatMap(c => c ? c.container.mounts.map(m => m.volume) : []);
    const volumes = new Set<RenderableVolume>([
      ...this.appMounts.map(m => m.volume),
      ...placed(spec.containers),
      ...placed(spec.initContainers),
      ...this.volumes,
    ]);
    for (const volume of volumes) {
      this.writeVolume(spec, volume);
    }
    for (const set of this.annotations) {
      const own = template.metadata?.annotations ?? {};
      if (set.unlessAnyOf?.some(key => own[key] !== undefined)) {
        continue;
      }
      const values = typeof set.values === 'function' ? set.values() : set.values;
      if (Object.keys(values).length > 0) {
        template.metadata ??= {};
        template.metadata.annotations = { ...own, ...values };
      }
    }
    return manifest;
  }

  private writeContainer(spec: any, container: kplus.Container, placement: ContainerPlacement): void {
    const json = this.render(toJson_Container(container._toKube()));
    if (placement.native) {
      json.restartPolicy = 'Always';
    }
    if (placement.preStop) {
      json.lifecycle = { ...json.lifecycle, preStop: placement.preStop };
    }
    const fsGroup = spec.securityContext?.fsGroup;
    if (placement.joinFsGroup && fsGroup !== undefined) {
      json.securityContext = { ...json.securityContext, runAsGroup: fsGroup };
    }
    const list: any[] = placement.native || placement.init ? spec.initContainers ??= [] : spec.containers ??= [];
    if (placement.before === undefined) {
      list.splice(this.declaredIndex(list, placement.declaredAfter), 0, json);
      return;
    }
    const initContainers = list;
    const index = initContainers.findIndex(c => c?.name === placement.before);
    if (index < 0) {
      const names = initContainers.map(c => c?.name).filter(n => !this.sidecarNames.includes(n));
      fail(placement.scope, 'before', placement.before, `is not an init container of ${this.path}`,
        names.length > 0 ? `Name one of its init containers: ${names.join(', ')}.` : 'The workload has no init container: leave `before` unset.');
    }
    initContainers.splice(index, 0, json);
  }

  /**
   * Where a sidecar goes in a list so that it follows `declaredAfter` of the workload's
   * own containers and the sidecars placed before it: just before the next own
   * container, else at the end.
   */
  private declaredIndex(list: any[], declaredAfter: number | undefined): number {
    const sidecars = this.sidecarNames;
    let own = 0;
    const index = list.findIndex(c => !sidecars.includes(c?.name) && own++ === declaredAfter);
    return index < 0 ? list.length : index;
  }

  private writeAppMount(apps: any[], mount: AppMount): void {
    const appNames = apps.map(c => c.name);
    const targets = mount.containers ?? appNames;
    for (const name of targets) {
      const container = apps.find(c => c.name === name);
      if (!container) {
        fail(mount.scope, mount.field, name, `is not a regular container of ${this.path}`,
          appNames.length > 0 ? `Name one of its app containers: ${appNames.join(', ')}.` : 'Add the app container to the workload first.');
      }
      // as cdk8s-plus writes a mount: readOnly always
      const volumeMount: any = { mountPath: mount.path, name: mount.volume.name, readOnly: mount.readOnly };
      if (mount.subPath !== undefined) {
        volumeMount.subPath = mount.subPath;
      }
      (container.volumeMounts ??= []).push(volumeMount);
    }
  }

  private writeExistingVolumeMount(spec: any, ownVolumes: any[], mount: ExistingVolumeMount, index: number): void {
    const volume = ownVolumes.find(v => v.name === mount.volume);
    if (volume === undefined) {
      const names = ownVolumes.map(v => v.name);
      fail(mount.scope, mount.field, mount.volume, `is not a volume of ${this.path}`,
        names.length > 0 ? `Name one of its volumes: ${names.join(', ')}.` : 'The workload has no volumes: add the volume to it first, or leave the prop unset.');
    }
    // cdk8s drops fields whose value is null when it renders: a hostPath is there or not
    if (volume.hostPath !== undefined && !mount.allowHostPath) {
      fail(mount.scope, mount.field, mount.volume, 'is a hostPath volume: files of the node, which the Pod Security baseline profile forbids',
        `Set ${mount.allowHostPathField}: true to mount it anyway (the Pod then meets only the privileged profile, and the plan says so), or use another volume.`);
    }
    const container = [...spec.initContainers ?? [], ...spec.containers ?? []].find(c => c?.name === mount.container);
    // before the sidecar's own mounts, where a volume of its own for the same purpose would be; keys sorted, as its own mounts are written
    (container.volumeMounts ??= []).splice(index, 0, { mountPath: mount.path, name: mount.volume, readOnly: mount.readOnly });
  }

  private writeVolume(spec: any, volume: RenderableVolume): void {
    const json = this.render(toJson_Volume(volume._toKube() as any));
    const volumes: any[] = spec.volumes ??= [];
    const existing = volumes.find(v => v?.name === volume.name);
    if (existing === undefined) {
      volumes.push(json);
      return;
    }
    // the same volume, rendered already (a cdk8s-plus-28 container of the app that mounts it)
    if (JSON.stringify(plain(existing)) !== JSON.stringify(json)) {
      fail(volume, 'volumes', volume.name, `is the name of another volume that ${this.path} already has`,
        'Give one of the two volumes another name (the `name` of the sidecar\'s volume, or a different construct id).');
    }
  }

  /**
   * Resolves lazy values and drops unset fields, as cdk8s does when it renders, with
   * the keys in cdk8s's order (sorted), so that sorting the manifest again leaves them be.
   */
  private render(value: any): any {
    return plain(resolve([], value, this.apiObject));
  }
}

/**
 * A resolved value as JSON holds it: unset fields of objects dropped, keys sorted.
 */
function plain(value: any): any {
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const result: any = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) {
      result[key] = plain(value[key]);
    }
  }
  return result;
}
