import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CompletionSignal } from './completion';
import { DownwardApiEnv, PodMetadataVolume, downwardApiValue } from './downward-api';
import { fail } from './errors';
import { checkImage } from './image';
import { addJobCompletionCheck } from './job-completion';
import { KubernetesVersion, SidecarMode, resolveMode } from './mode';
import { sidecarResources } from './resources';
import { restrictedSecurityContext } from './security';
import { SharedVolume, SharedVolumeMountOptions } from './shared-volume';
import { markSidecarContainer } from './sidecar-containers';
import { checkAbsolutePath, checkName, validatePod } from './validate';

/**
 * What every sidecar construct accepts, whatever its kind.
 */
export interface SidecarOptions {
  /**
   * The workload whose Pods get the sidecar: a cdk8s-plus Pod, Deployment,
   * StatefulSet, DaemonSet, Job or CronJob, in the same chart as the sidecar.
   */
  readonly workload: kplus.AbstractPod;

  /**
   * The sidecar container's name, unique among the Pod's containers.
   *
   * @default - the kind's own name (`netshoot`, `log-shipper`...); for a plain
   * `Sidecar`, the construct id
   */
  readonly containerName?: string;

  /**
   * Native (a restartable init container) or classic (a regular container).
   *
   * @default - native, unless `kubernetesVersion` (or the context key
   * `cdk8s-sidecars:kubernetesVersion`) names a version older than 1.29
   */
  readonly mode?: SidecarMode;

  /**
   * The Kubernetes version the manifests are for; it decides the mode when `mode`
   * is not set, and makes `SidecarMode.NATIVE` an error where it is not available.
   *
   * @default - the context key `cdk8s-sidecars:kubernetesVersion`, else no particular version
   */
  readonly kubernetesVersion?: KubernetesVersion;

  /**
   * Accept an image with the `latest` tag or no tag at all.
   *
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;

  /**
   * CPU and memory requests and limits; replaces the defaults as a whole.
   *
   * @default - sized for the kind of sidecar (see each construct); a plain `Sidecar`
   * requests 10m/32Mi and is limited to 100m/128Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Fields of the container security context that replace the defaults one by one.
   * The defaults meet the Pod Security Standards *restricted* profile: user and
   * group 65532, `runAsNonRoot`, no privilege escalation, all capabilities dropped,
   * seccomp `RuntimeDefault`, read-only root filesystem.
   *
   * @default - the restricted profile above
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;

  /**
   * Environment variables filled in by the downward API, each named as its enum value.
   *
   * @default - none beyond what the sidecar kind needs itself
   */
  readonly downwardApiEnv?: DownwardApiEnv[];

  /**
   * Mount a `downwardAPI` volume at this absolute path, holding the files `labels`
   * and `annotations` with the Pod's metadata, kept current by the kubelet.
   *
   * @default - no such volume
   */
  readonly podMetadataPath?: string;
}

/**
 * Props of a plain `Sidecar`: the common options and the container itself.
 */
export interface SidecarProps extends SidecarOptions {
  /**
   * The image, pinned to a tag or a digest.
   */
  readonly image: string;

  /**
   * The entrypoint.
   *
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * Arguments to the entrypoint.
   *
   * @default - the image's arguments
   */
  readonly args?: string[];

  /**
   * Ports the sidecar listens on. They must be free in the whole Pod: all its
   * containers share one network namespace. Unlike cdk8s-plus's `portNumber`, a port
   * here adds no startup probe.
   *
   * @default - none
   */
  readonly ports?: kplus.ContainerPort[];

  /**
   * Environment variables.
   *
   * @default - none
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };

  /**
   * A startup probe. In native mode the kubelet starts the next container only once
   * it succeeds, so it holds the app back until the sidecar is up: give one only to a
   * sidecar the app needs at start-up (a proxy).
   *
   * @default - none: the app starts as soon as the sidecar's process runs
   */
  readonly startup?: kplus.Probe;

  /**
   * A readiness probe. It counts toward the Pod's readiness, so a failing one takes
   * the Pod out of its Services: give one only to a sidecar that serves traffic.
   *
   * @default - none
   */
  readonly readiness?: kplus.Probe;

  /**
   * A liveness probe; the kubelet restarts the sidecar when it fails.
   *
   * @default - none
   */
  readonly liveness?: kplus.Probe;

  /**
   * postStart and preStop hooks.
   *
   * @default - none
   */
  readonly lifecycle?: kplus.ContainerLifecycle;

  /**
   * The working directory.
   *
   * @default - the image's
   */
  readonly workingDir?: string;

  /**
   * Whether the image has `/bin/sh`. A classic sidecar of a `SidecarJob` or
   * `SidecarCronJob` runs its command inside a shell script that stops it when the
   * main containers are done; an image without a shell cannot be wrapped so.
   *
   * @default true
   */
  readonly shell?: boolean;
}

/**
 * A sidecar container attached to a workload: the shared core of every sidecar
 * construct of this library, usable on its own for any image.
 *
 * It places the container (native or classic), gives it sidecar-sized resources and
 * a restricted security context, pins its image, adds downward-API env and checks the
 * whole Pod when the app is synthesized.
 */
export class Sidecar extends Construct {
  /**
   * The sidecar's container: the escape hatch for anything without a prop
   * (`sidecar.container.env.addVariable(...)`, `sidecar.container.mount(...)`).
   */
  public readonly container: kplus.Container;

  /**
   * How the container was added: native or classic.
   */
  public readonly mode: SidecarMode;

  /**
   * The workload the sidecar belongs to.
   */
  public readonly workload: kplus.AbstractPod;

  constructor(scope: Construct, id: string, props: SidecarProps) {
    super(scope, id);
    this.workload = props.workload;
    if (Chart.of(this) !== Chart.of(props.workload)) {
      fail(this, 'workload', props.workload.node.path, `is in chart "${Chart.of(props.workload).node.path}", not in this sidecar's chart "${Chart.of(this).node.path}"`,
        'Create the sidecar in the chart that holds its workload: a Pod spec cannot refer to containers of another chart.');
    }
    const name = props.containerName ?? id;
    checkName(this, 'containerName', name);
    const imagePullPolicy = checkImage(this, 'image', props.image, props.allowUnpinnedImage ?? false);
    if (props.podMetadataPath !== undefined) {
      checkAbsolutePath(this, 'podMetadataPath', props.podMetadataPath);
    }
    for (const env of props.downwardApiEnv ?? []) {
      if (props.envVariables && env in props.envVariables) {
        fail(this, 'downwardApiEnv', env, 'is also set in envVariables', 'Keep one of the two.');
      }
    }
    // A sidecar of a SidecarJob or SidecarCronJob follows the Job's mode unless told otherwise.
    const signal = CompletionSignal.of(props.workload);
    this.mode = resolveMode(this, props.mode ?? signal?.mode, props.kubernetesVersion);
    const wrap = signal !== undefined && this.mode === SidecarMode.CLASSIC;

    const containerProps: kplus.ContainerProps = {
      name,
      image: props.image,
      imagePullPolicy,
      command: wrap ? signal.wrapSidecar(this, name, props.command, props.args, props.shell ?? true) : props.command,
      args: wrap ? undefined : props.args,
      ports: props.ports,
      envVariables: props.envVariables,
      startup: props.startup,
      readiness: props.readiness,
      liveness: props.liveness,
      lifecycle: props.lifecycle,
      workingDir: props.workingDir,
      resources: props.resources ?? sidecarResources(10, 100, 32, 128),
      securityContext: restrictedSecurityContext(props.securityContext),
    };
    this.container = this.mode === SidecarMode.NATIVE
      ? props.workload.addInitContainer({ ...containerProps, restartPolicy: kplus.ContainerRestartPolicy.ALWAYS })
      // attached rather than added, so that a SidecarJob does not take it for a main container
      : attach(props.workload, new kplus.Container(containerProps));

    markSidecarContainer(this.container);
    if (wrap) {
      signal.mountSidecar(this.container);
    }
    for (const env of props.downwardApiEnv ?? []) {
      this.container.env.addVariable(env, downwardApiValue(env, this.container));
    }
    if (props.podMetadataPath !== undefined) {
      const volume = new PodMetadataVolume(this, 'PodMetadata', `${name}-podinfo`);
      this.container.mount(props.podMetadataPath, volume, { readOnly: true });
    }
    addPodChecks(props.workload);
    addJobCompletionCheck(Chart.of(this));
  }

  /**
   * The sidecar container's name.
   */
  public get containerName(): string {
    return this.container.name;
  }

  /**
   * Puts generated configuration files into a ConfigMap, mounts it read-only into the
   * sidecar at `path`, and adds a checksum of the files to the pod template
   * annotation `checksum.cdk8s-sidecars/<container name>`, so that a change of
   * configuration rolls the Pods.
   *
   * @param path absolute directory inside the sidecar container
   * @param files file name to content
   * @returns the ConfigMap
   */
  public addConfigFiles(path: string, files: { [name: string]: string }): kplus.ConfigMap {
    checkAbsolutePath(this, 'config path', path);
    const volumeName = `${this.containerName}-config`;
    checkName(this, 'config volume name', volumeName);
    // in the workload's namespace, which may differ from the chart's
    const configMap = new kplus.ConfigMap(this, 'Config', { data: files, metadata: { namespace: this.workload.metadata.namespace } });
    this.container.mount(path, kplus.Volume.fromConfigMap(this, 'ConfigVolume', configMap, { name: volumeName }), { readOnly: true });
    const checksum = createHash('sha256');
    for (const name of Object.keys(files).sort()) {
      checksum.update(`${name}\0${files[name]}\0`);
    }
    this.workload.podMetadata.addAnnotation(`checksum.cdk8s-sidecars/${this.containerName}`, checksum.digest('hex'));
    return configMap;
  }

  /**
   * Mounts a shared volume into the sidecar, read-only unless asked.
   *
   * @param volume the shared volume
   * @param path absolute path inside the sidecar container
   * @param options `readOnly: false` to let the sidecar write
   */
  public mount(volume: SharedVolume, path: string, options: SharedVolumeMountOptions = {}): void {
    volume.mount(this.container, path, { ...options, readOnly: options.readOnly ?? true });
  }
}

function attach(workload: kplus.AbstractPod, container: kplus.Container): kplus.Container {
  workload.attachContainer(container);
  return container;
}

const checkedWorkloads = new WeakSet<kplus.AbstractPod>();

/**
 * Registers the whole-Pod checks on a workload, once however many sidecars it has.
 */
function addPodChecks(workload: kplus.AbstractPod): void {
  if (checkedWorkloads.has(workload)) {
    return;
  }
  checkedWorkloads.add(workload);
  workload.node.addValidation({ validate: () => validatePod(workload) });
}
