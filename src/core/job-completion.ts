import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CompletionSignal } from './completion';
import { describeProblem, nameInPath } from './errors';
import { isSidecarContainer } from './sidecar-containers';

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
 * The problems of one Job or CronJob: each regular container that never exits beside
 * the main one.
 *
 * @internal
 */
export function jobCompletionProblems(job: kplus.Job | kplus.CronJob): string[] {
  const containers = job.containers;
  if (containers.length < 2) {
    return [];
  }
  const signal = CompletionSignal.of(job);
  const problems: string[] = [];
  for (const container of containers) {
    if (signal?.isWrapped(container.name)) {
      continue;
    }
    const commandLine = [...container.command ?? [], ...container.args ?? []].join(' ');
    // a sidecar in `containers` is classic; unless wrapped (skipped above) it runs until killed
    const why = isSidecarContainer(container)
      ? 'is a classic sidecar'
      : neverExits(commandLine) ? `runs ${JSON.stringify(commandLine)}, which does not exit by itself` : undefined;
    if (why) {
      problems.push(describeProblem(`containers[${nameInPath(container.name)}]`, container.name,
        `${why} beside the main container, so this Job will never complete (its Pod keeps running after the main container ends)`,
        'Make it a native sidecar (SidecarMode.NATIVE, Kubernetes 1.29+), or build the Job with SidecarJob / SidecarCronJob, which stop classic sidecars when the main containers are done.'));
    }
  }
  return problems;
}

const checkedCharts = new WeakSet<Chart>();

/**
 * Adds the never-completes check for every Job and CronJob of the chart, once.
 *
 * @internal
 */
export function addJobCompletionCheck(chart: Chart): void {
  if (checkedCharts.has(chart)) {
    return;
  }
  checkedCharts.add(chart);
  chart.node.addValidation({
    validate: () => chart.node.findAll()
      .filter((c): c is kplus.Job | kplus.CronJob => c instanceof kplus.Job || c instanceof kplus.CronJob)
      .flatMap(job => jobCompletionProblems(job).map(problem => `[${job.node.path}] ${problem}`)),
  });
}
