export { ConfigSyncAuth, ConfigSyncAuthKind, SshAuthOptions, TokenAuthOptions } from './config-sync/auth';
export { ConfigSyncSidecar, ConfigSyncSidecarProps, ConfigSyncWebhook } from './config-sync/config-sync-sidecar';
export { ConfigSyncReloadSignal } from './config-sync/reload-signal';
export { DownwardApiEnv } from './core/downward-api';
export { MetricsOptions, SidecarMetrics } from './core/metrics';
export { KubernetesVersion, SidecarMode } from './core/mode';
export { PodMonitor, PodMonitorEndpoint, PodMonitorProps } from './core/pod-monitor';
export { PodSecurity } from './core/pod-security';
export { SidecarErrors, SidecarProblem } from './core/errors';
export { PodSpecPatches } from './core/pod-spec';
export { AppMountOptions, SharedVolume, SharedVolumeMountOptions, SharedVolumeProps } from './core/shared-volume';
export { Sidecar, SidecarOptions, SidecarProps } from './core/sidecar';
export { CheckProtocol, DependencyCheck } from './netshoot/checks';
export { NetshootDebugSidecar, NetshootDebugSidecarProps } from './netshoot/netshoot-debug-sidecar';
export { JobCompletion, JobCompletionProps } from './sidecar-job/job-completion';
export { SidecarCronJob, SidecarCronJobProps } from './sidecar-job/sidecar-cron-job';
export { SidecarJob, SidecarJobOptions, SidecarJobProps } from './sidecar-job/sidecar-job';
export { FluentBitConfigFormat, LogShipperEngine } from './log-shipper/engine';
export { LogShipperSidecar, LogShipperSidecarProps } from './log-shipper/log-shipper-sidecar';
export {
  ElasticsearchOutputOptions, HttpOutputOptions, LogOutput, LogOutputKind, LokiOutputOptions, NetworkOutputOptions,
  OpenTelemetryOutputOptions, OutputCredentials, OutputTls,
} from './log-shipper/output';
export { LogParser, LogParserKind } from './log-shipper/parser';
export { MeshProxySidecar, MeshProxySidecarProps, MeshProxyServiceOptions } from './mesh-proxy/mesh-proxy-sidecar';
export { InboundTls, ProxyProtocol, ProxyUpstream, UpstreamTls } from './mesh-proxy/options';
export {
  PlanPodSecurity, PlanPort, PlanResources, PlanStep, PlanFinding, PlanSuppressedFinding, PlanViolation, PlanVolume, PodPlan, PodPlanOptions,
} from './plan/pod-plan';
export { PlanValidation, PlanValidationProperties } from './cli/plan-validation';
export { RuleSuppression, RuleSuppressions } from './rules/rule-suppressions';
