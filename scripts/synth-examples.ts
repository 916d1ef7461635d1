// Synthesizes every app under examples/ the way `cdk8s synth` does: it runs the
// `app` command of the example's cdk8s.yaml in the example's folder, with
// CDK8S_OUTDIR pointing at dist/<example>/. Stops at the first app that fails.
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const distDir = path.join(root, 'dist');

for (const name of fs.readdirSync(examplesDir).sort()) {
  const configFile = path.join(examplesDir, name, 'cdk8s.yaml');
  if (!fs.existsSync(configFile)) {
    continue;
  }
  const config = yaml.parse(fs.readFileSync(configFile, 'utf-8'));
  const outdir = path.join(distDir, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  execSync(config.app, { cwd: path.dirname(configFile), stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: outdir } });
  const files = fs.readdirSync(outdir).sort();
  console.log(`${name}: ${files.map(f => path.join('dist', name, f)).join(', ')} (${Date.now() - started} ms)`);
}
