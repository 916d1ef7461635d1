import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConfigSyncAuth, ConfigSyncAuthKind } from './auth';
import { ConfigSyncReloadSignal, RELOAD_SCRIPT, checkReloadSignal } from './reload-signal';
import { fail } from '../core/errors';
import { checkImage } from '../core/image';
import { MetricsOptions, MetricsRank, announceMetrics, checkKindMetricsPort } from '../core/metrics';
import { podRecord, recordPortProp } from '../core/pod-record';
import { PodSpecPatches } from '../core/pod-spec';
import { isJobKind } from '../core/pod-template';
import { sidecarResources } from '../core/resources';
import { restrictedSecurityContext } from '../core/security';
import { SharedVolume } from '../core/shared-volume';
import { Sidecar, SidecarOptions } from '../core/sidecar';
import { checkAbsolutePath, checkName, checkPort, isUrlPath, wholeMebibytes, wholeSeconds } from '../core/validate';
import { Workload } from '../core/workload';

/**
 * Where git-sync tells the app that new content is in place.
 */
export interface ConfigSyncWebhook {
  /**
   * The port an app container listens on (and declares): git-sync calls
   * `http://127.0.0.1:<port><path>` after each sync that changed the link.
   */
  readonly port: number;

  /**
   * The path of the call.
   *
   * @default "/"
   */
  readonly path?: string;

  /**
   * The HTTP method.
   *
   * @default "POST"
   */
  readonly method?: string;

  /**
   * The status that counts as success; git-sync retries the call until it gets it.
   * 0 accepts any answer.
   *
   * @default 200
   */
  readonly successStatus?: number;

  /**
   * How long one call may take. Whole seconds.
   *
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
}

/**
 * Props of a `ConfigSyncSidecar`.
 */
export interface ConfigSyncSidecarProps extends SidecarOptions {
  /**
   * The Git repository: `https://host/path`, `ssh://[user@]host[:port]/path` or
   * `user@host:path`. An HTTPS URL holds no credentials (give them in `auth`); plain
   * `http://` is refused.
   */
  readonly repository: string;

  /**
   * The branch, tag or commit to check out.
   *
   * @default "HEAD": the head of the repository's default branch
   */
  readonly ref?: string;

  /**
   * How many commits of history to fetch; 0 fetches all of it.
   *
   * @default 1
   */
  readonly depth?: number;

  /**
   * The absolute path where the app containers see the synced volume (read-only).
   * The content is under `<mountPath>/<link>` (`contentPath`): a symlink that git-sync
   * switches atomically to each new checkout, so that the app never reads half a sync.
   */
  readonly mountPath: string;

  /**
   * The app containers that mount the synced volume.
   *
   * @default - every regular container of the rendered pod template that is not a
   * sidecar of this library
   */
  readonly appContainers?: string[];

  /**
   * The name of the symlink (git-sync's `--link`) under `mountPath`.
   *
   * @default "current"
   */
  readonly link?: string;

  /**
   * The directory of the repository the app needs, relative to its root: only a part
   * of `contentPath`, which the app reads through the link (the whole repository is
   * synced).
   *
   * @default - the repository's root
   */
  readonly subPath?: string;

  /**
   * Time between two syncs. Whole seconds, at least one.
   *
   * @default Duration.seconds(60): each replica polls the Git server; a minute keeps
   * a few hundred Pods well inside the rate limits of hosted Git services
   */
  readonly period?: Duration;

  /**
   * The longest one sync may take. Whole seconds, at least one.
   *
   * @default Duration.seconds(120), git-sync's own
   */
  readonly syncTimeout?: Duration;

  /**
   * How many syncs in a row may fail before git-sync exits (and the kubelet restarts
   * it, which shows in the Pod's restart count); -1 retries forever. The content
   * synced last stays in place meanwhile.
   *
   * @default 5
   */
  readonly maxFailures?: number;

  /**
   * Credentials, from a Secret.
   *
   * @default - none: a public HTTPS repository
   */
  readonly auth?: ConfigSyncAuth;

  /**
   * Sync once in an init container before the app starts (`--one-time`), so that the
   * app starts with the content. Without it, the app starts at once and finds the
   * link missing until the sidecar's first sync.
   *
   * @default true
   */
  readonly initialSync?: boolean;

  /**
   * Call the app after each sync that changed the content, so that it reloads. For an
   * app that reloads on a signal, use `reloadSignal`.
   *
   * @default - no call: the app reads through the link when it needs to
   */
  readonly webhook?: ConfigSyncWebhook;

  /**
   * Send the app a signal when the content changed, for an app that reloads on one
   * (nginx on SIGHUP). Adds a small busybox sidecar, `<containerName>-reload`, that
   * mounts the synced volume read-only at `mountPath`, checks every 5 seconds where
   * the link points, and signals the app's process when that changed; and sets
   * `shareProcessNamespace: true` on the Pod (every container then sees the others'
   * processes). Not with `webhook`.
   *
   * @default - no signal
   */
  readonly reloadSignal?: ConfigSyncReloadSignal;

  /**
   * The most the synced volume may hold (the repository's objects and two
   * checkouts during a switch); the kubelet evicts the Pod when it holds more. Whole
   * MiB.
   *
   * @default Size.mebibytes(256)
   */
  readonly volumeSizeLimit?: Size;

  /**
   * The git-sync image, pinned (a v4 release: the flags are v4's).
   *
   * @default ConfigSyncSidecar.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * git-sync's Prometheus endpoint (`/metrics` of its HTTP server, the container port
   * `sync-metrics`). Set `announce: false` to keep it out of the Pod's
   * `prometheus.io/*` annotations; it comes last among the sidecars' there.
   *
   * @default - on port 2112, announced when its turn comes
   */
  readonly metrics?: MetricsOptions;
}

/** Where the synced volume is mounted in git-sync's containers (its `--root`). */
const ROOT = '/git';
/** Where the credentials are mounted: git-sync's default directory for them. */
const SECRET_DIR = '/etc/git-secret';
const DEFAULT_METRICS_PORT = 2112;
/** The image of the reload watcher: busybox's sh, readlink, sed and kill. */
const RELOAD_IMAGE = 'busybox:1.37.0';
/** Seconds between two looks of the reload watcher at the link. */
const RELOAD_CHECK_SECONDS = 5;
/** git-sync's user and group in its image; OpenSSH needs the user in /etc/passwd. */
const GIT_SYNC_USER = 65533;

/**
 * A sidecar that keeps a directory of the app's Pods in sync with a Git repository,
 * with git-sync v4: an init container syncs once before the app starts, then a
 * native sidecar syncs every `period`, switching the `link` symlink atomically, and
 * may call the app to reload. For a Job or CronJob only the init container is added:
 * the app runs once, on the content it started with.
 *
 * Both run as git-sync's user 65533 under the restricted security context, with a
 * small emptyDir at `/tmp` (git's `HOME`), the synced emptyDir at `/git`, and the
 * credentials (if any) at `/etc/git-secret`; the app containers mount the synced
 * emptyDir read-only. git-sync exits on SIGTERM, and keeps what it synced in the
 * volume across restarts.
 */
export class ConfigSyncSidecar extends Construct {
  /** The pinned git-sync image. */
  public static readonly DEFAULT_IMAGE = 'registry.k8s.io/git-sync/git-sync:v4.5.1';

  /** The sidecar; undefined for a Job or CronJob, which get the init container only. */
  public readonly sidecar?: Sidecar;

  /** The init container that syncs once before the app; undefined with `initialSync: false`. */
  public readonly initContainer?: kplus.Container;

  /** The sidecar that signals the app on new content; undefined without `reloadSignal`. */
  public readonly reloadWatcher?: Sidecar;

  /** The volume that holds the synced repository. */
  public readonly volume: SharedVolume;

  /** Where the app containers find the content: `<mountPath>/<link>[/<subPath>]`. */
  public readonly contentPath: string;

  constructor(scope: Construct, id: string, props: ConfigSyncSidecarProps) {
    super(scope, id);
    const workload = Workload.of(this, 'workload', props.workload);
    const name = props.containerName ?? 'config-sync';
    checkName(this, 'containerName', name);
    const image = props.image ?? ConfigSyncSidecar.DEFAULT_IMAGE;
    const imagePullPolicy = checkImage(this, 'image', image, props.allowUnpinnedImage ?? false);
    checkAbsolutePath(this, 'mountPath', props.mountPath);
    const link = props.link ?? 'current';
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(link)) {
      fail(this, 'link', link, 'is not a plain name (git-sync keeps its own files under --root in names that start with a dot)',
        'Use letters, digits and ._- not starting with a dot, for example "current".');
    }
    const subPath = props.subPath;
    if (subPath !== undefined && (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(subPath) || subPath.split('/').some(s => s === '.' || s === '..'))) {
      fail(this, 'subPath', subPath, 'is not a relative directory inside the repository', 'Give it as "dir/sub": names of letters, digits and ._- joined by single slashes, no "." or "..".');
    }
    this.contentPath = `${props.mountPath.replace(/\/$/, '')}/${link}${subPath === undefined ? '' : `/${subPath}`}`;

    const repoFlags = this.repositoryFlags(props);
    const job = isJobKind(workload.kind);
    const initialSync = props.initialSync ?? true;
    if (job) {
      const sidecarOnly: Array<[string, unknown]> = [
        ['webhook', props.webhook], ['reloadSignal', props.reloadSignal], ['metrics', props.metrics], ['period', props.period], ['maxFailures', props.maxFailures],
      ];
      for (const [field, value] of sidecarOnly) {
        if (value !== undefined) {
          fail(this, field, value instanceof Duration ? value.toHumanString() : value, `is for the sidecar, and ${workload.path} is a ${workload.kind}, which gets only the init container that syncs once before the app`,
            `Leave ${field} out.`);
        }
      }
      if (!initialSync) {
        fail(this, 'initialSync', false, `leaves nothing to add: ${workload.path} is a ${workload.kind}, which gets only the init container that syncs once before the app`,
          'Leave initialSync out, or remove the ConfigSyncSidecar.');
      }
    }
    const period = wholeSeconds(this, 'period', props.period ?? Duration.seconds(60));
    if (period < 1) {
      fail(this, 'period', `${period}s`, 'is not a time between syncs', 'Give at least one second.');
    }
    const maxFailures = props.maxFailures ?? 5;
    if (!Number.isInteger(maxFailures) || maxFailures < -1) {
      fail(this, 'maxFailures', maxFailures, 'is not a number of failures', 'Give a whole number: 0 or more, or -1 to retry forever.');
    }
    checkKindMetricsPort(this, props.metrics);
    const metricsPort = props.metrics?.port ?? DEFAULT_METRICS_PORT;
    const webhookFlags = this.webhookFlags(props.webhook);
    if (props.webhook !== undefined && props.reloadSignal !== undefined) {
      fail(this, 'reloadSignal', props.reloadSignal.processName, 'is given together with webhook, and the app needs one way to learn of new content',
        'Keep webhook for an app that reloads on an HTTP call, or reloadSignal for one that reloads on a signal.');
    }
    const reloadSignal = props.reloadSignal && checkReloadSignal(this, props.reloadSignal);

    const volumeSize = props.volumeSizeLimit ?? Size.mebibytes(256);
    wholeMebibytes(this, 'volumeSizeLimit', volumeSize);
    this.volume = new SharedVolume(this, 'Volume', { workload: props.workload, name: `${name}-repo`, sizeLimit: volumeSize });
    this.volume.mountIntoApp(props.mountPath, { containers: props.appContainers, readOnly: true });
    const tmp = new SharedVolume(this, 'Tmp', { workload: props.workload, name: `${name}-tmp`, sizeLimit: Size.mebibytes(16) });
    const auth = props.auth && kplus.Volume.fromSecret(this, 'AuthVolume', kplus.Secret.fromSecretName(this, 'AuthSecret', props.auth.secretName), {
      name: `${name}-auth`,
      defaultMode: 0o444,
      items: Object.fromEntries(Object.entries(props.auth.files).map(([file, key]) => [key, { path: file }])),
    });
    const resources = props.resources ?? sidecarResources(10, 200, 32, 256);
    const securityContext = { user: GIT_SYNC_USER, group: GIT_SYNC_USER, ...props.securityContext };
    const env = { HOME: kplus.EnvValue.fromValue('/tmp') };
    const mountAll = (container: kplus.Container) => {
      this.volume.mount(container, ROOT, { readOnly: false });
      tmp.mount(container, '/tmp', { readOnly: false });
      if (auth) {
        container.mount(SECRET_DIR, auth, { readOnly: true });
      }
    };

    if (initialSync) {
      this.initContainer = new kplus.Container({
        name: `${name}-init`,
        image,
        imagePullPolicy,
        args: [...repoFlags, '--one-time'],
        envVariables: env,
        resources,
        securityContext: restrictedSecurityContext(securityContext),
      });
      mountAll(this.initContainer);
      const plus28 = workload.plus28;
      workload.addContainer(this.initContainer, { scope: this, native: false, init: true, declaredAfter: plus28 && plus28.initContainers.length });
      // git-sync reaches the Git server directly: it may run before a mesh proxy
      podRecord(props.workload).initsWithoutProxy.add(this.initContainer.name);
    }
    if (job) {
      return;
    }
    this.sidecar = new Sidecar(this, 'Sidecar', {
      ...props,
      metrics: undefined,
      containerName: name,
      image,
      args: [
        ...repoFlags,
        `--period=${period}s`,
        `--max-failures=${maxFailures}`,
        `--http-bind=:${metricsPort}`,
        '--http-metrics',
        ...webhookFlags,
      ],
      ports: [{ number: metricsPort, name: 'sync-metrics' }],
      envVariables: env,
      resources,
      securityContext,
    });
    mountAll(this.sidecar.container);
    announceMetrics(this, props.workload, {
      rank: MetricsRank.CONFIG_SYNC, container: name, port: metricsPort, portName: 'sync-metrics', path: '/metrics', announce: props.metrics?.announce ?? true,
    });
    recordPortProp(props.workload, name, metricsPort, 'metrics.port');
    if (props.webhook) {
      this.checkWebhookPort(workload, props.webhook.port);
    }
    if (props.reloadSignal) {
      this.reloadWatcher = new Sidecar(this, 'ReloadWatcher', {
        ...props,
        metrics: undefined,
        containerName: `${name}-reload`,
        image: RELOAD_IMAGE,
        command: ['/bin/sh', '-c', RELOAD_SCRIPT, 'config-reload',
          `${props.mountPath.replace(/\/$/, '')}/${link}`, props.reloadSignal.processName, reloadSignal!, String(RELOAD_CHECK_SECONDS)],
        resources: sidecarResources(5, 20, 8, 16),
        securityContext: { user: props.reloadSignal.user, group: props.reloadSignal.user },
      });
      this.volume.mount(this.reloadWatcher.container, props.mountPath, { readOnly: true });
      PodSpecPatches.shareProcessNamespace(props.workload);
    }
  }

  /** The flags of both containers: what to sync, where, and with which credentials. */
  private repositoryFlags(props: ConfigSyncSidecarProps): string[] {
    const repository = props.repository;
    const https = /^https:\/\/([^/?#\s]+)\/[^\s?#]+$/.exec(repository);
    const ssh = /^ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?\/[^\s]+$/.test(repository)
      || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/.test(repository);
    if (!https && !ssh) {
      fail(this, 'repository', repository, 'is not a Git repository URL of a form git-sync reaches securely',
        'Give "https://host/path", "ssh://[user@]host[:port]/path" or "user@host:path" (plain http:// and local paths are refused).');
    }
    if (https && https[1].includes('@')) {
      fail(this, 'repository', repository, 'holds credentials, which would be written into the Pod spec',
        'Remove them from the URL and give them with auth: ConfigSyncAuth.token({ username, secretName }).');
    }
    const auth = props.auth;
    if (ssh && auth?.kind !== ConfigSyncAuthKind.SSH) {
      fail(this, 'auth', auth?.kind ?? 'none', 'is not an SSH key, and the repository is reached over SSH, which needs one',
        'Give auth: ConfigSyncAuth.ssh({ secretName }) with the key and the server\'s known_hosts, or an https:// repository.');
    }
    if (https && auth?.kind === ConfigSyncAuthKind.SSH) {
      fail(this, 'auth', auth.kind, 'is an SSH key, and the repository is an https:// URL',
        'Give the repository\'s SSH URL ("git@host:path"), or auth: ConfigSyncAuth.token(...) for HTTPS.');
    }
    if (auth) {
      checkName(this, 'auth.secretName', auth.secretName);
      for (const [file, key] of Object.entries(auth.files)) {
        if (!/^[-._A-Za-z0-9]+$/.test(key)) {
          fail(this, `auth (the key of ${file})`, key, 'is not a Secret key', 'Use letters, digits and -._ only.');
        }
      }
      if (auth.username !== undefined && !/^[A-Za-z0-9._@+-]{1,256}$/.test(auth.username)) {
        fail(this, 'auth.username', auth.username, 'is not a plain user name', 'Use letters, digits and ._@+- only.');
      }
    }
    const ref = props.ref ?? 'HEAD';
    if (!/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/.test(ref) || /\.\.|\/\/|\/$|\.$|\.lock(\/|$)|\/\./.test(ref)) {
      fail(this, 'ref', ref, 'is not a branch, tag or commit name',
        'Give a name such as "main", "v1.2.0", "releases/2026-12" or a commit hash: letters, digits and ._/- without "..", "//" or a trailing "/" or ".".');
    }
    const depth = props.depth ?? 1;
    if (!Number.isInteger(depth) || depth < 0) {
      fail(this, 'depth', depth, 'is not a number of commits', 'Give a whole number: 1 for the last commit only, 0 for the whole history.');
    }
    const syncTimeout = wholeSeconds(this, 'syncTimeout', props.syncTimeout ?? Duration.seconds(120));
    if (syncTimeout < 1) {
      fail(this, 'syncTimeout', `${syncTimeout}s`, 'is not a time a sync may take', 'Give at least one second.');
    }
    const flags = [
      `--repo=${repository}`,
      `--ref=${ref}`,
      `--depth=${depth}`,
      `--root=${ROOT}`,
      `--link=${props.link ?? 'current'}`,
      `--sync-timeout=${syncTimeout}s`,
    ];
    if (auth?.kind === ConfigSyncAuthKind.SSH) {
      flags.push('--ssh', `--ssh-key-file=${SECRET_DIR}/ssh`, `--ssh-known-hosts-file=${SECRET_DIR}/known_hosts`);
    } else if (auth) {
      flags.push(`--username=${auth.username}`, `--password-file=${SECRET_DIR}/password`);
    }
    return flags;
  }

  private webhookFlags(webhook: ConfigSyncWebhook | undefined): string[] {
    if (webhook === undefined) {
      return [];
    }
    checkPort(this, 'webhook.port', webhook.port);
    const path = webhook.path ?? '/';
    if (!isUrlPath(path)) {
      fail(this, 'webhook.path', path, 'is not an absolute URL path', 'Give a path such as "/-/reload": a slash, then letters, digits and -._~!$&()*+,;=:@%/ only.');
    }
    const method = webhook.method ?? 'POST';
    if (!/^[A-Z]+$/.test(method)) {
      fail(this, 'webhook.method', method, 'is not an HTTP method', 'Give a method in capitals, such as "POST" or "GET".');
    }
    const status = webhook.successStatus ?? 200;
    if (!Number.isInteger(status) || (status !== 0 && (status < 100 || status > 599))) {
      fail(this, 'webhook.successStatus', status, 'is not an HTTP status', 'Give a status from 100 to 599, or 0 to accept any answer.');
    }
    const timeout = wholeSeconds(this, 'webhook.timeout', webhook.timeout ?? Duration.seconds(1));
    if (timeout < 1) {
      fail(this, 'webhook.timeout', `${timeout}s`, 'is not a time a call may take', 'Give at least one second.');
    }
    return [
      `--webhook-url=http://127.0.0.1:${webhook.port}${path}`,
      `--webhook-method=${method}`,
      `--webhook-success-status=${status}`,
      `--webhook-timeout=${timeout}s`,
    ];
  }

  /** At render time: an app container must declare the webhook's port. */
  private checkWebhookPort(workload: Workload, port: number): void {
    workload.addAppChange(apps => {
      const declared = apps.some(c => Array.isArray(c.ports) && c.ports.some((p: any) => p?.containerPort === port));
      if (!declared) {
        const ports = apps.flatMap(c => (Array.isArray(c.ports) ? c.ports : []).map((p: any) => `${p?.containerPort} (${c.name})`));
        fail(this, 'webhook.port', port, `is not a port that an app container of ${workload.path} declares, so git-sync's call would reach nothing`,
          ports.length > 0 ? `Give the port the app listens on for reloads: one of ${ports.join(', ')}; or declare it in the app container.` : 'Declare the port in the app container that listens for reloads.');
      }
    });
  }
}
