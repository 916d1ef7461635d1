import { createHash } from 'crypto';
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { CompletionSignal } from './completion';
import { DownwardApiEnv, PodMetadataVolume, downwardApiValue } from './downward-api';
import { planDrain } from './drain';
import { fail } from './errors';
import { checkImage } from './image';
import { knownWithoutShell } from './images-without-shell';
import { MetricsRank, SidecarMetrics, announceMetrics, checkMetricsPath, metricsPortName } from './metrics';
import { KubernetesVersion, SidecarMode, resolveMode } from './mode';
import { recordPortProp, recordSidecar } from './pod-record';
import { sidecarResources } from './resources';
import { restrictedSecurityContext } from './security';
import { SharedVolume, SharedVolumeMountOptions } from './shared-volume';
import { checkAbsolutePath, checkContainerPorts, checkName, checkPort, wholeSeconds } from './validate';
import { Workload } from './workload';
import { addRuleChecks } from '../rules/synth-check';

/**
 * What every sidecar construct accepts, whatever its kind.
 */
export interface SidecarOptions {
  /**
   * The workload whose Pods get the sidecar, in the same chart as the sidecar: any
   * construct that renders a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * ReplicationController, Job or CronJob — a workload of any cdk8s-plus line, an
   * object from `cdk8s import k8s` (`KubeDeployment`...), a `new ApiObject(...)`, or
   * one ApiObject of an `Include`. The sidecar is written into its rendered pod
   * template, after every `addJsonPatch` of the workload.
   */
  readonly workload: IConstruct;

  /**
   * Place the sidecar just before this init container, so that the init container
   * runs with the sidecar up (a migration that reaches its database through the
   * proxy). Native mode only.
   *
   * @default - after every init container of the workload, which run before it starts
   */
  readonly beforeInitContainer?: string;

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

  /**
   * The longest the app containers take to exit once their Pod is deleted (a rollout,
   * a scale-down, an eviction): their own preStop hooks and their shutdown after
   * SIGTERM together. The kubelet runs every container's preStop hook at once when a
   * Pod is deleted, so the sidecars' drain and stop come after this time, and all of
   * it must fit the Pod's `terminationGracePeriodSeconds`, which the Pod checks compare
   * at synth time (the largest `appStopTime` of the workload's sidecars counts).
   *
   * Where the drain cannot start at the app's exit (a classic sidecar outside a Job, a
   * sidecar without a shell or a command), the sidecar waits `appStopTime` plus
   * `drainTime` after its SIGTERM or in its preStop hook.
   *
   * @default Duration.seconds(10): nginx and Apache stop at once on SIGTERM; servers
   * that finish in-flight requests commonly allow themselves 5 to 10 s. Set it for an
   * app that takes longer (Spring Boot's graceful shutdown allows 30 s per phase,
   * gunicorn's `graceful_timeout` is 30 s).
   */
  readonly appStopTime?: Duration;
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
   * The sidecar's Prometheus endpoint: declared as a container port named `*-metrics`,
   * listed by a `PodMonitor` of the workload, and announced with the Pod's
   * `prometheus.io/*` annotations unless the app has its own or `announce` is false.
   * A plain sidecar's metrics come first among the sidecars' (it is most likely an
   * exporter of the app's own metrics); see the README's "Metrics".
   *
   * @default - none
   */
  readonly metrics?: SidecarMetrics;

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
   * postStart and preStop hooks. A preStop hook cannot be combined with a `drainTime`
   * that makes one (see `drainTime`).
   *
   * @default - none
   */
  readonly lifecycle?: kplus.ContainerLifecycle;

  /**
   * How long the sidecar keeps running after the app containers have exited, before it
   * is told to stop (SIGTERM): time to finish what the app left, such as the last
   * lines of a log file. The drain counts from the app's exit, however long the app
   * takes to stop.
   *
   * A sidecar with a `command` and a shell image runs its command inside a small
   * `/bin/sh` script that, on SIGTERM, keeps the command running before it passes the
   * signal on: `drainTime` for a native sidecar (the kubelet sends it SIGTERM only once
   * every app container has exited), `appStopTime` plus `drainTime` for a classic one
   * (it gets SIGTERM together with the app). The command is then not PID 1, and needs
   * no SIGTERM handling of its own. Without a shell or a command, the sidecar gets a
   * preStop hook that sleeps `appStopTime` plus `drainTime` (the built-in `sleep`
   * action for a native sidecar, on by default from Kubernetes 1.30; else `sleep` run
   * in the image), so every deletion of the Pod takes that long. In a SidecarJob or
   * SidecarCronJob a classic sidecar's completion wrapper waits for the main
   * containers, then drains.
   *
   * It counts, with `appStopTime` and `stopTime`, against the Pod's
   * `terminationGracePeriodSeconds`, which the Pod checks compare at synth time.
   *
   * @default - no delay: SIGTERM as soon as the app containers have exited
   */
  readonly drainTime?: Duration;

  /**
   * The longest the sidecar takes to exit once it gets SIGTERM. Only counted against
   * the Pod's `terminationGracePeriodSeconds` (with `drainTime`) at synth time.
   *
   * A command that runs as PID 1 of its container gets SIGTERM only if it handles it:
   * `sleep`, `tail -f` and shell scripts without a `trap` ignore it, and the kubelet
   * then waits the whole grace period before SIGKILL. The Pod checks reject such a
   * command; wrap it with `Sidecar.exitOnSigterm`.
   *
   * @default Duration.seconds(2)
   */
  readonly stopTime?: Duration;

  /**
   * The working directory.
   *
   * @default - the image's
   */
  readonly workingDir?: string;

  /**
   * Run the sidecar with the Pod's `fsGroup` (as its `runAsGroup`), read from the
   * rendered pod template, so that it reads files the app writes group-readable into
   * a shared volume. A `group` in `securityContext` wins.
   *
   * @default false
   */
  readonly joinFsGroup?: boolean;

  /**
   * Whether the image has `/bin/sh`. A classic sidecar of a `SidecarJob` or
   * `SidecarCronJob` runs its command inside a shell script that stops it when the
   * main containers are done; an image without a shell cannot be wrapped so.
   *
   * @default - false for an image known to have no shell (distroless images, Fluent
   * Bit's release images, Envoy's distroless variant, Chainguard's images without
   * `-dev`), true otherwise
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
   * Wraps a command that ignores SIGTERM as PID 1 of its container (`sleep`,
   * `tail -F`, a shell loop) in a small `/bin/sh` script that runs it and exits 0 as
   * soon as SIGTERM or SIGINT arrives, so that the Pod stops without waiting for its
   * grace period. The command's own exit code is kept when it ends by itself. The
   * image needs `/bin/sh`.
   *
   * @param command the program and its arguments
   * @returns the command to give the sidecar
   */
  public static exitOnSigterm(command: string[]): string[] {
    if (command.length === 0) {
      throw new Error('Sidecar.exitOnSigterm: the command is empty. Give the program and its arguments, for example ["tail", "-F", "/logs/app.log"].');
    }
    return ['/bin/sh', '-c', EXIT_ON_SIGTERM, command[0], ...command];
  }

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
   * The workload the sidecar belongs to, as it was given.
   */
  public readonly workload: IConstruct;

  constructor(scope: Construct, id: string, props: SidecarProps) {
    super(scope, id);
    this.workload = props.workload;
    const workload = Workload.of(this, 'workload', props.workload);
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
    const ports = this.metricsPorts(name, props);
    checkContainerPorts(this, ports);
    const signal = CompletionSignal.of(props.workload);
    this.mode = sidecarMode(this, props);
    const wrap = signal !== undefined && this.mode === SidecarMode.CLASSIC;
    const drainSeconds = wholeSeconds(this, 'drainTime', props.drainTime ?? Duration.seconds(0));
    const stopSeconds = wholeSeconds(this, 'stopTime', props.stopTime ?? Duration.seconds(2));
    const hasShell = props.shell ?? !knownWithoutShell(props.image);
    const appStopSeconds = appStopSecondsOf(this, props);
    const userCommand = props.command ? [...props.command, ...props.args ?? []] : undefined;
    const drain = planDrain(this, {
      name,
      mode: this.mode,
      wrappedByJob: wrap,
      drainSeconds,
      appStopSeconds,
      hasShell,
      command: userCommand,
      kubernetesVersion: props.kubernetesVersion,
    });
    if ((drain.sleepAction || drain.exec) && props.lifecycle?.preStop) {
      fail(this, 'lifecycle.preStop', 'a preStop hook', 'is given together with drainTime, which here makes the preStop hook (the sidecar has no shell or no command)',
        'Keep one: drainTime, or your own preStop hook (and no drainTime); or give the sidecar its command and a shell image, whose drain needs no preStop hook.');
    }

    const containerProps: kplus.ContainerProps = {
      name,
      image: props.image,
      imagePullPolicy,
      command: wrap ? signal.wrapSidecar(this, name, props.command, props.args, hasShell, drainSeconds)
        : drain.command ?? props.command,
      args: wrap || drain.command ? undefined : props.args,
      ports: ports.length > 0 ? ports : undefined,
      envVariables: props.envVariables,
      startup: props.startup,
      readiness: props.readiness,
      liveness: props.liveness,
      lifecycle: drain.exec ? { ...props.lifecycle, preStop: drain.exec } : props.lifecycle,
      workingDir: props.workingDir,
      resources: props.resources ?? sidecarResources(10, 100, 32, 128),
      securityContext: restrictedSecurityContext(props.securityContext),
    };
    if (props.beforeInitContainer !== undefined && this.mode !== SidecarMode.NATIVE) {
      fail(this, 'beforeInitContainer', props.beforeInitContainer, 'places a classic sidecar, which is a regular container and starts only after every init container',
        'Use native mode (Kubernetes 1.29 or newer), or leave beforeInitContainer unset.');
    }
    // built with cdk8s-plus-28's container, written into the rendered pod template by the workload
    this.container = new kplus.Container(containerProps);
    const native = this.mode === SidecarMode.NATIVE;
    const plus28 = workload.plus28;
    workload.addContainer(this.container, {
      scope: this,
      native,
      before: props.beforeInitContainer,
      // cdk8s-plus-28 keeps the order of the calls: the sidecar follows what was declared before it
      declaredAfter: plus28 && (native ? plus28.initContainers.length : plus28.containers.length),
      // cdk8s-plus-28 has no sleep handler: written as JSON
      preStop: drain.sleepAction,
      joinFsGroup: (props.joinFsGroup ?? false) && props.securityContext?.group === undefined,
    });

    // a wrapper (the Job's, or the drain's) is PID 1 of a wrapped sidecar, and passes SIGTERM on
    const pid1Command = wrap || drain.command ? undefined : userCommand;
    recordSidecar(props.workload, this.container, { drainSeconds, stopSeconds, appStopSeconds, command: pid1Command });
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
    addRuleChecks(this);
  }

  /**
   * The sidecar's ports with its metrics port (declared by `metrics` where `ports`
   * does not), and its metrics endpoint recorded and announced.
   */
  private metricsPorts(name: string, props: SidecarProps): kplus.ContainerPort[] {
    const ports = props.ports ?? [];
    const metrics = props.metrics;
    if (metrics === undefined) {
      return ports;
    }
    checkPort(this, 'metrics.port', metrics.port);
    const path = metrics.path ?? '/metrics';
    checkMetricsPath(this, 'metrics.path', path);
    const index = ports.findIndex(p => p.number === metrics.port && (p.protocol ?? kplus.Protocol.TCP) === kplus.Protocol.TCP);
    const declared = ports[index];
    if (declared !== undefined && declared.name === undefined) {
      fail(this, `ports[${index}].name`, 'no name', 'is missing on the port that metrics.port names',
        `Name the port "${metricsPortName(this, 'metrics.portName', metrics.portName)}", or leave it out of ports: metrics declares it.`);
    }
    if (declared !== undefined && metrics.portName !== undefined && declared.name !== metrics.portName) {
      fail(this, 'metrics.portName', metrics.portName, `differs from the name "${declared.name}" that ports[${index}] gives the port`,
        'Keep one name: leave metrics.portName out, or give the port that name in ports.');
    }
    const portName = declared !== undefined
      ? metricsPortName(this, `ports[${index}].name`, declared.name)
      : metricsPortName(this, 'metrics.portName', metrics.portName);
    announceMetrics(this, props.workload, {
      rank: MetricsRank.SIDECAR, container: name, port: metrics.port, portName, path, announce: metrics.announce ?? true,
    });
    recordPortProp(props.workload, name, metrics.port, 'metrics.port');
    return declared !== undefined ? ports : [...ports, { number: metrics.port, name: portName }];
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
    const configMap = new kplus.ConfigMap(this, 'Config', { data: files, metadata: { namespace: Workload.of(this, 'workload', this.workload).namespace } });
    this.container.mount(path, kplus.Volume.fromConfigMap(this, 'ConfigVolume', configMap, { name: volumeName }), { readOnly: true });
    const checksum = createHash('sha256');
    for (const name of Object.keys(files).sort()) {
      checksum.update(`${name}\0${files[name]}\0`);
    }
    Workload.of(this, 'workload', this.workload).addPodAnnotations({ [`checksum.cdk8s-sidecars/${this.containerName}`]: checksum.digest('hex') });
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

/**
 * The `appStopTime` of a sidecar with these options, in whole seconds (10 by default).
 *
 * @internal
 */
export function appStopSecondsOf(scope: Construct, options: SidecarOptions): number {
  return wholeSeconds(scope, 'appStopTime', options.appStopTime ?? Duration.seconds(10));
}

/**
 * Runs "$@" in the background and exits 0 on SIGTERM or SIGINT, killing it; when the
 * command ends by itself, exits with its code. Called as `sh -c SCRIPT NAME COMMAND...`.
 */
const EXIT_ON_SIGTERM = 'trap \'kill "$child" 2>/dev/null; exit 0\' TERM INT; "$@" & child=$!; wait "$child"';

/**
 * The mode a sidecar with these options gets: `mode`, else the mode of its SidecarJob
 * or SidecarCronJob, else what the target version allows.
 *
 * @internal
 */
export function sidecarMode(scope: Construct, options: SidecarOptions): SidecarMode {
  return resolveMode(scope, options.mode ?? CompletionSignal.of(options.workload)?.mode, options.kubernetesVersion);
}

/**
 * Whether a sidecar with these options runs shell scripts in its image: it is a
 * classic sidecar of a SidecarJob (wrapped by the completion signal), or it drains
 * (through the drain wrapper, which waits for the app's exit). The same decisions
 * `Sidecar` takes; for a construct choosing its default image.
 *
 * @internal
 */
export function sidecarNeedsShell(scope: Construct, options: SidecarOptions, drainSeconds: number): boolean {
  const classic = sidecarMode(scope, options) === SidecarMode.CLASSIC;
  return drainSeconds > 0 || (classic && CompletionSignal.of(options.workload) !== undefined);
}

