import * as fs from 'fs';
import * as path from 'path';

/**
 * Runs `run` with node_modules/cdk8s-sidecars linked to the package root, so that an
 * example's `import ... from 'cdk8s-sidecars'` resolves to the compiled package (lib/)
 * as it does for a user. A link this function made is removed afterwards: it is a loop
 * (node_modules/cdk8s-sidecars/node_modules/...), which jsii-docgen follows until ELOOP.
 */
export function withPackageLink<T>(root: string, run: () => T): T {
  const link = path.join(root, 'node_modules', 'cdk8s-sidecars');
  const made = !fs.existsSync(link);
  if (made) {
    fs.symlinkSync('..', link);
  }
  try {
    return run();
  } finally {
    if (made) {
      fs.unlinkSync(link);
    }
  }
}
