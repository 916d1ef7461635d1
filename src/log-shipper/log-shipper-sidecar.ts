import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ENGINE_SUPPORT, FluentBitConfigFormat, LogShipperEngine, enginesSupporting } from './engine';
import { FILEBEAT_IMAGE, renderFilebeat } from './filebeat';
import { FLUENT_BIT_IMAGE, FLUENT_BIT_SHELL_IMAGE, renderFluentBit } from './fluent-bit';
import { LogOutput, LogOutputKind } from './output';
import { LogParser, LogParserKind } from './parser';
import { CONFIG_DIR, EngineRendering, STATE_DIR, ShipperConfig, outputConfig } from './shipper-config';
import { TAIL_IMAGE, renderTail } from './tail';
import { VECTOR_IMAGE, VECTOR_MIN_DISK_BUFFER_MEBIBYTES, renderVector } from './vector';
import { CompletionSignal } from '../core/completion';
import { fail } from '../core/errors';
import { MetricsOptions, MetricsRank, announceMetrics, checkKindMetricsPort } from '../core/metrics';
import { SidecarMode } from '../core/mode';
import { podRecord, recordPortProp } from '../core/pod-record';
import { sidecarResources } from '../core/resources';
import { SharedVolume } from '../core/shared-volume';
import { Sidecar, SidecarOptions, sidecarMode, sidecarNeedsShell } from '../core/sidecar';
import { checkAbsolutePath, checkName, checkObjectName, checkPort, isConfigKey, isHost, isUrlPath, wholeMebibytes } from '../core/validate';
import { Workload } from '../core/workload';

/**
 * Props of a `LogShipperSidecar`.
 */
export interface LogShipperSidecarProps extends SidecarOptions {
  /**
   * The absolute directory where the app containers write their log files. A shared
   * emptyDir is mounted there in the app containers (read-write) and at the same path
   * in the shipper (read-only); with `existingLogVolume`, that volume is mounted there
   * in the shipper.
   */
  readonly logDirectory: string;

  /**
   * The name of a volume the workload has already to read the logs from, instead of
   * an emptyDir of the shipper's own: the app's own log volume (an emptyDir, a
   * PersistentVolumeClaim), or a hostPath for a node agent (with
   * `allowHostPathVolume`). It is mounted read-only in the shipper at `logDirectory`;
   * the app containers keep their own mounts of it, wherever they are.
   *
   * @default - an emptyDir of the shipper's own, mounted into the app containers at `logDirectory`
   */
  readonly existingLogVolume?: string;

  /**
   * The name of a volume the workload has already to keep the shipper's state on (its
   * read positions and `filesystemBuffer`), mounted read-write at
   * `/var/lib/log-shipper`, instead of an emptyDir of the shipper's own, which lasts
   * only as long as the Pod: for a node agent, a hostPath (with
   * `allowHostPathVolume`), so that the Pod that replaces it (an upgrade) goes on
   * where it stopped instead of reading the files on the node again from their start.
   * The shipper's user, 65532, must be able to write there.
   *
   * @default - an emptyDir of the shipper's own, of `stateVolumeSizeLimit`
   */
  readonly existingStateVolume?: string;

  /**
   * Allow `existingLogVolume` and `existingStateVolume` to be hostPath volumes: the
   * node's own files, such as /var/log of a DaemonSet's node. The Pod then meets only the privileged Pod
   * Security profile (the baseline profile forbids hostPath volumes), which the plan
   * and `PlanValidation` report. The shipper still runs as user 65532, and fsGroup
   * does not apply to hostPath: it reads only files that others may read (container
   * log files under /var/log/pods are usually root's and not readable by others).
   *
   * @default false
   */
  readonly allowHostPathVolume?: boolean;

  /**
   * The names of the app containers that write to `logDirectory`; each must be a
   * regular container of the rendered pod template.
   *
   * @default - every regular container of the rendered pod template but the sidecars
   * of this library
   */
  readonly appContainers?: string[];

  /**
   * File names or globs inside `logDirectory` to read.
   *
   * @default ["*.log"]
   */
  readonly files?: string[];

  /**
   * The most the log volume may hold; the kubelet evicts the Pod beyond it. Whole MiB.
   *
   * @default Size.mebibytes(256)
   */
  readonly logVolumeSizeLimit?: Size;

  /**
   * How lines become records.
   *
   * @default LogParser.none()
   */
  readonly parser?: LogParser;

  /**
   * Where records go: every record to each output. Each output retries on its own,
   * without limit, and has an equal share of `filesystemBuffer` (and with Vector, whose
   * buffers are per sink, of `memoryBuffer`; Fluent Bit's memory buffer is its input's,
   * which every output reads from). When an output's buffer is full, the shipper stops
   * reading for all of them, so that nothing is dropped and the files wait on the log
   * volume — but Fluent Bit with `filesystemBuffer` drops that output's oldest chunks
   * instead. Fluent Bit and Vector send to several outputs; Filebeat and tail to one.
   *
   * @default [LogOutput.stdout()]
   */
  readonly outputs?: LogOutput[];

  /**
   * The shipping program.
   *
   * @default LogShipperEngine.FLUENT_BIT
   */
  readonly engine?: LogShipperEngine;

  /**
   * The format of Fluent Bit's configuration file.
   *
   * @default FluentBitConfigFormat.CLASSIC
   */
  readonly fluentBitConfigFormat?: FluentBitConfigFormat;

  /**
   * The engine's image, pinned.
   *
   * @default - a pinned release of the engine (see LogShipperSidecar.DEFAULT_IMAGES);
   * for Fluent Bit, whose release image is distroless, its `-debug` variant (with
   * busybox) wherever the shipper drains (by default) or is a classic sidecar of a
   * Job: the drain runs in a small shell script
   */
  readonly image?: string;

  /**
   * Whether `image` has `/bin/sh` and `sleep`. The drain of a native shipper runs in a
   * shell script that starts it when the app has exited; without a shell, a preStop
   * hook sleeps `appStopTime` plus `drainTime` instead. A classic shipper needs a shell
   * to drain, and a classic shipper of a SidecarJob to be stopped.
   *
   * @default - false for an image known to have no shell (Fluent Bit's release
   * images, distroless images), true otherwise
   */
  readonly shell?: boolean;

  /**
   * How long the shipper keeps reading after the app containers have exited, before it
   * is told to stop: on SIGTERM Fluent Bit, Vector and Filebeat stop reading files at
   * once, so a line written just before, in a file they have not found yet, would be
   * lost. The drain counts from the app's exit, however long the app takes to stop;
   * see `Sidecar`'s `drainTime` for how. It counts against the Pod's grace period.
   *
   * `Duration.seconds(0)` turns the delay off: then lines written in the last seconds
   * before the Pod stops may be lost.
   *
   * @default - Fluent Bit 3 s, Vector 3 s, Filebeat 3 s (one scan for new files, one
   * read, one second to spare); tail none (its script reads to the end of every file
   * after SIGTERM, which the kubelet sends a native sidecar once the app has exited),
   * or 1 s for a classic tail shipper outside a Job (which gets SIGTERM with the app)
   */
  readonly drainTime?: Duration;

  /**
   * Pod labels to add to every record, each as `k8s.pod.label.<key>` (the Pod's name,
   * namespace, node and IP are always added). Not for the tail engine, which writes
   * lines, not records (with the Pod's namespace and name in front).
   *
   * @default - none
   */
  readonly podLabels?: string[];

  /**
   * How much the engine may hold in memory before it stops reading (and the files
   * wait on the log volume). Must stay below the container's memory limit. Not for
   * the tail engine, which buffers nothing. Whole MiB.
   *
   * @default - a quarter of the memory limit
   */
  readonly memoryBuffer?: Size;

  /**
   * Buffer records on the shipper's state volume, up to this size, so that an
   * unreachable output or a restart loses nothing in flight. Not for the tail engine.
   * Whole MiB.
   *
   * @default - memory only
   */
  readonly filesystemBuffer?: Size;

  /**
   * The size limit of the shipper's own emptyDir (read positions and the filesystem
   * buffer; for the tail engine, a file of 36 bytes per log file). Must exceed
   * `filesystemBuffer`. Whole MiB.
   *
   * @default - 64 MiB more than `filesystemBuffer`, or 64 MiB
   */
  readonly stateVolumeSizeLimit?: Size;

  /**
   * The port of the engine's HTTP API: for Fluent Bit and Filebeat their health and
   * metrics server, on every address (the kubelet probes it); for Vector its API, on
   * 127.0.0.1 only, because the API streams the events (`vector tap`) — Vector's
   * liveness probe and metrics are on its Prometheus exporter (`metrics.port`). Must
   * be free in the Pod.
   *
   * @default - 2020 Fluent Bit, 8686 Vector, 5066 Filebeat
   */
  readonly monitoringPort?: number;

  /**
   * The shipper's Prometheus endpoint: Fluent Bit's on `monitoringPort`
   * (`/api/v2/metrics/prometheus`), Vector's exporter on `metrics.port` (`/metrics`),
   * declared as the container port `http-metrics`. Filebeat and tail serve none. Set
   * `announce: false` to keep the shipper out of the Pod's `prometheus.io/*`
   * annotations (see the README's "Metrics" for which sidecar they name).
   *
   * @default - announced when its turn comes; Vector's exporter on port 9598
   */
  readonly metrics?: MetricsOptions;
}

/**
 * Requests and limits per engine: Fluent Bit (C) and busybox tail are small; Vector
 * and Filebeat carry larger runtimes and start at about 40-60 MiB resident.
 */
const DEFAULT_RESOURCES: { [engine: string]: kplus.ContainerResources } = {
  [LogShipperEngine.FLUENT_BIT]: sidecarResources(10, 200, 32, 128),
  [LogShipperEngine.VECTOR]: sidecarResources(10, 200, 64, 256),
  [LogShipperEngine.FILEBEAT]: sidecarResources(10, 200, 64, 256),
  [LogShipperEngine.TAIL]: sidecarResources(5, 50, 16, 32),
};

const DEFAULT_PORTS: { [engine: string]: number } = {
  [LogShipperEngine.FLUENT_BIT]: 2020,
  [LogShipperEngine.VECTOR]: 8686,
  [LogShipperEngine.FILEBEAT]: 5066,
  [LogShipperEngine.TAIL]: 0,
};

/** A Loki label value or tenant: plain characters that need no quoting in any engine's config. */
function isPlainValue(value: string): boolean {
  return /^[A-Za-z0-9._/:@-]{1,253}$/.test(value);
}

/**
 * A sidecar that ships the log files an app writes into a shared emptyDir: Fluent Bit
 * (default), Vector, Filebeat or a plain busybox `tail -F`.
 *
 * The engine's configuration is generated into a ConfigMap mounted read-only, with a
 * checksum annotation that rolls the Pods on change. Every record gets the Pod's
 * name, namespace, node and IP (and labels of choice) from the downward API. Read
 * positions live on the shipper's own emptyDir, so a restarted shipper neither loses
 * nor repeats lines (the tail engine repeats the one line it was printing if it is
 * killed with SIGKILL before it recorded it); the memory buffer stays below the memory limit; the engine's
 * health endpoint is the liveness probe and its metrics are announced to Prometheus.
 *
 * Resources: requests 10m/32Mi and limits 200m/128Mi for Fluent Bit; 10m/64Mi and
 * 200m/256Mi for Vector and Filebeat, whose runtimes are larger; 5m/16Mi and 50m/32Mi
 * for tail.
 *
 * The shipper runs as user 65532 and reads the log volume read-only. It reads files
 * the app makes world-readable (the usual umask 022); for an app with a stricter
 * umask, give the Pod an `fsGroup`: the kubelet then makes the volume's files
 * group-owned by it, and the shipper runs with that group.
 */
export class LogShipperSidecar extends Construct {
  /** The pinned image of each engine. */
  public static readonly DEFAULT_IMAGES: { [engine: string]: string } = {
    [LogShipperEngine.FLUENT_BIT]: FLUENT_BIT_IMAGE,
    [LogShipperEngine.VECTOR]: VECTOR_IMAGE,
    [LogShipperEngine.FILEBEAT]: FILEBEAT_IMAGE,
    [LogShipperEngine.TAIL]: TAIL_IMAGE,
  };

  /** The sidecar. */
  public readonly sidecar: Sidecar;

  /** The shared log volume; undefined when the shipper reads `existingLogVolume`. */
  public readonly logVolume?: SharedVolume;

  /** The engine. */
  public readonly engine: LogShipperEngine;

  /** The generated configuration files, by name (none for the tail engine). */
  public readonly configFiles: { [name: string]: string };

  constructor(scope: Construct, id: string, props: LogShipperSidecarProps) {
    super(scope, id);
    const engine = props.engine ?? LogShipperEngine.FLUENT_BIT;
    this.engine = engine;
    const name = props.containerName ?? (engine === LogShipperEngine.TAIL ? 'log-tail' : 'log-shipper');
    const parser = props.parser ?? LogParser.none();
    const outputs = props.outputs ?? [LogOutput.stdout()];

    checkAbsolutePath(this, 'logDirectory', props.logDirectory);
    if (!/^(\/[A-Za-z0-9._-]+)+$/.test(props.logDirectory)) {
      fail(this, 'logDirectory', props.logDirectory, 'is not a plain directory (names of letters, digits and ._- after single slashes, no slash at the end)',
        'Use a plain absolute directory such as "/var/log/app": the path goes into the engine\'s configuration and shell commands.');
    }
    const files = props.files ?? ['*.log'];
    if (files.length === 0) {
      fail(this, 'files', files, 'is empty', 'Give at least one file name or glob, for example "*.log".');
    }
    for (const file of files) {
      if (!/^[A-Za-z0-9._*?[\]-]+(\/[A-Za-z0-9._*?[\]-]+)*$/.test(file) || file.split('/').includes('..')) {
        fail(this, 'files', file, 'is not a plain file name or glob inside logDirectory', 'Use letters, digits and ._-*?[] only, for example "access.log" or "*.log".');
      }
    }
    this.checkEngineSupport(engine, parser, outputs);
    if (props.metrics !== undefined && (engine === LogShipperEngine.FILEBEAT || engine === LogShipperEngine.TAIL)) {
      fail(this, 'metrics', props.metrics, `is set, and the ${engine} engine serves no Prometheus metrics`,
        `Leave metrics out, or use an engine that serves them: ${LogShipperEngine.FLUENT_BIT}, ${LogShipperEngine.VECTOR}.`);
    }
    checkKindMetricsPort(this, props.metrics, engine === LogShipperEngine.FLUENT_BIT ? 'monitoringPort' : undefined);
    this.checkParser(parser);
    outputs.forEach((output, i) => this.checkOutput(output, `outputs[${i}]`));
    this.checkDistinctOutputs(outputs);

    const resources = props.resources ?? DEFAULT_RESOURCES[engine];
    const memoryBuffer = this.memoryBuffer(engine, resources, props.memoryBuffer);
    const filesystemBuffer = this.filesystemBuffer(engine, props.filesystemBuffer, outputs.length);
    if (props.existingLogVolume !== undefined) {
      checkName(this, 'existingLogVolume', props.existingLogVolume);
      // what only the shipper's own volume has
      const ownVolumeProps: Array<[string, unknown]> = [
        ['appContainers', props.appContainers],
        ['logVolumeSizeLimit', props.logVolumeSizeLimit && `${props.logVolumeSizeLimit.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`],
      ];
      for (const [field, value] of ownVolumeProps) {
        if (value !== undefined) {
          fail(this, field, value, 'is for the log volume the shipper creates, and existingLogVolume is set',
            `Leave ${field} out: the app containers mount ${JSON.stringify(props.existingLogVolume)} already, and the volume's own definition bounds it.`);
        }
      }
    }
    if (props.allowHostPathVolume !== undefined && props.existingLogVolume === undefined && props.existingStateVolume === undefined) {
      fail(this, 'allowHostPathVolume', props.allowHostPathVolume, 'is only for existingLogVolume and existingStateVolume, and neither is set',
        'Leave allowHostPathVolume out, or name the hostPath volume to read in existingLogVolume (or to keep the state on in existingStateVolume).');
    }
    if (props.existingStateVolume !== undefined) {
      checkName(this, 'existingStateVolume', props.existingStateVolume);
      if (props.stateVolumeSizeLimit !== undefined) {
        fail(this, 'stateVolumeSizeLimit', `${props.stateVolumeSizeLimit.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`,
          'is for the state volume the shipper creates, and existingStateVolume is set',
          `Leave stateVolumeSizeLimit out: the definition of ${JSON.stringify(props.existingStateVolume)} bounds it.`);
      }
    }
    const logSize = props.logVolumeSizeLimit ?? Size.mebibytes(256);
    wholeMebibytes(this, 'logVolumeSizeLimit', logSize);
    const stateSize = props.stateVolumeSizeLimit ?? Size.mebibytes((filesystemBuffer ?? 0) + 64);
    const stateMebibytes = wholeMebibytes(this, 'stateVolumeSizeLimit', stateSize);
    if (filesystemBuffer !== undefined && stateMebibytes <= filesystemBuffer) {
      fail(this, 'stateVolumeSizeLimit', `${stateMebibytes}Mi`,
        `is not above filesystemBuffer (${filesystemBuffer}Mi), so a full buffer would get the Pod evicted`,
        'Raise stateVolumeSizeLimit above the buffer (leave room for the read positions), or lower filesystemBuffer.');
    }

    if (engine === LogShipperEngine.TAIL && (props.podLabels ?? []).length > 0) {
      fail(this, 'podLabels', props.podLabels, 'are not added by the tail engine, which prints lines with the Pod\'s namespace and name in front, not records',
        `Leave podLabels out, or choose an engine that writes records: ${[LogShipperEngine.FLUENT_BIT, LogShipperEngine.VECTOR, LogShipperEngine.FILEBEAT].join(', ')}.`);
    }
    const labelEnv = (props.podLabels ?? []).map(key => {
      if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
        fail(this, 'podLabels', key, 'is not a label key', 'Use a Kubernetes label key such as "app" or "app.kubernetes.io/name".');
      }
      return [key, `POD_LABEL_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
    });
    const outputConfigs = outputs.map((output, i) => outputConfig(output, outputs.length > 1 ? i + 1 : undefined));
    const config: ShipperConfig = {
      name,
      logDirectory: props.logDirectory,
      paths: files.map(f => `${props.logDirectory}/${f}`),
      parser,
      outputs: outputConfigs,
      metadata: [
        ['k8s.pod.name', 'POD_NAME'],
        ['k8s.namespace.name', 'POD_NAMESPACE'],
        ['k8s.node.name', 'NODE_NAME'],
        ['k8s.pod.ip', 'POD_IP'],
        ...labelEnv.map(([key, env]) => [`k8s.pod.label.${key}`, env] as [string, string]),
      ],
      memoryBufferMebibytes: memoryBuffer,
      filesystemBufferMebibytes: filesystemBuffer,
      monitoringPort: props.monitoringPort ?? DEFAULT_PORTS[engine],
      metricsPort: props.metrics?.port,
    };
    const rendering = this.render(engine, config, props.fluentBitConfigFormat);
    this.configFiles = rendering.files;

    // the Pod's metadata from the downward API, as far as the engine reads it
    const downward: { [name: string]: kplus.EnvValue } = {
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
      NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME),
      POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
    };
    for (const [key, envName] of labelEnv) {
      downward[envName] = kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_LABEL, { key });
    }
    const env: { [name: string]: kplus.EnvValue } = {};
    for (const variable of Object.keys(downward).filter(n => rendering.environment.includes(n))) {
      env[variable] = downward[variable];
    }
    for (const { output: { credentials }, number, usernameEnv, passwordEnv } of outputConfigs) {
      if (credentials) {
        const secret = kplus.Secret.fromSecretName(this, `CredentialsSecret${number ?? ''}`, credentials.secretName);
        env[usernameEnv] = kplus.EnvValue.fromSecretValue({ secret, key: credentials.usernameKey ?? 'username' });
        env[passwordEnv] = kplus.EnvValue.fromSecretValue({ secret, key: credentials.passwordKey ?? 'password' });
      }
    }

    const drainTime = props.drainTime ?? Duration.seconds(this.defaultDrainSeconds(engine, props, rendering));
    const image = props.image ?? this.defaultImage(engine, props, drainTime);
    this.sidecar = new Sidecar(this, 'Sidecar', {
      ...props,
      // announced by this construct, with its own rank
      metrics: undefined,
      containerName: name,
      image,
      shell: props.shell,
      drainTime,
      stopTime: Duration.seconds(rendering.stopSeconds),
      command: rendering.command,
      ports: rendering.ports,
      liveness: rendering.liveness,
      envVariables: env,
      resources,
      // with an fsGroup on the Pod, the shipper joins it to read group-readable files
      joinFsGroup: true,
    });

    // a volume the workload has, mounted into the shipper by the write path; hostPath only when allowed
    const mountExisting = (field: string, volume: string, path: string, readOnly: boolean) =>
      Workload.of(this, 'workload', props.workload).addExistingVolumeMount({
        scope: this,
        field,
        container: name,
        volume,
        path,
        readOnly,
        allowHostPath: props.allowHostPathVolume ?? false,
        allowHostPathField: 'allowHostPathVolume',
      });

    // the app writes, the shipper reads: the app's own volume, or an emptyDir of the shipper's
    if (props.existingLogVolume !== undefined) {
      mountExisting('existingLogVolume', props.existingLogVolume, props.logDirectory, true);
    } else {
      this.logVolume = new SharedVolume(this, 'LogVolume', { workload: props.workload, name: `${name}-logs`, sizeLimit: logSize });
      this.logVolume.mountIntoApp(props.logDirectory, { containers: props.appContainers });
      this.sidecar.mount(this.logVolume, props.logDirectory);
    }
    // read positions and the filesystem buffer: a volume of the workload's (a node's), or an emptyDir of the shipper's
    if (props.existingStateVolume !== undefined) {
      mountExisting('existingStateVolume', props.existingStateVolume, STATE_DIR, false);
    } else {
      const state = new SharedVolume(this, 'StateVolume', { workload: props.workload, name: `${name}-state`, sizeLimit: stateSize });
      this.sidecar.mount(state, STATE_DIR, { readOnly: false });
    }
    if (engine !== LogShipperEngine.TAIL) {
      this.sidecar.addConfigFiles(CONFIG_DIR, rendering.files);
    }
    for (const { output: { tls }, number, tlsDirectory, caFile } of outputConfigs) {
      if (caFile) {
        // numbered among several outputs: the second output's CA is <name>-ca-2, at /etc/log-shipper-tls-2
        const n = number ?? '';
        const volumeName = number === undefined ? `${name}-ca` : `${name}-ca-${number}`;
        const volume = tls!.caSecretName
          ? kplus.Volume.fromSecret(this, `CaVolume${n}`, kplus.Secret.fromSecretName(this, `CaSecret${n}`, tls!.caSecretName), { name: volumeName })
          : kplus.Volume.fromConfigMap(this, `CaVolume${n}`, kplus.ConfigMap.fromConfigMapName(this, `CaConfigMap${n}`, tls!.caConfigMapName!), { name: volumeName });
        this.sidecar.container.mount(tlsDirectory, volume, { readOnly: true });
      }
    }
    if (rendering.metrics) {
      const { port, path } = rendering.metrics;
      const portName = rendering.ports.find(p => p.number === port)!.name!;
      announceMetrics(this, props.workload, {
        rank: MetricsRank.LOG_SHIPPER, container: name, port, portName, path, announce: props.metrics?.announce ?? true,
      });
    }
    // what the rules read beside the manifest: which prop moves a port, and the API that listens on 127.0.0.1
    for (const port of rendering.ports) {
      recordPortProp(props.workload, name, port.number, port.number === config.monitoringPort ? 'monitoringPort' : 'metrics.port');
    }
    for (const port of rendering.loopbackPorts ?? []) {
      podRecord(props.workload).listeners.push({ port, owner: `the API of container "${name}" (on 127.0.0.1; monitoringPort)` });
    }
  }

  /**
   * The engine's own drain, or for the tail engine 1 s where it is a classic sidecar
   * outside a Job: its script reads what is left when SIGTERM comes, which in that
   * case comes together with the app's, so the preStop hook must hold it back until
   * the app has exited (`appStopTime`) and a read more.
   */
  private defaultDrainSeconds(engine: LogShipperEngine, props: LogShipperSidecarProps, rendering: EngineRendering): number {
    const classicOutsideJob = sidecarMode(this, props) === SidecarMode.CLASSIC && CompletionSignal.of(props.workload) === undefined;
    return engine === LogShipperEngine.TAIL && classicOutsideJob ? 1 : rendering.drainSeconds;
  }

  /**
   * The engine's release image, or for Fluent Bit its variant with a shell where the
   * sidecar runs shell scripts: the drain wrapper of a native sidecar, the preStop
   * `sleep` of a classic one, the completion wrapper of a classic sidecar of a Job.
   */
  private defaultImage(engine: LogShipperEngine, props: LogShipperSidecarProps, drainTime: Duration): string {
    if (engine !== LogShipperEngine.FLUENT_BIT) {
      return LogShipperSidecar.DEFAULT_IMAGES[engine];
    }
    return sidecarNeedsShell(this, props, drainTime.toSeconds({ integral: false })) ? FLUENT_BIT_SHELL_IMAGE : FLUENT_BIT_IMAGE;
  }

  private render(engine: LogShipperEngine, config: ShipperConfig, format: FluentBitConfigFormat | undefined): EngineRendering {
    switch (engine) {
      case LogShipperEngine.VECTOR: return renderVector(config);
      case LogShipperEngine.FILEBEAT: return renderFilebeat(config);
      case LogShipperEngine.TAIL: return renderTail(config);
      default: return renderFluentBit(config, format ?? FluentBitConfigFormat.CLASSIC);
    }
  }

  private checkEngineSupport(engine: LogShipperEngine, parser: LogParser, outputs: LogOutput[]): void {
    const support = ENGINE_SUPPORT[engine];
    if (outputs.length === 0) {
      fail(this, 'outputs', [], 'is empty, so the records would go nowhere', 'Give at least one output, or leave outputs out to print the records on stdout.');
    }
    if (outputs.length > 1 && !support.severalOutputs) {
      const several = Object.entries(ENGINE_SUPPORT).filter(([, s]) => s.severalOutputs).map(([e]) => e).join(', ');
      fail(this, 'outputs', outputs.map(o => o.kind), `are ${outputs.length} outputs, and the ${engine} engine sends to one`,
        `Keep one output, or use an engine that sends every record to several: ${several}.`);
    }
    outputs.forEach((output, i) => {
      if (!support.outputs.includes(output.kind)) {
        fail(this, `outputs[${i}]`, output.kind, `is not an output the ${engine} engine can serve`,
          `Use an engine that can: ${enginesSupporting('outputs', output.kind)}.`);
      }
    });
    if (!support.parsers.includes(parser.kind)) {
      fail(this, 'parser', parser.kind, `is not a parser the ${engine} engine has`,
        `Use an engine that has it (${enginesSupporting('parsers', parser.kind)}), or LogParser.none().`);
    }
  }

  private checkParser(parser: LogParser): void {
    if (parser.kind !== LogParserKind.REGEX && parser.kind !== LogParserKind.MULTILINE) {
      return;
    }
    const pattern = parser.pattern ?? '';
    if (pattern === '' || /["\n\r']/.test(pattern)) {
      fail(this, 'parser.pattern', pattern, 'is empty or holds a quote or a line break, which the engines\' config formats cannot carry',
        'Write the expression without quotes (use \\x22 for a double quote) and on one line.');
    }
    try {
      new RegExp(pattern);
    } catch (e) {
      fail(this, 'parser.pattern', pattern, `is not a regular expression (${(e as Error).message})`, 'Fix the expression.');
    }
    if (parser.kind === LogParserKind.REGEX && !/\(\?<[A-Za-z_][A-Za-z0-9_]*>/.test(pattern)) {
      fail(this, 'parser.pattern', pattern, 'has no named group, so it would extract no field', 'Name the groups to keep: (?<level>\\w+).');
    }
  }

  /**
   * Two outputs that send to the same place (the same kind, server, port, path, index
   * and tenant) would ship every record twice.
   */
  private checkDistinctOutputs(outputs: LogOutput[]): void {
    const seen = new Map<string, number>();
    outputs.forEach((o, i) => {
      const place = JSON.stringify([o.kind, o.host, o.port, o.path, o.index, o.tenantId]);
      const first = seen.get(place);
      if (first !== undefined) {
        fail(this, `outputs[${i}]`, o.host ? `${o.kind} ${o.host}:${o.port}` : o.kind, `sends to the same place as outputs[${first}], so every record would arrive twice`,
          'Remove one of the two outputs.');
      }
      seen.set(place, i);
    });
  }

  private checkOutput(output: LogOutput, field: string): void {
    if (output.kind === LogOutputKind.STDOUT) {
      return;
    }
    if (output.host === undefined || !isHost(output.host)) {
      fail(this, `${field}.host`, output.host, 'is not a host name or IP address', 'Give a Service name such as "elasticsearch.logging.svc" (no scheme, no port).');
    }
    checkPort(this, `${field}.port`, output.port);
    if (output.kind === LogOutputKind.ELASTICSEARCH && (output.index === undefined || !/^[a-z0-9][a-z0-9._+-]{0,254}$/.test(output.index))) {
      fail(this, `${field}.index`, output.index, 'is not an Elasticsearch index name', 'Use lower-case letters, digits and ._+- , starting with a letter or digit.');
    }
    if (output.path !== undefined && !isUrlPath(output.path)) {
      fail(this, `${field}.path`, output.path, 'is not a URL path of plain characters', 'Start it with "/", for example "/ingest".');
    }
    for (const [key, value] of Object.entries(output.labels ?? {})) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) || !isPlainValue(value)) {
        fail(this, `${field}.labels`, `${key}=${value}`, 'is not a Loki label of plain characters', 'Use [a-zA-Z_][a-zA-Z0-9_]* names and values of letters, digits and ._/:@-.');
      }
    }
    if (output.tenantId !== undefined && !isPlainValue(output.tenantId)) {
      fail(this, `${field}.tenantId`, output.tenantId, 'is not a plain tenant name', 'Use letters, digits and ._/:@- only.');
    }
    const credentials = output.credentials;
    if (credentials) {
      if (!credentials.secretName) {
        fail(this, `${field}.credentials.secretName`, credentials.secretName, 'is missing',
          'Name the Secret that holds the user name and password: credentials are only read from a Secret, never written inline.');
      }
      checkObjectName(this, `${field}.credentials.secretName`, credentials.secretName);
      for (const [keyField, key] of [['usernameKey', credentials.usernameKey], ['passwordKey', credentials.passwordKey]]) {
        if (key !== undefined && !isConfigKey(key)) {
          fail(this, `${field}.credentials.${keyField}`, key, 'is not a valid Secret key', 'Use letters, digits and -._ only, for example "password".');
        }
      }
    }
    const tls = output.tls;
    if (tls) {
      if (tls.caSecretName && tls.caConfigMapName) {
        fail(this, `${field}.tls`, `${tls.caSecretName} and ${tls.caConfigMapName}`, 'names both a Secret and a ConfigMap for the CA', 'Keep one of caSecretName and caConfigMapName.');
      }
      if (tls.caSecretName !== undefined) {
        checkObjectName(this, `${field}.tls.caSecretName`, tls.caSecretName);
      }
      if (tls.caConfigMapName !== undefined) {
        checkObjectName(this, `${field}.tls.caConfigMapName`, tls.caConfigMapName);
      }
      if (tls.caKey !== undefined && !isConfigKey(tls.caKey)) {
        fail(this, `${field}.tls.caKey`, tls.caKey, 'is not a valid key', 'Use letters, digits and -._ only, for example "ca.crt".');
      }
    }
  }

  private memoryBuffer(engine: LogShipperEngine, resources: kplus.ContainerResources, buffer: Size | undefined): number {
    if (engine === LogShipperEngine.TAIL) {
      if (buffer !== undefined) {
        fail(this, 'memoryBuffer', `${buffer.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`, 'is set for the tail engine, which buffers nothing', 'Remove it, or use another engine.');
      }
      return 0;
    }
    const limit = resources.memory?.limit?.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    const value = buffer !== undefined ? wholeMebibytes(this, 'memoryBuffer', buffer) : Math.max(1, Math.floor((limit ?? 128) / 4));
    if (limit !== undefined && value >= limit) {
      fail(this, 'memoryBuffer', `${value}Mi`, `is not below the container's memory limit (${limit}Mi), so a full buffer would get the shipper OOM-killed`,
        'Lower memoryBuffer (a quarter of the limit is the default) or raise the memory limit.');
    }
    return value;
  }

  private filesystemBuffer(engine: LogShipperEngine, buffer: Size | undefined, outputs: number): number | undefined {
    if (buffer === undefined) {
      return undefined;
    }
    if (engine === LogShipperEngine.TAIL) {
      fail(this, 'filesystemBuffer', `${buffer.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`, 'is set for the tail engine, which buffers nothing', 'Remove it, or use another engine.');
    }
    const value = wholeMebibytes(this, 'filesystemBuffer', buffer);
    if (value < outputs) {
      fail(this, 'filesystemBuffer', `${value}Mi`, `leaves less than 1Mi to each of the ${outputs} outputs, which share it`,
        `Use Size.mebibytes(${outputs}) or more.`);
    }
    // each of Vector's sinks has a disk buffer of its own, of an equal share
    if (engine === LogShipperEngine.VECTOR && Math.floor(value / outputs) < VECTOR_MIN_DISK_BUFFER_MEBIBYTES) {
      const least = VECTOR_MIN_DISK_BUFFER_MEBIBYTES * outputs;
      fail(this, 'filesystemBuffer', `${value}Mi`, outputs === 1
        ? `is below the ${VECTOR_MIN_DISK_BUFFER_MEBIBYTES}Mi that Vector's disk buffer needs at least`
        : `gives each of the ${outputs} outputs less than the ${VECTOR_MIN_DISK_BUFFER_MEBIBYTES}Mi that Vector's disk buffer needs at least`,
      `Use Size.mebibytes(${least}) or more with Vector${outputs === 1 ? '' : ` and ${outputs} outputs`}.`);
    }
    return value;
  }
}
