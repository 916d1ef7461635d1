// The Job of ../job-with-logshipper for Kubernetes 1.28: classic sidecars, stopped by
// the completion signal that SidecarJob wraps around both commands. The shipper's
// wrapper sees myjob's exit file within a second, sends the shipper SIGTERM (after
// drainTime, none for the tail engine, whose script drains itself) and exits 0.
import { App } from 'cdk8s';
import { KubernetesVersion } from 'cdk8s-sidecars';
import { build as buildJob } from '../job-with-logshipper/main';

export function build(app: App): App {
  app.node.setContext(KubernetesVersion.CONTEXT_KEY, '1.28');
  return buildJob(app);
}

if (require.main === module) {
  build(new App()).synth();
}
