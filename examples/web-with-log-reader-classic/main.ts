// The app of ../web-with-log-reader for a Kubernetes 1.28 cluster, where native
// sidecars are off by default: one context key turns every sidecar of the app into a
// classic one (a second entry of `containers`).
import { App } from 'cdk8s';
import { KubernetesVersion } from 'cdk8s-sidecars';
import { build as buildWebWithLogReader } from '../web-with-log-reader/main';

export function build(app: App): App {
  app.node.setContext(KubernetesVersion.CONTEXT_KEY, '1.28');
  return buildWebWithLogReader(app);
}

if (require.main === module) {
  build(new App()).synth();
}
