// The consumer's path: the package packed with `npm pack`, installed from that tarball
// with its peer dependencies from the npm registry into a fresh cdk8s app outside the
// repository, synthesized with `cdk8s synth`, and the output checked against the
// Kubernetes schema and by the package's own plan command.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { ROOT, buildPackage, cdk8sConfig } from './package';
import { validateManifest } from './util';

const APP = `import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LogShipperSidecar, PodSecurity } from 'cdk8s-sidecars';

const app = new App();
const chart = new Chart(app, 'web');
const web = new kplus.Deployment(chart, 'web', {
  containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, securityContext: { user: 101, group: 101 } }],
});
PodSecurity.restricted(web);
web.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
new LogShipperSidecar(chart, 'logs', { workload: web, logDirectory: '/var/log/nginx' });
app.synth();
`;

/**
 * The app a user makes with `cdk8s init typescript-app` today: cdk8s-plus-33, a chart
 * class, and a type-checked ts-node (a plus-33 workload must type-check as `workload`).
 */
const INIT_APP = `import { Construct } from 'constructs';
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { LogShipperSidecar, NetshootDebugSidecar, PodSecurity } from 'cdk8s-sidecars';

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { }) {
    super(scope, id, props);
    const web = new kplus.Deployment(this, 'web', {
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, securityContext: { user: 101, group: 101 } }],
    });
    PodSecurity.restricted(web);
    new LogShipperSidecar(this, 'logs', { workload: web, logDirectory: '/var/log/nginx' });
    new NetshootDebugSidecar(this, 'debug', { workload: web });
  }
}

const app = new App();
new MyChart(app, 'web');
app.synth();
`;

/**
 * Packs the package, installs it from the tarball with the peers and `packages` into a
 * fresh app outside the repository, runs `cdk8s synth` with the package's plugin at the
 * restricted level, and returns the manifests, each checked against the schema, after
 * the package's own plan command has found the Pod restricted.
 */
function consume(source: string, packages: string[], check: (contents: string) => void = () => {}): any[] {
  const pkg = buildPackage();
  const tmp = path.dirname(pkg);
  try {
    const tarball = execFileSync('npm', ['pack', pkg, '--pack-destination', tmp, '--silent'], { cwd: tmp, encoding: 'utf-8' }).trim().split('\n').pop()!;
    check(execFileSync('tar', ['-tzf', path.join(tmp, tarball)], { encoding: 'utf-8' }));

    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
    const versions = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).devDependencies;
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', path.join(tmp, tarball),
      `cdk8s@${versions.cdk8s}`, `cdk8s-plus-28@${versions['cdk8s-plus-28']}`, `constructs@${versions.constructs}`,
      `ts-node@${versions['ts-node']}`, `typescript@${versions.typescript}`, '@types/node@^20', ...packages], { cwd: app, stdio: 'pipe' });
    fs.writeFileSync(path.join(app, 'main.ts'), source);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { esModuleInterop: true, strict: true, module: 'commonjs', target: 'ES2022' } }));
    // the plugin from the installed package (a local path: no second install in cdk8s's plugin folder)
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), cdk8sConfig('npx ts-node main.ts', './node_modules/cdk8s-sidecars', { podSecurityLevel: 'restricted' }));
    const synth = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: app, encoding: 'utf-8', env: { ...process.env, HOME: app } });
    expect(synth.stdout + synth.stderr).toContain('Status  │ success');
    expect(synth.status).toBe(0);

    const manifests = yaml.parseAllDocuments(fs.readFileSync(path.join(app, 'dist', 'web.k8s.yaml'), 'utf-8')).map(d => d.toJS());
    manifests.forEach(validateManifest);

    const plan = spawnSync(path.join(app, 'node_modules', '.bin', 'cdk8s-sidecars'), ['plan', '--json', 'dist/web.k8s.yaml'], { cwd: app, encoding: 'utf-8' });
    expect(plan.status).toBe(0);
    expect(JSON.parse(plan.stdout).workloads[0].podSecurity).toEqual({ level: 'restricted', version: 'v1.37', violations: [] });
    fs.rmSync(app, { recursive: true, force: true });
    return manifests;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test('npm pack, npm install from the tarball with the peers, cdk8s synth: schema-valid manifests and a restricted Pod', () => {
  const manifests = consume(APP, [], contents => {
    expect(contents).toContain('package/lib/index.js');
    expect(contents).toContain('package/bin/cdk8s-sidecars');
    expect(contents).toContain('package/node_modules/yaml/package.json');
  });
  expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'Deployment']);
}, 300000);

test('an app as cdk8s init makes one today (cdk8s-plus-33, type-checked): the sidecars on its Deployment', () => {
  const versions = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).devDependencies;
  const manifests = consume(INIT_APP, [`cdk8s-plus-33@${versions['cdk8s-plus-33']}`]);
  const deployment = manifests.find(m => m.kind === 'Deployment');
  expect(deployment.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['log-shipper', 'netshoot']);
  expect(deployment.spec.template.spec.containers[0].volumeMounts).toEqual([{ mountPath: '/var/log/nginx', name: 'log-shipper-logs', readOnly: false }]);
}, 300000);
