// PodSecurity.restricted completes what cdk8s-plus leaves out for the restricted
// profile, on every container of the workload, and keeps every field already set.
import { ApiObject, Cron, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodSecurity, Sidecar } from '../../src';
import { newChart, only, podSpec, synth } from '../util';

const BUSYBOX = 'busybox:1.37.0';

describe('PodSecurity.restricted', () => {
  test('an app-only Deployment: seccomp RuntimeDefault on the Pod, every capability dropped, added ones kept', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'app', image: 'nginx:1.27.3', securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } } }],
    });
    PodSecurity.restricted(web);
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.initContainers).toBeUndefined();
    expect(spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
  });

  test('fields already set stay as they are: the user\'s choice, which the plan names', () => {
    const { app, chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', {
      securityContext: { ensureNonRoot: false },
      containers: [{
        name: 'app',
        image: 'nginx:1.27.3',
        securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: [kplus.Capability.NET_RAW] } },
      }],
    });
    PodSecurity.restricted(web);
    const spec = podSpec(only(synth(app), 'Deployment'));
    expect(spec.securityContext.runAsNonRoot).toBe(false);
    expect(spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(true);
    expect(spec.containers[0].securityContext.capabilities).toEqual({ drop: ['NET_RAW'] });
  });

  test('fields removed through an escape hatch are filled in; the sidecar, written after the escape hatches, keeps its own', () => {
    const { app, chart } = newChart();
    const job = new kplus.CronJob(chart, 'nightly', {
      schedule: Cron.schedule({ minute: '0', hour: '3' }),
      containers: [{ name: 'main', image: BUSYBOX, command: ['true'] }],
    });
    new Sidecar(chart, 'helper', { workload: job, image: BUSYBOX, command: Sidecar.exitOnSigterm(['sleep', 'infinity']) });
    const pod = '/spec/jobTemplate/spec/template/spec';
    ApiObject.of(job).addJsonPatch(
      JsonPatch.remove(`${pod}/securityContext`),
      JsonPatch.remove(`${pod}/containers/0/securityContext/allowPrivilegeEscalation`),
    );
    PodSecurity.restricted(job);
    const spec = podSpec(only(synth(app), 'CronJob'));
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    // the sidecar is written after the escape hatches, with its own restricted context
    expect(spec.initContainers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('a bare Pod: its spec is at /spec', () => {
    const { app, chart } = newChart();
    const pod = new kplus.Pod(chart, 'debug', { containers: [{ name: 'app', image: BUSYBOX }] });
    PodSecurity.restricted(pod);
    const spec = only(synth(app), 'Pod').spec;
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });
});
