// Every public construct with generated props, valid and not: see synthOutcome in
// arbitraries.ts for what each case must satisfy. Each property also counts how many
// cases synthesized and how many were rejected, and requires both to happen, so that
// a generator that only ever produces rejected props fails instead of passing idly.
import { Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import fc from 'fast-check';
import {
  WorkloadKind, absolutePath, dnsLabel, host, mebibytes, mostly, name, nasty, opt, port, resources, runs, seconds, synthOutcome, workload,
  workloadKind,
} from './arbitraries';
import {
  CheckProtocol, ConfigSyncAuth, ConfigSyncSidecar, DownwardApiEnv, PodMonitor,
  KubernetesVersion, LogOutput, LogParser, LogShipperEngine, LogShipperSidecar, MeshProxySidecar, NetshootDebugSidecar,
  ProxyProtocol, SharedVolume, Sidecar, SidecarCronJob, SidecarJob, SidecarMode, FluentBitConfigFormat,
} from '../../src';

jest.setTimeout(300_000);

const RUNS = 1500;

/** Runs the property and returns how many cases synthesized and how many were rejected. */
function checkConstruct<T>(arbitrary: fc.Arbitrary<T>, build: (chart: Chart, input: T) => void, numRuns = RUNS): void {
  const counts = { synthesized: 0, rejected: 0 };
  fc.assert(fc.property(arbitrary, input => {
    const outcome = synthOutcome(chart => build(chart, input));
    counts[outcome.synthesized ? 'synthesized' : 'rejected']++;
    if (!outcome.synthesized && process.env.SHOW_REJECTIONS) {
      // eslint-disable-next-line no-console
      console.log(outcome.message.slice(0, 140));
    }
  }), runs(numRuns));
  // eslint-disable-next-line no-console
  console.log(`${expect.getState().currentTestName}: ${counts.synthesized} synthesized, ${counts.rejected} rejected`);
  const total = counts.synthesized + counts.rejected;
  expect(counts.synthesized).toBeGreaterThan(total / 20);
  expect(counts.rejected).toBeGreaterThan(total / 20);
}

/** Sizes in MiB, mostly whole and between the bounds, sometimes one of `odd`. */
function sizeOf(min: number, max: number, odd: number[]): fc.Arbitrary<Size> {
  return fc.oneof({ weight: 10, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...odd) }).map(n => Size.mebibytes(n));
}

const mode = opt(fc.constantFrom(SidecarMode.NATIVE, SidecarMode.CLASSIC));
const version = opt(fc.constantFrom(KubernetesVersion.V1_28, KubernetesVersion.V1_29, KubernetesVersion.V1_30, KubernetesVersion.V1_33));
const downward = opt(fc.uniqueArray(fc.constantFrom(...Object.values(DownwardApiEnv)), { maxLength: 3 }));
const image = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom('busybox:1.37.0', 'ghcr.io/example/tool:2.1.0', 'registry.example.com:5000/team/tool@sha256:' + 'a'.repeat(64)) },
  { weight: 1, arbitrary: fc.constantFrom('busybox', 'busybox:latest', 'Busybox:1.0', 'bad host:5000/x:1', 'x:1 ; rm', '') },
  { weight: 1, arbitrary: nasty },
);
const argv = fc.array(fc.oneof(fc.constantFrom('sh', '-c', 'exec my-agent --config /etc/agent.yaml', 'trap "exit 0" TERM; while :; do sleep 1 & wait; done', 'sleep', 'infinity', 'tail', '-F', '/logs/app.log'), nasty), { minLength: 1, maxLength: 4 });

describe('every public construct either synthesizes a valid Pod or stops with a named error', () => {
  test('Sidecar', () => {
    checkConstruct(fc.record({
      kind: workloadKind,
      containerName: opt(name),
      image,
      command: opt(argv),
      args: opt(fc.array(nasty, { maxLength: 3 })),
      ports: opt(fc.array(fc.record({ number: port, name: opt(name) }), { maxLength: 2 })),
      mode,
      version,
      downward,
      podMetadataPath: opt(absolutePath),
      resources: opt(resources),
      drainTime: opt(seconds),
      stopTime: opt(seconds),
      shell: opt(fc.boolean()),
      workingDir: opt(absolutePath),
      metrics: opt(fc.record({
        port: fc.oneof({ weight: 5, arbitrary: fc.constant(9187) }, { weight: 1, arbitrary: port }),
        path: opt(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('/metrics', '/probe/metrics') }, { weight: 1, arbitrary: nasty })),
        portName: opt(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('sidecar-metrics', 'pg-metrics') }, { weight: 1, arbitrary: fc.constantFrom('metrics', 'http') })),
        announce: opt(fc.boolean()),
      }, { requiredKeys: ['port'] })),
      monitor: fc.boolean(),
    }), (chart, p) => {
      const sidecar = new Sidecar(chart, 'sidecar', {
        workload: workload(chart, p.kind),
        containerName: p.containerName,
        image: p.image,
        // a generated command is run through exitOnSigterm where it is a list the user would wrap
        command: p.command && p.command[0] !== 'sh' ? Sidecar.exitOnSigterm(p.command) : p.command,
        args: p.args,
        ports: p.ports as kplus.ContainerPort[] | undefined,
        mode: p.mode,
        kubernetesVersion: p.version,
        downwardApiEnv: p.downward,
        podMetadataPath: p.podMetadataPath,
        resources: p.resources,
        drainTime: p.drainTime,
        stopTime: p.stopTime,
        shell: p.shell,
        workingDir: p.workingDir,
        metrics: p.metrics,
      });
      if (p.monitor && p.metrics) {
        new PodMonitor(chart, 'monitor', { workload: sidecar.workload });
      }
    }, 3000);
  });

  test('SharedVolume', () => {
    checkConstruct(fc.record({
      kind: workloadKind,
      name: opt(name),
      sizeLimit: opt(mebibytes),
      memory: fc.boolean(),
      mounts: fc.array(fc.record({
        path: absolutePath,
        readOnly: opt(fc.boolean()),
        subPath: opt(mostly(dnsLabel)),
      }), { maxLength: 3 }),
    }), (chart, p) => {
      const w = workload(chart, p.kind);
      const volume = new SharedVolume(chart, 'shared', { workload: w, name: p.name, sizeLimit: p.sizeLimit, medium: p.memory ? kplus.EmptyDirMedium.MEMORY : undefined });
      const sidecar = new Sidecar(chart, 'sidecar', { workload: w, image: 'busybox:1.37.0', command: Sidecar.exitOnSigterm(['sleep', 'infinity']) });
      p.mounts.forEach((m, i) => {
        volume.mount(i % 2 === 0 ? w.containers[0] : sidecar.container, m.path, { readOnly: m.readOnly, subPath: m.subPath });
      });
    });
  });

  const output = fc.oneof(
    fc.constant(LogOutput.stdout()),
    fc.record({ host, port: opt(port), index: mostly(dnsLabel) }).map(o => LogOutput.elasticsearch(o)),
    fc.record({
      host,
      labels: opt(fc.dictionary(mostly(dnsLabel), mostly(dnsLabel), { maxKeys: 2 })),
      tenantId: opt(mostly(dnsLabel)),
    }).map(o => LogOutput.loki(o)),
    fc.record({ host, port: opt(port) }).map(o => LogOutput.openTelemetry(o)),
    fc.record({ host, path: opt(mostly(fc.constant('/ingest'))) }).map(o => LogOutput.http(o)),
    fc.record({
      host,
      index: dnsLabel,
      secretName: mostly(dnsLabel),
      usernameKey: opt(mostly(dnsLabel)),
      verify: opt(fc.boolean()),
      caSecretName: opt(mostly(dnsLabel)),
    }).map(o => LogOutput.elasticsearch({
      host: o.host,
      index: o.index,
      credentials: { secretName: o.secretName, usernameKey: o.usernameKey },
      tls: { verify: o.verify, caSecretName: o.caSecretName },
    })),
  );
  const parser = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(LogParser.none(), LogParser.json(), LogParser.nginx(), LogParser.apache()) },
    { weight: 2, arbitrary: fc.constantFrom('^(?<time>[^ ]+) (?<message>.*)$', '^(?<level>\\w+): (?<msg>.*)$').map(p => LogParser.regex(p)) },
    { weight: 1, arbitrary: fc.constantFrom('^\\d{4}-', '^\\[').map(p => LogParser.multiline(p)) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('(unclosed', '', '^(?<x>a'), nasty).map(p => LogParser.regex(p)) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('(unclosed', ''), nasty).map(p => LogParser.multiline(p)) },
  );

  test('LogShipperSidecar, every engine, outputs and parser', () => {
    checkConstruct(fc.record({
      kind: workloadKind,
      engine: opt(fc.oneof(
        { weight: 4, arbitrary: fc.constant(LogShipperEngine.FLUENT_BIT) },
        { weight: 3, arbitrary: fc.constant(LogShipperEngine.VECTOR) },
        { weight: 2, arbitrary: fc.constant(LogShipperEngine.FILEBEAT) },
        { weight: 1, arbitrary: fc.constant(LogShipperEngine.TAIL) },
      )),
      format: opt(fc.constantFrom(FluentBitConfigFormat.CLASSIC, FluentBitConfigFormat.YAML)),
      logDirectory: absolutePath,
      files: opt(fc.array(mostly(fc.constantFrom('app.log', '*.log', 'access.log', 'sub/dir/x.log')), { minLength: 1, maxLength: 3 })),
      outputs: opt(fc.array(output, { maxLength: 3 })),
      parser: opt(parser),
      podLabels: opt(fc.array(mostly(fc.constantFrom('app', 'app.kubernetes.io/name')), { maxLength: 2 })),
      memoryBuffer: opt(sizeOf(1, 24, [0.5, 1.5, 500])),
      filesystemBuffer: opt(sizeOf(64, 512, [0.5, 100.25])),
      stateVolumeSizeLimit: opt(sizeOf(600, 2048, [1.5])),
      monitoringPort: opt(port),
      metrics: opt(fc.record({
        port: opt(fc.oneof({ weight: 1, arbitrary: port }, { weight: 3, arbitrary: fc.constant(undefined) })),
        announce: opt(fc.boolean()),
      }, { requiredKeys: [] })),
      drainTime: opt(seconds),
      mode,
      version,
    }), (chart, p) => {
      new LogShipperSidecar(chart, 'logs', {
        workload: workload(chart, p.kind),
        engine: p.engine,
        fluentBitConfigFormat: p.format,
        logDirectory: p.logDirectory,
        files: p.files,
        outputs: p.outputs,
        parser: p.parser,
        podLabels: p.podLabels,
        memoryBuffer: p.memoryBuffer,
        filesystemBuffer: p.filesystemBuffer,
        stateVolumeSizeLimit: p.stateVolumeSizeLimit,
        monitoringPort: p.monitoringPort,
        metrics: p.metrics,
        drainTime: p.drainTime,
        mode: p.mode,
        kubernetesVersion: p.version,
      });
    }, 2500);
  });

  test('NetshootDebugSidecar', () => {
    const check = fc.record({
      host,
      port: opt(port),
      protocol: opt(fc.constantFrom(CheckProtocol.TCP, CheckProtocol.DNS, CheckProtocol.HTTP)),
      path: opt(mostly(fc.constantFrom('/healthz', '/a/b?c=d', "/it's"))),
      expectedStatus: opt(fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(0, 99, 600, 200.5))),
      name: opt(mostly(dnsLabel)),
    }, { requiredKeys: ['host'] });
    checkConstruct(fc.record({
      kind: workloadKind,
      enabled: opt(fc.boolean()),
      checks: opt(fc.array(check, { maxLength: 3 })),
      checkInterval: opt(seconds),
      checkTimeout: opt(seconds),
      packetCapture: opt(fc.boolean()),
      shareProcessNamespace: opt(fc.boolean()),
      image: opt(image),
      mode,
      version,
    }), (chart, p) => {
      new NetshootDebugSidecar(chart, 'debug', {
        workload: workload(chart, p.kind),
        enabled: p.enabled,
        checks: p.checks,
        checkInterval: p.checkInterval,
        checkTimeout: p.checkTimeout,
        packetCapture: p.packetCapture,
        shareProcessNamespace: p.shareProcessNamespace,
        image: p.image,
        mode: p.mode,
        kubernetesVersion: p.version,
      });
    });
  });

  test('MeshProxySidecar', () => {
    const upstream = fc.record({
      name: mostly(dnsLabel),
      host,
      port,
      localPort: port,
      protocol: opt(fc.constantFrom(...Object.values(ProxyProtocol))),
      tls: opt(fc.record({
        sni: opt(host),
        caSecretName: opt(mostly(dnsLabel)),
        caConfigMapName: opt(dnsLabel),
        clientCertificateSecretName: opt(dnsLabel),
      })),
      connectTimeout: opt(seconds),
    });
    checkConstruct(fc.record({
      kind: workloadKind,
      appPort: opt(fc.oneof(fc.constant(8080), port)),
      proxyPort: opt(port),
      protocol: opt(fc.constantFrom(...Object.values(ProxyProtocol))),
      requestTimeout: opt(seconds),
      retries: opt(fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0, max: 10 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5) })),
      inboundTls: opt(fc.record({
        secretName: mostly(dnsLabel),
        requireClientCertificate: opt(fc.boolean()),
      })),
      upstreams: opt(fc.array(upstream, { maxLength: 2 })),
      drainTime: opt(seconds),
      overrides: opt(fc.constantFrom(
        { admin: { address: { socket_address: { port_value: 15000 } } } },
        { layered_runtime: { layers: [] } },
      )),
      mode,
      version,
    }), (chart, p) => {
      new MeshProxySidecar(chart, 'mesh', {
        workload: workload(chart, p.kind),
        appPort: p.appPort,
        proxyPort: p.proxyPort,
        protocol: p.protocol,
        requestTimeout: p.requestTimeout,
        retries: p.retries,
        inboundTls: p.inboundTls,
        upstreams: p.upstreams,
        drainTime: p.drainTime,
        bootstrapOverrides: p.overrides,
        mode: p.mode,
        kubernetesVersion: p.version,
      });
    }, 3000);
  });

  test('ConfigSyncSidecar', () => {
    checkConstruct(fc.record({
      kind: fc.constantFrom<WorkloadKind | 'Job'>('Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Job'),
      source: fc.oneof(
        { weight: 4, arbitrary: fc.constant({ repository: 'https://git.example.com/team/site.git', auth: undefined }) },
        {
          weight: 2,
          arbitrary: fc.record({ username: mostly(fc.constantFrom('deploy-bot', 'x-access-token')), secretName: mostly(dnsLabel) })
            .map(o => ({ repository: 'https://git.example.com/team/site.git', auth: ConfigSyncAuth.token(o) })),
        },
        {
          weight: 3,
          arbitrary: fc.record({
            repository: fc.constantFrom('git@github.com:example/site.git', 'ssh://git@git.example.com:2222/site.git'),
            secretName: mostly(dnsLabel),
            privateKeyKey: opt(mostly(fc.constant('id_ed25519'))),
          }).map(({ repository, ...o }) => ({ repository, auth: ConfigSyncAuth.ssh(o) })),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            repository: mostly(fc.constantFrom('http://git.example.com/site.git', 'https://u:p@git.example.com/s.git', 'file:///srv/git', 'git@github.com:example/site.git')),
            auth: fc.constant(undefined),
          }),
        },
      ),
      ref: opt(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('main', 'v1.2.0', 'release/2026-12', '3f2a9c1e4b') }, { weight: 1, arbitrary: fc.constantFrom('a..b', 'x.lock', '-c') })),
      depth: opt(fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0, max: 50 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5) })),
      mountPath: absolutePath,
      link: opt(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('current', 'live') }, { weight: 1, arbitrary: fc.constantFrom('.git', 'a/b') })),
      subPath: opt(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('public', 'conf/app') }, { weight: 1, arbitrary: fc.constantFrom('../x', '/abs') })),
      period: opt(seconds),
      syncTimeout: opt(seconds),
      maxFailures: opt(fc.oneof({ weight: 10, arbitrary: fc.integer({ min: -1, max: 10 }) }, { weight: 1, arbitrary: fc.constantFrom(-2, 0.5) })),
      initialSync: opt(fc.boolean()),
      reload: fc.oneof(
        { weight: 4, arbitrary: fc.constant({}) },
        {
          weight: 4,
          arbitrary: fc.record({
            port: fc.oneof({ weight: 4, arbitrary: fc.constant(8080) }, { weight: 1, arbitrary: port }),
            path: opt(mostly(fc.constantFrom('/', '/-/reload'))),
            method: opt(mostly(fc.constantFrom('POST', 'PUT', 'GET'))),
            successStatus: opt(fc.oneof(
              { weight: 10, arbitrary: fc.constantFrom(0, 200, 204) },
              { weight: 1, arbitrary: fc.integer({ min: -1, max: 700 }) },
            )),
            timeout: opt(seconds),
          }).map(webhook => ({ webhook })),
        },
        {
          weight: 4,
          arbitrary: fc.record({
            processName: mostly(fc.constantFrom('nginx', 'haproxy', 'app')),
            user: fc.oneof({ weight: 10, arbitrary: fc.constant(1000) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 70000 }) }),
            signal: opt(mostly(fc.constantFrom('HUP', 'USR1', 'SIGHUP'))),
          }).map(reloadSignal => ({ reloadSignal })),
        },
        { weight: 1, arbitrary: fc.constant({ webhook: { port: 8080 }, reloadSignal: { processName: 'nginx', user: 1000 } }) },
      ),
      volumeSizeLimit: opt(sizeOf(64, 2048, [0.5, 100.25])),
      metrics: opt(fc.record({ port: opt(port), announce: opt(fc.boolean()) }, { requiredKeys: [] })),
      mode,
      version,
      monitor: fc.boolean(),
    }), (chart, p) => {
      const target = p.kind === 'Job'
        ? new SidecarJob(chart, 'workload', { containers: [{ name: 'app', image: 'ghcr.io/example/app:1.0.0', securityContext: { user: 1000, group: 1000 } }] })
        : workload(chart, p.kind);
      new ConfigSyncSidecar(chart, 'sync', {
        workload: target,
        repository: p.source.repository,
        auth: p.source.auth,
        ref: p.ref,
        depth: p.depth,
        mountPath: p.mountPath,
        link: p.link,
        subPath: p.subPath,
        period: p.period,
        syncTimeout: p.syncTimeout,
        maxFailures: p.maxFailures,
        initialSync: p.initialSync,
        ...p.reload,
        volumeSizeLimit: p.volumeSizeLimit,
        metrics: p.metrics,
        mode: p.mode,
        kubernetesVersion: p.version,
      });
      if (p.monitor && p.kind !== 'Job') {
        new PodMonitor(chart, 'monitor', { workload: target });
      }
    }, 2500);
  });

  const jobInput = fc.record({
    mode,
    version,
    command: opt(fc.array(mostly(fc.constantFrom('sh', '-c', 'echo done', 'migrate', '--all')), { minLength: 1, maxLength: 3 })),
    activeDeadline: opt(seconds),
    sidecar: fc.constantFrom('logs', 'mesh', 'debug', 'plain'),
    containerName: name,
  });
  function addSidecar(chart: Chart, job: kplus.AbstractPod, kind: string): void {
    switch (kind) {
      case 'logs': new LogShipperSidecar(chart, 'logs', { workload: job, logDirectory: '/var/log/job' }); break;
      case 'mesh': new MeshProxySidecar(chart, 'mesh', { workload: job, upstreams: [{ name: 'db', host: 'db.svc', port: 5432, localPort: 5432, protocol: ProxyProtocol.TCP }] }); break;
      case 'debug': new NetshootDebugSidecar(chart, 'debug', { workload: job, checks: [{ host: 'db.svc', port: 5432 }] }); break;
      default: new Sidecar(chart, 'plain', { workload: job, image: 'busybox:1.37.0', command: Sidecar.exitOnSigterm(['tail', '-F', '/dev/null']) });
    }
  }

  test('SidecarJob', () => {
    checkConstruct(jobInput, (chart, p) => {
      const job = new SidecarJob(chart, 'job', { mode: p.mode, kubernetesVersion: p.version, activeDeadline: p.activeDeadline });
      job.addContainer({ name: p.containerName, image: 'ghcr.io/example/migrate:3.0.1', command: p.command, securityContext: { user: 1000, group: 1000 } });
      addSidecar(chart, job, p.sidecar);
    });
  });

  test('SidecarCronJob', () => {
    checkConstruct(fc.tuple(jobInput, fc.constantFrom('*/5 * * * *', '0 3 * * *')), (chart, [p, schedule]) => {
      const job = new SidecarCronJob(chart, 'cron', { schedule: Cron.schedule(cronParts(schedule)), mode: p.mode, kubernetesVersion: p.version, activeDeadline: p.activeDeadline });
      job.addContainer({ name: p.containerName, image: 'ghcr.io/example/report:3.0.1', command: p.command, securityContext: { user: 1000, group: 1000 } });
      addSidecar(chart, job, p.sidecar);
    }, 1000);
  });
});

function cronParts(expression: string): { minute: string; hour: string; day: string; month: string; weekDay: string } {
  const [minute, hour, day, month, weekDay] = expression.split(' ');
  return { minute, hour, day, month, weekDay };
}
