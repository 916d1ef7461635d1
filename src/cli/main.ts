import * as fs from 'fs';
import { runCommand } from './plan-command';

/**
 * The `cdk8s-sidecars` command: prints, exits with the command's code.
 *
 * @internal
 */
export function main(argv: string[]): void {
  const result = runCommand(argv, () => fs.readFileSync(0, 'utf-8'));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
