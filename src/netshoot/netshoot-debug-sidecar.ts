import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { DependencyCheck, checkScript, resolveChecks } from './checks';
import { fail } from '../core/errors';
import { PodSpecPatches } from '../core/pod-spec';
import { podTemplateOf } from '../core/pod-template';
import { sidecarResources } from '../core/resources';
import { Sidecar, SidecarOptions } from '../core/sidecar';
import { wholeSeconds } from '../core/validate';
import { Workload } from '../core/workload';

/**
 * Props of a `NetshootDebugSidecar`.
 */
export interface NetshootDebugSidecarProps extends SidecarOptions {
  /**
   * Add the sidecar at all. Set it from the environment so that one app serves
   * development (with the toolbox) and production (without).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The netshoot image, pinned.
   *
   * @default NetshootDebugSidecar.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * Dependencies to check at start and every `checkInterval`, one line per check on
   * the sidecar's stdout (`kubectl logs -c netshoot`).
   *
   * @default - no checks: the sidecar only sleeps, waiting for `kubectl exec` (and
   * exits at once on SIGTERM)
   */
  readonly checks?: DependencyCheck[];

  /**
   * Time between two rounds of checks, in whole seconds.
   *
   * @default Duration.seconds(60)
   */
  readonly checkInterval?: Duration;

  /**
   * How long one check may take before it counts as failed: whole seconds, from 1s
   * to `checkInterval`.
   *
   * @default Duration.seconds(5)
   */
  readonly checkTimeout?: Duration;

  /**
   * Allow packet capture and firewall inspection (tcpdump, iptables -L): the sidecar
   * then runs as root with the NET_ADMIN and NET_RAW capabilities. This is an
   * exception to the Pod Security Standards *restricted* profile, and namespaces
   * that enforce it will reject the Pod.
   *
   * @default false: a non-root user and no capabilities, enough for dig, curl, nc
   */
  readonly packetCapture?: boolean;

  /**
   * Let the sidecar see (and, within its privileges, signal) the app's processes,
   * by setting `shareProcessNamespace: true` on the Pod.
   *
   * @default false
   */
  readonly shareProcessNamespace?: boolean;
}

/**
 * A `nicolaka/netshoot` sidecar: a network toolbox (dig, curl, nc, tcpdump...) in the
 * Pod's network namespace for `kubectl exec`, which can also check the app's
 * dependencies and print the results to its log.
 *
 * It never has a readiness probe, so it can never take the Pod out of a Service.
 */
export class NetshootDebugSidecar extends Construct {
  /** The netshoot image used unless `image` says otherwise. */
  public static readonly DEFAULT_IMAGE = 'nicolaka/netshoot:v0.15';

  /** The default container name. */
  public static readonly DEFAULT_CONTAINER_NAME = 'netshoot';

  /** Where the check script is mounted. */
  public static readonly CHECKS_PATH = '/etc/netshoot';

  /**
   * The sidecar, or undefined when `enabled` is false.
   */
  public readonly sidecar?: Sidecar;

  /**
   * The generated check script, or undefined when there are no checks.
   */
  public readonly checkScript?: string;

  private readonly workload: IConstruct;

  constructor(scope: Construct, id: string, props: NetshootDebugSidecarProps) {
    super(scope, id);
    this.workload = props.workload;
    if (props.enabled === false) {
      return;
    }
    const checks = resolveChecks(this, props.checks ?? []);
    if (checks.length > 0) {
      // the script passes both to nc, dig, curl and sleep in whole seconds
      const interval = wholeSeconds(this, 'checkInterval', props.checkInterval ?? Duration.seconds(60));
      const timeout = wholeSeconds(this, 'checkTimeout', props.checkTimeout ?? Duration.seconds(5));
      if (timeout < 1 || interval < timeout) {
        fail(this, 'checkTimeout', `${timeout}s`, `must be at least 1s and at most checkInterval (${interval}s)`,
          'Shorten the timeout or lengthen the interval.');
      }
      this.checkScript = checkScript(checks, interval, timeout);
    }

    const packetCapture = props.packetCapture ?? false;
    this.sidecar = new Sidecar(this, 'Sidecar', {
      ...props,
      containerName: props.containerName ?? NetshootDebugSidecar.DEFAULT_CONTAINER_NAME,
      image: props.image ?? NetshootDebugSidecar.DEFAULT_IMAGE,
      // PID 1 of its container: the check script traps SIGTERM itself, the idle sleep is wrapped
      command: this.checkScript ? ['bash', `${NetshootDebugSidecar.CHECKS_PATH}/checks.sh`] : Sidecar.exitOnSigterm(['sleep', 'infinity']),
      resources: props.resources ?? sidecarResources(10, 100, 32, 128),
      securityContext: packetCapture
        ? {
          // tcpdump and iptables need root and these capabilities: the documented exception
          ensureNonRoot: false,
          user: 0,
          group: 0,
          capabilities: { drop: [kplus.Capability.ALL], add: [kplus.Capability.NET_ADMIN, kplus.Capability.NET_RAW] },
          ...props.securityContext,
        }
        : props.securityContext,
    });
    if (this.checkScript) {
      this.sidecar.addConfigFiles(NetshootDebugSidecar.CHECKS_PATH, { 'checks.sh': this.checkScript });
    }
    if (props.shareProcessNamespace) {
      PodSpecPatches.shareProcessNamespace(props.workload);
    }
  }

  /**
   * The `kubectl exec` command that opens a shell in the sidecar of one of the
   * workload's Pods.
   */
  public execCommand(): string {
    return `kubectl exec -it ${this.target()} -c ${this.containerName()} -- bash`;
  }

  /**
   * The `kubectl logs` command that follows the sidecar's output (the check results).
   */
  public logsCommand(): string {
    return `kubectl logs -f ${this.target()} -c ${this.containerName()}`;
  }

  private containerName(): string {
    if (!this.sidecar) {
      fail(this, 'enabled', false, 'leaves the workload without a netshoot sidecar, so there is nothing to exec into',
        'Set enabled: true where you want the commands.');
    }
    return this.sidecar.containerName;
  }

  private target(): string {
    const workload = Workload.of(this, 'workload', this.workload);
    const ns = workload.namespace ? `-n ${workload.namespace} ` : '';
    if (workload.kind !== 'CronJob') {
      // kubectl exec picks a Pod of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job...
      return `${ns}${workload.kind.toLowerCase()}/${workload.name}`;
    }
    // A CronJob has no Pods of its own: pick one of its Jobs' Pods by the labels of its
    // pod template (cdk8s-plus puts its address label there), as rendered.
    const labels: { [key: string]: string } = podTemplateOf(workload.apiObject.toJson())?.metadata?.labels ?? {};
    const address = kplus.Pod.ADDRESS_LABEL;
    const selector = labels[address] !== undefined ? [address] : Object.keys(labels).sort();
    if (selector.length === 0) {
      fail(this, 'workload', workload.path, 'is a CronJob whose pod template has no labels, so kubectl cannot find its Pods',
        'Give the pod template a label (spec.jobTemplate.spec.template.metadata.labels).');
    }
    return `${ns}$(kubectl get pods ${ns}-l ${selector.map(key => `${key}=${labels[key]}`).join(',')} -o name | head -n 1)`;
  }
}
