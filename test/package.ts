import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository's root. */
export const ROOT = path.join(__dirname, '..');

/**
 * Builds the package as it is published into a temporary folder: package.json (the
 * repository's, without scripts and dev dependencies), lib/ compiled from src/, bin/,
 * README and LICENSE, and node_modules linked to the repository's (for the bundled
 * yaml and the peers). Returns its folder; the caller removes `path.dirname` of it.
 */
export function buildPackage(): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'package-'));
  const pkg = path.join(tmp, 'cdk8s-sidecars');
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path.join(ROOT, 'tsconfig.json'), '--outDir', path.join(pkg, 'lib'),
    '--inlineSourceMap', 'false', '--inlineSources', 'false']);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  delete manifest.scripts;
  delete manifest.devDependencies;
  delete manifest.jest;
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
  for (const file of ['README.md', 'LICENSE']) {
    fs.copyFileSync(path.join(ROOT, file), path.join(pkg, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
  return pkg;
}

/** A cdk8s.yaml that runs `app` and this package's plan as a validation plugin. */
export function cdk8sConfig(app: string, pluginPackage: string, properties: object): string {
  return [
    'language: typescript',
    `app: ${app}`,
    'validations:',
    `  - package: ${pluginPackage}`,
    '    version: 0.0.0',
    '    class: PlanValidation',
    `    properties: ${JSON.stringify(properties)}`,
    '',
  ].join('\n');
}
