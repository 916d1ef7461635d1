import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as yaml from 'yaml';

/**
 * The kubernetes-models module for each apiVersion that this library synthesizes.
 * An apiVersion missing here fails the test instead of skipping its validation.
 */
const MODEL_MODULES: { [apiVersion: string]: string } = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  // the Prometheus Operator's CRDs, from the same project's generated models
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

/**
 * Validates one manifest against the Kubernetes OpenAPI schema, through the
 * kubernetes-models package (an independent, ajv-based validator). Throws with
 * every schema error of the manifest.
 */
export function validateManifest(manifest: any): void {
  const moduleName = MODEL_MODULES[manifest.apiVersion];
  if (!moduleName) {
    throw new Error(`no schema for apiVersion ${manifest.apiVersion}: add it to MODEL_MODULES in test/util.ts`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const models = require(moduleName);
  const Model = models[manifest.kind];
  if (!Model) {
    throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  }
  try {
    new Model(manifest).validate();
  } catch (e: any) {
    throw new Error(`${manifest.kind}/${manifest.metadata?.name} does not match the Kubernetes schema: ${e.message}`);
  }
}

/**
 * Synthesizes the app the way `cdk8s synth` does (validations first), validates
 * every manifest against the schema, and returns them.
 */
export function synth(app: App): any[] {
  const text = app.synthYaml();
  const manifests = yaml.parseAllDocuments(text).map(d => d.toJS()).filter(m => m);
  for (const manifest of manifests) {
    validateManifest(manifest);
  }
  return manifests;
}

/** The lines of the error that synthesizing the app throws; fails the test when it synthesizes. */
export function synthErrorLines(app: App): string[] {
  try {
    app.synthYaml();
  } catch (e) {
    return (e as Error).message.split('\n');
  }
  throw new Error('the app synthesized, but an error was expected');
}

/** A new app and chart, as tests start from. */
export function newChart(): { app: App; chart: Chart } {
  const app = new App();
  const chart = new Chart(app, 'test');
  return { app, chart };
}

/** The Pod spec inside a manifest of any workload kind. */
export function podSpec(manifest: any): any {
  switch (manifest.kind) {
    case 'Pod': return manifest.spec;
    case 'CronJob': return manifest.spec.jobTemplate.spec.template.spec;
    default: return manifest.spec.template.spec;
  }
}

/** The pod template metadata (or the Pod's own metadata). */
export function podMetadata(manifest: any): any {
  switch (manifest.kind) {
    case 'Pod': return manifest.metadata;
    case 'CronJob': return manifest.spec.jobTemplate.spec.template.metadata;
    default: return manifest.spec.template.metadata;
  }
}

/** The manifest of the given kind (exactly one must exist). */
export function only(manifests: any[], kind: string): any {
  const found = manifests.filter(m => m.kind === kind);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}, found ${found.length}`);
  }
  return found[0];
}

/**
 * A Deployment as `new ApiObject` writes it — as `cdk8s import` or an `Include` gives
 * one: no cdk8s-plus behind it; `labels` select its Pods.
 */
export function apiObjectDeployment(scope: Construct, id: string, spec: any, labels: { [key: string]: string } = { app: id }): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  });
}
