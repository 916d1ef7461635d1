// The Job of ../job-with-logshipper for Kubernetes 1.28: classic sidecars, stopped by
// the completion signal that SidecarJob wraps around both commands.
import { App } from 'cdk8s';
import { KubernetesVersion } from '../../src';
import { build as buildJob } from '../job-with-logshipper/main';

export function build(app: App): App {
  app.node.setContext(KubernetesVersion.CONTEXT_KEY, '1.28');
  return buildJob(app);
}

if (require.main === module) {
  build(new App()).synth();
}
