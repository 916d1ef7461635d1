// The main job: every app under examples/ synthesized the way a user does it. The
// package is compiled (lib/, with jsii, as it is published), node_modules/cdk8s-sidecars
// is linked to it for the run so that `import ... from 'cdk8s-sidecars'` resolves as it does for a
// user, and the real cdk8s CLI runs `cdk8s synth` in each example's folder, which
// writes examples/<name>/dist/. Stops at the first app that fails.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { withPackageLink } from './package-link';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const cdk8s = path.join(root, 'node_modules', '.bin', 'cdk8s');

const started = Date.now();
execFileSync(path.join(root, 'node_modules', '.bin', 'projen'), ['compile'], { cwd: root, stdio: 'inherit' });
withPackageLink(root, () => {
  for (const name of fs.readdirSync(examplesDir).sort()) {
    const dir = path.join(examplesDir, name);
    if (!fs.existsSync(path.join(dir, 'cdk8s.yaml'))) {
      continue;
    }
    const outdir = path.join(dir, 'dist');
    fs.rmSync(outdir, { recursive: true, force: true });
    const start = Date.now();
    // no upgrade check: it asks the internet for cdk8s-cli's latest version
    execFileSync(cdk8s, ['synth', '--no-check-upgrade'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const files = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).sort();
    console.log(`${name}: ${files.map(f => path.join('examples', name, 'dist', f)).join(', ')} (${Date.now() - start} ms)`);
  }
});
console.log(`every example synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
