// A node agent: a DaemonSet whose agent writes its log files onto its node, under
// /var/log/node-agent (they outlive the Pod: a restarted or upgraded agent finds its
// earlier files), and a Fluent Bit shipper that reads them from the same hostPath and
// sends them to Loki, keeping its read positions on the node too, so that the Pod that
// replaces it goes on where it stopped. The Pods meet the restricted Pod Security
// Standard except for the hostPath volumes, the exception named in cdk8s.yaml
// (podSecurityExceptions).
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogOutput, LogShipperSidecar, PodSecurity } from 'cdk8s-sidecars';

export function build(app: App): App {
  const chart = new Chart(app, 'node-agent', { namespace: 'node-agent' });
  const agent = new kplus.DaemonSet(chart, 'agent', {
    metadata: { name: 'node-agent' },
    // the agent writes its files with umask 022 (0644): the shipper's user reads what others may read
    containers: [{
      name: 'agent',
      image: 'ghcr.io/example/node-agent:2.3.1',
      args: ['--log-dir=/var/log/node-agent', '--log-file-mode=0644'],
      securityContext: { user: 10001, group: 10001 },
      resources: {
        cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
      },
    }],
  });
  // both directories must exist on the node, owned by the user that writes there (the
  // agent 10001, the shipper 65532): the kubelet would make a missing one root's
  // (0755), where a non-root user cannot write, and fsGroup does not apply to hostPath;
  // the nodes' bootstrap creates them
  const nodeLogs = kplus.Volume.fromHostPath(chart, 'node-logs', 'node-logs', {
    path: '/var/log/node-agent',
    type: kplus.HostPathVolumeType.DIRECTORY,
  });
  agent.containers[0].mount('/var/log/node-agent', nodeLogs);
  agent.addVolume(kplus.Volume.fromHostPath(chart, 'shipper-state', 'shipper-state', {
    path: '/var/lib/node-agent-shipper',
    type: kplus.HostPathVolumeType.DIRECTORY,
  }));
  PodSecurity.restricted(agent);

  new LogShipperSidecar(chart, 'logs', {
    workload: agent,
    logDirectory: '/var/log/node-agent',
    existingLogVolume: 'node-logs',
    existingStateVolume: 'shipper-state',
    // the one exception to the restricted profile: the plan reports HostPath Volumes
    allowHostPathVolume: true,
    outputs: [LogOutput.loki({ host: 'loki-gateway.monitoring.svc.cluster.local', port: 80, labels: { job: 'node-agent' } })],
  });
  return app;
}

if (require.main === module) {
  build(new App()).synth();
}
