import { commandWords, containerPath } from './containers';
import { Rule, RuleProblem } from './rule';
import { SIDECAR_WRAPPER_MARK } from '../core/completion';
import { NO_VALUE } from '../core/errors';
import { isJobKind } from '../core/pod-template';

const FIX = 'Make it a native sidecar (an init container with restartPolicy: Always, Kubernetes 1.29+; SidecarMode.NATIVE), '
  + 'or build the Job with SidecarJob / SidecarCronJob, which stop classic sidecars when the main containers are done.';

/**
 * Whether a command line (command and args joined by spaces) runs until killed:
 * `tail -f`/`-F`/`--follow`, `sleep infinity` or a `while true`/`while :` loop.
 *
 * @internal
 */
export function neverExits(commandLine: string): boolean {
  return /\btail\b[^;&|]*\s(-[a-zA-Z]*[fF]|--follow)\b/.test(commandLine)
    || /\bsleep\s+inf(inity)?\b/.test(commandLine)
    || /\bwhile\s+(true|:)\s*;/.test(commandLine);
}

/**
 * Whether a container's command is SidecarJob's wrapper of a classic sidecar, which
 * stops it when the main containers are done.
 *
 * @internal
 */
export function wrappedBySidecarJob(words: unknown[]): boolean {
  return typeof words[2] === 'string' && words[2].startsWith(SIDECAR_WRAPPER_MARK);
}

/** A Job's Pod can complete: no regular container runs forever beside the main one. */
export const jobNeverCompletes: Rule = {
  id: 'job-never-completes',
  level: 'error',
  checks: 'In a Job or CronJob with several regular containers, none is a classic sidecar of this library outside SidecarJob\'s wrapper, and none runs a command that never exits (tail -f, sleep infinity, while true).',
  fix: FIX,
  check(pod) {
    if (!isJobKind(pod.kind) || pod.containers.length < 2) {
      return [];
    }
    const problems: RuleProblem[] = [];
    for (const c of pod.containers) {
      const words = commandWords(c);
      // a classic sidecar wrapped by SidecarJob stops when the main containers are done
      if (wrappedBySidecarJob(words)) {
        continue;
      }
      const where = containerPath('containers', c.name);
      const commandLine = words.join(' ');
      if (pod.record.sidecars.has(c.name)) {
        problems.push({
          field: where,
          value: NO_VALUE,
          fix: FIX,
          problem: 'is a classic sidecar beside the main container, so this Job will never complete (its Pod keeps running after the main container ends)',
        });
      } else if (neverExits(commandLine)) {
        const shown = commandLine.length > 80 ? `${commandLine.slice(0, 77)}...` : commandLine;
        problems.push({
          field: `${where}.command`,
          value: shown,
          fix: FIX,
          problem: 'does not exit by itself, and runs beside the main container, so this Job will never complete (its Pod keeps running after the main container ends)',
        });
      }
    }
    return problems;
  },
};
