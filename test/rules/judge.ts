// Runs the rules over a manifest given as YAML, as `cdk8s-sidecars plan` reads it, so
// that each rule is tested on what any source (cdk8s-plus, an imported object, YAML
// brought in with Include) renders.
import * as yaml from 'yaml';
import { PodRecord, SidecarRecord } from '../../src/core/pod-record';
import { judge } from '../../src/rules/engine';
import { readPod } from '../../src/rules/pod';

/** What the constructs would record beside the manifest; sidecars by container name. */
export interface TestRecord {
  readonly sidecars?: { [name: string]: Partial<SidecarRecord> };
  readonly listeners?: PodRecord['listeners'];
  readonly proxies?: PodRecord['proxies'];
  /** The prop that sets a sidecar's port, by `<container>/<port>`. */
  readonly portProps?: { [containerAndPort: string]: string };
  /** Init containers of this library that never go through a mesh proxy. */
  readonly initsWithoutProxy?: string[];
}

/** A pod template manifest, from YAML text or an object. */
export function manifestOf(source: string | object): any {
  return typeof source === 'string' ? yaml.parse(source) : source;
}

/** The findings (rule and message) of every rule for the manifest, suppressed ones apart. */
export function judgeManifest(source: string | object, record: TestRecord = {}, kubernetesVersion?: string) {
  const sidecars = new Map(Object.entries(record.sidecars ?? {}).map(([name, info]) =>
    [name, { drainSeconds: 0, stopSeconds: 0, appStopSeconds: 0, ...info }]));
  const portProps = new Map(Object.entries(record.portProps ?? {}));
  const listeners = record.listeners ?? [];
  const initsWithoutProxy = new Set(record.initsWithoutProxy);
  const pod = readPod(manifestOf(source), { sidecars, listeners, proxies: record.proxies ?? [], portProps, initsWithoutProxy }, kubernetesVersion);
  if (!pod) {
    throw new Error('the test manifest has no pod template');
  }
  return judge(pod);
}

/** The messages one rule finds in the manifest. */
export function messagesOf(rule: string, source: string | object, record: TestRecord = {}, kubernetesVersion?: string): string[] {
  return judgeManifest(source, record, kubernetesVersion).findings.filter(f => f.rule === rule).map(f => f.message);
}

/** A Deployment with the given pod spec, as YAML text. */
export function deployment(podSpec: string): string {
  const indented = podSpec.trim().split('\n').map(line => `      ${line}`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
${indented}
`;
}
