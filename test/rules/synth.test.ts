// The rules at synth: they judge the rendered YAML of every workload, after every
// escape hatch, and suppressions are written into the manifest for review.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogOutput, LogShipperSidecar, PodPlan, RuleSuppressions, Sidecar } from '../../src';
import { SidecarValidationError } from '../../src/core/errors';
import { newChart, synth } from '../util';

const TAIL = { image: 'busybox:1.37.0', command: ['tail', '-F', '/x'] };

function web(chart: kplus.Deployment['chart']) {
  return new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: 'nginx:1.27.3', portNumber: 8080 }] });
}

function synthError(app: ReturnType<typeof newChart>['app']): SidecarValidationError {
  try {
    app.synthYaml();
  } catch (e) {
    expect(e).toBeInstanceOf(SidecarValidationError);
    return e as SidecarValidationError;
  }
  throw new Error('the app synthesized, but an error was expected');
}

describe('escape hatches: the YAML that ships is what is judged', () => {
  test('shareProcessNamespace set with addJsonPatch: tail is not PID 1, the app synthesizes', () => {
    const { app, chart } = newChart();
    const w = web(chart);
    ApiObject.of(w).addJsonPatch(JsonPatch.add('/spec/template/spec/shareProcessNamespace', true));
    new Sidecar(chart, 's', { workload: w, ...TAIL });
    expect(synth(app)[0].spec.template.spec.shareProcessNamespace).toBe(true);

    const other = newChart();
    new Sidecar(other.chart, 's', { workload: web(other.chart), ...TAIL });
    expect(synthError(other.app).code).toBe('sidecar-ignores-sigterm');
  });

  test('terminationGracePeriodSeconds replaced with addJsonPatch: the 60 s in the YAML holds a 40 s drain', () => {
    const logs = (chart: kplus.Deployment['chart'], w: kplus.Deployment) => new LogShipperSidecar(chart, 'logs', {
      workload: w, logDirectory: '/var/log/app', outputs: [LogOutput.stdout()], drainTime: Duration.seconds(40),
    });
    const { app, chart } = newChart();
    const w = web(chart);
    ApiObject.of(w).addJsonPatch(JsonPatch.replace('/spec/template/spec/terminationGracePeriodSeconds', 60));
    logs(chart, w);
    expect(synth(app)[0].spec.template.spec.terminationGracePeriodSeconds).toBe(60);

    const other = newChart();
    logs(other.chart, web(other.chart));
    const error = synthError(other.app);
    expect([error.code, error.path, error.field, error.value]).toEqual(['grace-period', 'test/web', 'terminationGracePeriodSeconds', '30']);
  });

  test('a port added with addJsonPatch is judged with the rest', () => {
    const { app, chart } = newChart();
    const w = web(chart);
    new Sidecar(chart, 's', { workload: w, image: 'busybox:1.37.0', ports: [{ number: 9000 }] });
    ApiObject.of(w).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/ports/-', { containerPort: 9000 }));
    expect(synthError(app).code).toBe('port-conflict');
  });
});

describe('suppressions', () => {
  test('a rule suppressed on the workload: the synth passes, the annotation carries the reason, the plan shows it', () => {
    const { app, chart } = newChart();
    const w = web(chart);
    new Sidecar(chart, 's', { workload: w, ...TAIL });
    RuleSuppressions.add(w, [{ id: 'sidecar-ignores-sigterm', reason: 'the image\'s tail handles SIGTERM' }]);
    const [manifest] = synth(app);
    expect(manifest.metadata.annotations['cdk8s-sidecars/suppressed-rules']).toBe('{"sidecar-ignores-sigterm":"the image\'s tail handles SIGTERM"}');
    const plan = PodPlan.fromManifest(manifest);
    expect(plan.errors).toEqual([]);
    expect(plan.suppressed).toEqual([expect.objectContaining({ rule: 'sidecar-ignores-sigterm', level: 'error', reason: 'the image\'s tail handles SIGTERM' })]);
  });

  test('per app and per chart: every workload beneath, the inner reason winning, sorted by id', () => {
    const { app, chart } = newChart();
    RuleSuppressions.add(app, [{ id: 'sidecar-ignores-sigterm', reason: 'app-wide' }, { id: 'sidecar-without-limits', reason: 'LimitRange' }]);
    RuleSuppressions.add(chart, [{ id: 'sidecar-ignores-sigterm', reason: 'chart-wide' }]);
    new Sidecar(chart, 's', { workload: web(chart), ...TAIL });
    expect(synth(app)[0].metadata.annotations['cdk8s-sidecars/suppressed-rules']).toBe('{"sidecar-ignores-sigterm":"chart-wide","sidecar-without-limits":"LimitRange"}');
  });

  test.each([
    [{ id: 'no-such-rule', reason: 'x' }, '[test/web] suppressions[0].id: "no-such-rule" is not a rule that can be suppressed. Name one of: pod-spec-shape, '],
    [{ id: 'invalid-suppression', reason: 'x' }, '[test/web] suppressions[0].id: "invalid-suppression" is not a rule that can be suppressed.'],
    [{ id: 'grace-period', reason: '  ' }, '[test/web] suppressions[0].reason: "  " gives no reason. Say why the rule does not apply here: the reason is what a reviewer reads.'],
  ])('%j is refused', (suppression, message) => {
    const { chart } = newChart();
    const w = web(chart);
    expect(() => RuleSuppressions.add(w, [suppression])).toThrow(message);
  });
});

test('the same app synthesizes the same YAML twice, suppressions included', () => {
  const { app, chart } = newChart();
  const w = web(chart);
  new Sidecar(chart, 's', { workload: w, ...TAIL });
  RuleSuppressions.add(w, [{ id: 'sidecar-ignores-sigterm', reason: 'r' }]);
  expect(app.synthYaml()).toBe(app.synthYaml());
});

describe('one rendering per workload and synth', () => {
  /** Counts how often each workload's manifest is rendered (below the rules' bookkeeping). */
  function countRenders(apiObject: ApiObject): { count: number } {
    const counter = { count: 0 };
    const render = apiObject.toJson.bind(apiObject);
    apiObject.toJson = () => {
      counter.count++;
      return render();
    };
    return counter;
  }

  function threeCharts(app: App) {
    return ['one', 'two', 'three'].map(id => {
      const chart = new Chart(app, id);
      const w = web(chart);
      new Sidecar(chart, 's', { workload: w, image: 'busybox:1.37.0', command: Sidecar.exitOnSigterm(['sleep', 'infinity']) });
      return { chart, w, renders: countRenders(ApiObject.of(w)) };
    });
  }

  test('synthYaml and synth of three charts (cdk8s validates four times) render each workload once, and write what was judged', () => {
    const app = new App();
    const workloads = threeCharts(app);
    const yaml = app.synthYaml();
    expect(workloads.map(x => x.renders.count)).toEqual([1, 1, 1]);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-once-'));
    try {
      const files = new App({ outdir });
      const again = threeCharts(files);
      files.synth();
      expect(again.map(x => x.renders.count)).toEqual([1, 1, 1]);
      expect(['one', 'two', 'three'].map(id => fs.readFileSync(path.join(outdir, `${id}.k8s.yaml`), 'utf-8')).join('---\n')).toBe(yaml);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('nothing is kept after a synth: a change made afterwards is in the next rendering and judged', () => {
    const app = new App();
    const [first] = threeCharts(app);
    app.synthYaml();
    const resource = ApiObject.of(first.w);
    expect(Object.prototype.hasOwnProperty.call(resource, 'toJson')).toBe(true); // the counter, put back
    resource.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/ports/-', { containerPort: 8080 }));
    expect(resource.toJson().spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080 }, { containerPort: 8080 }]);
    expect(synthError(app).code).toBe('port-conflict');
    // the failed synth kept nothing either: undone, the app synthesizes again
    resource.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/ports/1'));
    expect(app.synthYaml()).toContain('containerPort: 8080');
  });

  test('outside App.synth (Testing.synth of one chart) nothing is kept: the other charts render afresh later', () => {
    const app = Testing.app();
    const [first, second] = threeCharts(app);
    Testing.synth(first.chart);
    const before = second.renders.count;
    ApiObject.of(second.w).metadata.addLabel('changed', 'after');
    expect(ApiObject.of(second.w).toJson().metadata.labels).toEqual({ changed: 'after' });
    expect(second.renders.count).toBe(before + 1);
  });
});
