import { activeDeadline } from './active-deadline';
import { commandNeedsShell } from './command-needs-shell';
import { containerName } from './container-name';
import { duplicateContainerName } from './duplicate-container-name';
import { duplicateMountPath } from './duplicate-mount-path';
import { gracePeriod } from './grace-period';
import { initContainerLifecycle } from './init-container-lifecycle';
import { invalidSuppression } from './invalid-suppression';
import { jobCompletionUnknown } from './job-completion-unknown';
import { jobNeverCompletes } from './job-never-completes';
import { mountPath } from './mount-path';
import { mutableImageTag } from './mutable-image-tag';
import { nativeSidecarsUnsupported } from './native-sidecars-unsupported';
import { noContainers } from './no-containers';
import { podSpecShape } from './pod-spec-shape';
import { portConflict } from './port-conflict';
import { portName } from './port-name';
import { portNumber } from './port-number';
import { proxyAppPort } from './proxy-app-port';
import { proxyStartOrder } from './proxy-start-order';
import { proxyWithoutStartupProbe } from './proxy-without-startup-probe';
import { quantity } from './quantity';
import { readOnlySharedVolume } from './read-only-shared-volume';
import { readinessWithoutTraffic } from './readiness-without-traffic';
import { requestAboveLimit } from './request-above-limit';
import { Rule } from './rule';
import { sidecarIgnoresSigterm } from './sidecar-ignores-sigterm';
import { sidecarWithoutLimits } from './sidecar-without-limits';
import { sidecarsRequestMoreThanApp } from './sidecars-request-more-than-app';

/**
 * Every rule, in the order findings are reported: what the API server rejects, then
 * what keeps a Pod from stopping or completing, then warnings.
 *
 * @internal
 */
export const RULES: Rule[] = [
  podSpecShape,
  noContainers,
  containerName,
  duplicateContainerName,
  portNumber,
  portName,
  portConflict,
  mountPath,
  duplicateMountPath,
  quantity,
  requestAboveLimit,
  initContainerLifecycle,
  invalidSuppression,
  sidecarIgnoresSigterm,
  gracePeriod,
  activeDeadline,
  jobNeverCompletes,
  proxyStartOrder,
  proxyAppPort,
  nativeSidecarsUnsupported,
  sidecarWithoutLimits,
  readinessWithoutTraffic,
  proxyWithoutStartupProbe,
  sidecarsRequestMoreThanApp,
  jobCompletionUnknown,
  readOnlySharedVolume,
  commandNeedsShell,
  mutableImageTag,
];
