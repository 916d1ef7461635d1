import { PodPlan } from '../plan/pod-plan';

/** What the end of a plan's output counts. @internal */
export interface PlanTotals {
  readonly workloads: number;
  readonly skipped: number;
  readonly withErrors: number;
  readonly withWarnings: number;
}

/**
 * One output format of `plan`, written as the documents are read: the opening, each
 * workload as soon as it is planned, and the closing with the totals. Nothing but the
 * totals is kept.
 *
 * @internal
 */
export interface PlanOutput {
  begin(): string;
  workload(plan: PodPlan, where: string, index: number): string;
  end(totals: PlanTotals): string;
}

/** The output of a format name: text, markdown or json. @internal */
export function planOutput(format: string): PlanOutput {
  return format === 'json' ? JSON_OUTPUT : format === 'markdown' ? MARKDOWN_OUTPUT : TEXT_OUTPUT;
}

/** `cpu 250m, memory 160Mi`, or `none`. @internal */
export function resourceList(r: { [name: string]: string }): string {
  const entries = Object.entries(r);
  return entries.length === 0 ? 'none' : entries.map(([name, value]) => `${name} ${value}`).join(', ');
}

/** `netshoot (sidecar, until process started) → web (app, until running)`. @internal */
export function startLine(list: PodPlan['startOrder']): string {
  return list.map(s => `${s.containers.join(' + ')} (${s.role}, until ${s.until})`).join(' → ');
}

/** `web → netshoot`. @internal */
export function stopLine(list: PodPlan['stopOrder']): string {
  return list.map(s => s.containers.join(' + ')).join(' → ');
}

/** `shop/orders`, or `orders` without a namespace. @internal */
export function workloadName(p: { readonly namespace?: string; readonly name: string }): string {
  return `${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
}

/** The level, and the controls that keep it from the next level. @internal */
export function securityLine(p: PodPlan): string {
  const next = p.podSecurity.level === 'privileged' ? 'baseline' : 'restricted';
  const failing = p.podSecurity.violations.filter(v => p.podSecurity.level === 'privileged' ? v.profile === 'baseline' : true);
  if (failing.length === 0) {
    return p.podSecurity.level;
  }
  return `${p.podSecurity.level}, not ${next}: ${failing.map(violationText).join('; ')}`;
}

/** `container web: Capabilities (spec.containers[0].securityContext.capabilities.add)`. @internal */
export function violationText(v: PodPlan['podSecurity']['violations'][number]): string {
  return `${v.container ? `container ${v.container}: ` : ''}${v.control} (${v.field})`;
}

/** A table cell: pipes escaped. @internal */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function limitsLine(p: PodPlan, why: string): string {
  return `${resourceList(p.effective.limits)}${p.unboundedLimits.length > 0 ? ` (no real bound for ${p.unboundedLimits.join(', ')}${why})` : ''}`;
}

function summary(totals: PlanTotals): string {
  return `${totals.workloads} workload${totals.workloads === 1 ? '' : 's'} planned, ${totals.skipped} other object${totals.skipped === 1 ? '' : 's'} skipped`;
}

const TEXT_OUTPUT: PlanOutput = {
  begin: () => '',
  workload: (p, where) => {
    const out: string[] = [];
    out.push(`${p.kind} ${workloadName(p)} (${where})`);
    out.push(`  start:        ${startLine(p.startOrder)}`);
    out.push(`  stop:         ${stopLine(p.stopOrder)}`);
    out.push(`  requests:     ${resourceList(p.effective.requests)} (steady state: ${resourceList(p.steadyState.requests)})`);
    out.push(`  limits:       ${limitsLine(p, ': a container has no limit')}`);
    out.push(`  QoS:          ${p.qos}`);
    out.push(`  Pod Security: ${securityLine(p)}`);
    for (const v of p.volumes) {
      out.push(`  volume:       ${v.name} (${v.type}) read-write: ${v.readWrite.join(', ') || '-'}; read-only: ${v.readOnly.join(', ') || '-'}`);
    }
    if (p.ports.length > 0) {
      out.push(`  ports:        ${p.ports.map(port => `${port.container} ${port.port}/${port.protocol}`).join(', ')}`);
    }
    if (p.completes !== undefined) {
      out.push(`  completes:    ${p.completes}`);
    }
    for (const f of p.findings.filter(x => x.level === 'warning')) {
      out.push(`  warning:      [${f.rule}] ${f.message}`);
    }
    for (const f of p.findings.filter(x => x.level === 'error')) {
      out.push(`  error:        [${f.rule}] ${f.message}`);
    }
    for (const s of p.suppressed) {
      out.push(`  suppressed:   [${s.rule}] ${s.message} (${s.level}, suppressed because: ${s.reason})`);
    }
    return out.join('\n') + '\n\n';
  },
  end: totals => `${summary(totals)}; ${totals.withErrors} with errors, ${totals.withWarnings} with warnings.\n`,
};

const MARKDOWN_OUTPUT: PlanOutput = {
  begin: () => '## Pod plan\n\n',
  workload: p => {
    const out: string[] = [`### ${p.kind} \`${workloadName(p)}\``, '', '| | |', '|---|---|'];
    out.push(`| start | ${cell(startLine(p.startOrder))} |`);
    out.push(`| stop | ${cell(stopLine(p.stopOrder))} |`);
    out.push(`| requests | ${resourceList(p.effective.requests)} |`);
    out.push(`| limits | ${limitsLine(p, '')} |`);
    out.push(`| QoS | ${p.qos} |`, `| Pod Security | ${cell(securityLine(p))} |`);
    if (p.completes !== undefined) {
      out.push(`| completes | ${p.completes === 'yes' ? 'yes' : `**${p.completes}**`} |`);
    }
    out.push('');
    for (const f of p.findings.filter(x => x.level === 'error')) {
      out.push(`- :x: \`${f.rule}\` ${f.message}`);
    }
    for (const f of p.findings.filter(x => x.level === 'warning')) {
      out.push(`- :warning: \`${f.rule}\` ${f.message}`);
    }
    for (const s of p.suppressed) {
      out.push(`- :mute: \`${s.rule}\` (${s.level}, suppressed because: ${s.reason}) ${s.message}`);
    }
    if (p.findings.length + p.suppressed.length > 0) {
      out.push('');
    }
    return out.join('\n') + '\n';
  },
  end: totals => `${summary(totals)}.\n`,
};

/**
 * `{ "workloads": [...], "skipped": N }`, byte for byte what `JSON.stringify` with an
 * indent of 2 writes for the whole object, written a workload at a time.
 */
const JSON_OUTPUT: PlanOutput = {
  begin: () => '{\n  "workloads": [',
  workload: (p, _where, index) => `${index > 0 ? ',' : ''}\n${JSON.stringify(p.toJson(), null, 2).replace(/^/gm, '    ')}`,
  end: totals => `${totals.workloads > 0 ? '\n  ' : ''}],\n  "skipped": ${totals.skipped}\n}\n`,
};
