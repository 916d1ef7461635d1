// The three apps the benchmark compares. Each has N Deployments; each Deployment has an
// nginx app container, a Fluent Bit log shipper to Elasticsearch, a netshoot sidecar
// with two TCP checks and an Envoy mesh proxy with one outbound upstream, every Pod
// meeting the restricted Pod Security Standard. Hosts and the index differ from one
// workload to the next, so no configuration text can be reused across workloads.
//
//   library      this library's constructs
//   handwritten  the same manifests with plain cdk8s-plus-28 and hand-written config text
//   raw          the same objects as cdk8s ApiObjects given their whole JSON: the floor
//
// The baselines place their ConfigMaps at the construct paths the library uses, since
// cdk8s derives resource names from paths; the benchmark compares the three outputs
// byte for byte before it times them.
import { ApiObject, App, Chart, Duration, JsonPatch, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LogOutput, LogShipperSidecar, MeshProxySidecar, NetshootDebugSidecar, PodSecurity, ProxyProtocol } from '../src';
import { DRAIN_WRAPPER, WorkloadValues, checksum, envoyFiles, fluentBitFiles, netshootFiles, valuesOf } from './baseline/config-text';

const APP_IMAGE = 'nginxinc/nginx-unprivileged:1.27.3';

export function library(workloads: number): App {
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < workloads; i++) {
    const v = valuesOf(i);
    const web = new kplus.Deployment(chart, `web${i}`, {
      containers: [{ name: 'app', image: APP_IMAGE, portNumber: 8080, securityContext: { user: 101, group: 101 } }],
    });
    PodSecurity.restricted(web);
    new MeshProxySidecar(chart, `mesh${i}`, {
      workload: web,
      appPort: 8080,
      upstreams: [{ name: 'postgres', host: v.database, port: 5432, localPort: 5432, protocol: ProxyProtocol.TCP }],
    });
    new LogShipperSidecar(chart, `logs${i}`, {
      workload: web,
      logDirectory: '/var/log/nginx',
      outputs: [LogOutput.elasticsearch({ host: 'es.logging.svc', index: v.index })],
    });
    new NetshootDebugSidecar(chart, `debug${i}`, { workload: web, checks: [{ host: v.database, port: 5432 }, { host: v.api, port: 80 }] });
  }
  return app;
}

/** The security context of every sidecar: the restricted profile, user 65532. */
const SIDECAR_SECURITY: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: 65532,
  group: 65532,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

function resources(cpuRequest: number, cpuLimit: number, memoryRequest: number, memoryLimit: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequest), limit: kplus.Cpu.millis(cpuLimit) },
    memory: { request: Size.mebibytes(memoryRequest), limit: Size.mebibytes(memoryLimit) },
  };
}

/** A ConfigMap at the construct path `<id>/Sidecar/Config`, where the library puts its own. */
function configMap(chart: Chart, id: string, files: { [name: string]: string }): kplus.ConfigMap {
  return new kplus.ConfigMap(new Construct(new Construct(chart, id), 'Sidecar'), 'Config', { data: files });
}

export function handwritten(workloads: number): App {
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < workloads; i++) {
    const v = valuesOf(i);
    const meshFiles = envoyFiles(v);
    const shipperFiles = fluentBitFiles(v);
    const checkFiles = netshootFiles(v);
    const web = new kplus.Deployment(chart, `web${i}`, {
      containers: [{
        name: 'app',
        image: APP_IMAGE,
        portNumber: 8080,
        securityContext: { user: 101, group: 101, capabilities: { drop: [kplus.Capability.ALL] } },
      }],
    });
    // cdk8s-plus-28 has no Pod-level seccompProfile prop
    ApiObject.of(web).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
    web.podMetadata.addAnnotation('checksum.cdk8s-sidecars/log-shipper', checksum(shipperFiles));
    web.podMetadata.addAnnotation('checksum.cdk8s-sidecars/mesh-proxy', checksum(meshFiles));
    web.podMetadata.addAnnotation('checksum.cdk8s-sidecars/netshoot', checksum(checkFiles));
    web.podMetadata.addAnnotation('prometheus.io/path', '/stats/prometheus');
    web.podMetadata.addAnnotation('prometheus.io/port', '15021');
    web.podMetadata.addAnnotation('prometheus.io/scrape', 'true');

    const logs = kplus.Volume.fromEmptyDir(chart, `logs${i}-logs`, 'log-shipper-logs', { sizeLimit: Size.mebibytes(256) });
    web.containers[0].mount('/var/log/nginx', logs, { readOnly: false });

    const proxy = web.addInitContainer({
      name: 'mesh-proxy',
      image: 'envoyproxy/envoy:v1.37.6',
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
      command: ['envoy', '-c', '/etc/envoy/envoy.yaml', '--concurrency', '1', '--drain-time-s', '1', '--drain-strategy', 'immediate', '--disable-hot-restart', '--log-level', 'info'],
      ports: [{ number: 15006, name: 'http-proxy' }, { number: 15021, name: 'proxy-metrics' }],
      startup: kplus.Probe.fromHttpGet('/ready', { port: 15021, periodSeconds: Duration.seconds(1), timeoutSeconds: Duration.seconds(1), failureThreshold: 600 }),
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 15021, periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(1) }),
      liveness: kplus.Probe.fromHttpGet('/healthz/live', { port: 15021, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(1) }),
      resources: resources(100, 1000, 128, 512),
      securityContext: SIDECAR_SECURITY,
    });
    proxy.mount('/etc/envoy', kplus.Volume.fromConfigMap(chart, `mesh${i}-config`, configMap(chart, `mesh${i}`, meshFiles), { name: 'mesh-proxy-config' }), { readOnly: true });

    const shipper = web.addInitContainer({
      name: 'log-shipper',
      image: 'fluent/fluent-bit:4.0.7-debug',
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
      command: ['/bin/sh', '-c', DRAIN_WRAPPER, 'log-shipper', '/fluent-bit/bin/fluent-bit', '-c', '/etc/log-shipper/fluent-bit.conf'],
      ports: [{ number: 2020, name: 'http-metrics' }],
      liveness: kplus.Probe.fromHttpGet('/api/v1/health', { port: 2020 }),
      envVariables: {
        POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
        NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME),
        POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
      },
      resources: resources(10, 200, 32, 128),
      securityContext: SIDECAR_SECURITY,
    });
    shipper.mount('/var/log/nginx', logs, { readOnly: true });
    shipper.mount('/var/lib/log-shipper', kplus.Volume.fromEmptyDir(chart, `logs${i}-state`, 'log-shipper-state', { sizeLimit: Size.mebibytes(64) }), { readOnly: false });
    shipper.mount('/etc/log-shipper', kplus.Volume.fromConfigMap(chart, `logs${i}-config`, configMap(chart, `logs${i}`, shipperFiles), { name: 'log-shipper-config' }), { readOnly: true });

    const netshoot = web.addInitContainer({
      name: 'netshoot',
      image: 'nicolaka/netshoot:v0.15',
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
      command: ['bash', '/etc/netshoot/checks.sh'],
      resources: resources(10, 100, 32, 128),
      securityContext: SIDECAR_SECURITY,
    });
    netshoot.mount('/etc/netshoot', kplus.Volume.fromConfigMap(chart, `debug${i}-config`, configMap(chart, `debug${i}`, checkFiles), { name: 'netshoot-config' }), { readOnly: true });

  }
  return app;
}


/** An ApiObject at `<path>/Resource`, the path a cdk8s-plus construct gives its own. */
function resourceAt(chart: Chart, path: string, manifest: any): ApiObject {
  let scope: Construct = chart;
  for (const id of path.split('/')) {
    scope = new Construct(scope, id);
  }
  return new ApiObject(scope, 'Resource', manifest);
}

const RAW_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsGroup: 65532,
  runAsNonRoot: true,
  runAsUser: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
};

function rawResources(cpuRequest: number, cpuLimit: number, memoryRequest: number, memoryLimit: number) {
  return { limits: { cpu: `${cpuLimit}m`, memory: `${memoryLimit}Mi` }, requests: { cpu: `${cpuRequest}m`, memory: `${memoryRequest}Mi` } };
}

function httpProbe(path: string, port: number, extra: any = {}) {
  return { failureThreshold: 3, httpGet: { path, port, scheme: 'HTTP' }, ...extra };
}

function fieldRef(name: string, fieldPath: string) {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

function rawConfigMap(chart: Chart, id: string, files: { [name: string]: string }): string {
  const resource = resourceAt(chart, `${id}/Sidecar/Config`, { apiVersion: 'v1', kind: 'ConfigMap', data: files, immutable: false });
  return resource.name;
}

export function raw(workloads: number): App {
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < workloads; i++) {
    const v: WorkloadValues = valuesOf(i);
    const meshFiles = envoyFiles(v);
    const shipperFiles = fluentBitFiles(v);
    const checkFiles = netshootFiles(v);
    const scope = new Construct(chart, `web${i}`);
    const selector = { 'cdk8s.io/metadata.addr': Names.toLabelValue(scope) };
    new ApiObject(scope, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: {
        minReadySeconds: 0,
        progressDeadlineSeconds: 600,
        replicas: 2,
        selector: { matchLabels: selector },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: {
          metadata: {
            annotations: {
              'checksum.cdk8s-sidecars/log-shipper': checksum(shipperFiles),
              'checksum.cdk8s-sidecars/mesh-proxy': checksum(meshFiles),
              'checksum.cdk8s-sidecars/netshoot': checksum(checkFiles),
              'prometheus.io/path': '/stats/prometheus',
              'prometheus.io/port': '15021',
              'prometheus.io/scrape': 'true',
            },
            labels: selector,
          },
          spec: {
            automountServiceAccountToken: false,
            containers: [{
              image: APP_IMAGE,
              imagePullPolicy: 'Always',
              name: 'app',
              ports: [{ containerPort: 8080 }],
              resources: { limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '512Mi' } },
              securityContext: { ...RAW_SECURITY, runAsGroup: 101, runAsUser: 101, seccompProfile: undefined },
              startupProbe: { failureThreshold: 3, tcpSocket: { port: 8080 } },
              volumeMounts: [{ mountPath: '/var/log/nginx', name: 'log-shipper-logs', readOnly: false }],
            }],
            dnsPolicy: 'ClusterFirst',
            hostNetwork: false,
            initContainers: [
              {
                command: ['envoy', '-c', '/etc/envoy/envoy.yaml', '--concurrency', '1', '--drain-time-s', '1', '--drain-strategy', 'immediate', '--disable-hot-restart', '--log-level', 'info'],
                image: 'envoyproxy/envoy:v1.37.6',
                imagePullPolicy: 'IfNotPresent',
                livenessProbe: httpProbe('/healthz/live', 15021, { periodSeconds: 10, timeoutSeconds: 1 }),
                name: 'mesh-proxy',
                ports: [{ containerPort: 15006, name: 'http-proxy' }, { containerPort: 15021, name: 'proxy-metrics' }],
                readinessProbe: httpProbe('/ready', 15021, { periodSeconds: 5, timeoutSeconds: 1 }),
                resources: rawResources(100, 1000, 128, 512),
                restartPolicy: 'Always',
                securityContext: RAW_SECURITY,
                startupProbe: httpProbe('/ready', 15021, { failureThreshold: 600, periodSeconds: 1, timeoutSeconds: 1 }),
                volumeMounts: [{ mountPath: '/etc/envoy', name: 'mesh-proxy-config', readOnly: true }],
              },
              {
                command: ['/bin/sh', '-c', DRAIN_WRAPPER, 'log-shipper', '/fluent-bit/bin/fluent-bit', '-c', '/etc/log-shipper/fluent-bit.conf'],
                env: [
                  fieldRef('POD_NAME', 'metadata.name'),
                  fieldRef('POD_NAMESPACE', 'metadata.namespace'),
                  fieldRef('NODE_NAME', 'spec.nodeName'),
                  fieldRef('POD_IP', 'status.podIP'),
                ],
                image: 'fluent/fluent-bit:4.0.7-debug',
                imagePullPolicy: 'IfNotPresent',
                livenessProbe: httpProbe('/api/v1/health', 2020),
                name: 'log-shipper',
                ports: [{ containerPort: 2020, name: 'http-metrics' }],
                resources: rawResources(10, 200, 32, 128),
                restartPolicy: 'Always',
                securityContext: RAW_SECURITY,
                volumeMounts: [
                  { mountPath: '/var/log/nginx', name: 'log-shipper-logs', readOnly: true },
                  { mountPath: '/var/lib/log-shipper', name: 'log-shipper-state', readOnly: false },
                  { mountPath: '/etc/log-shipper', name: 'log-shipper-config', readOnly: true },
                ],
              },
              {
                command: ['bash', '/etc/netshoot/checks.sh'],
                image: 'nicolaka/netshoot:v0.15',
                imagePullPolicy: 'IfNotPresent',
                name: 'netshoot',
                resources: rawResources(10, 100, 32, 128),
                restartPolicy: 'Always',
                securityContext: RAW_SECURITY,
                volumeMounts: [{ mountPath: '/etc/netshoot', name: 'netshoot-config', readOnly: true }],
              },
            ],
            restartPolicy: 'Always',
            securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            setHostnameAsFQDN: false,
            terminationGracePeriodSeconds: 30,
            volumes: [
              { emptyDir: { sizeLimit: '256Mi' }, name: 'log-shipper-logs' },
              { configMap: { name: rawConfigMap(chart, `mesh${i}`, meshFiles) }, name: 'mesh-proxy-config' },
              { emptyDir: { sizeLimit: '64Mi' }, name: 'log-shipper-state' },
              { configMap: { name: rawConfigMap(chart, `logs${i}`, shipperFiles) }, name: 'log-shipper-config' },
              { configMap: { name: rawConfigMap(chart, `debug${i}`, checkFiles) }, name: 'netshoot-config' },
            ],
          },
        },
      },
    });
  }
  return app;
}
