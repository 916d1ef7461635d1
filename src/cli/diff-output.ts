import { cell, resourceList, startLine, stopLine, violationText, workloadName } from './plan-output';
import { ResourceChange, WorkloadDiff, containersOf } from '../plan/plan-diff';
import { PlanStep, PodPlan } from '../plan/pod-plan';

/** What the end of a diff counts. @internal */
export interface DiffTotals {
  readonly changed: number;
  readonly added: number;
  readonly removed: number;
  readonly unchanged: number;
}

/** The diffs in one format: text, markdown or json. @internal */
export function diffOutput(format: string, diffs: WorkloadDiff[], totals: DiffTotals): string {
  return format === 'json' ? json(diffs, totals) : format === 'markdown' ? markdown(diffs, totals) : text(diffs, totals);
}

function title(d: WorkloadDiff): string {
  return `${d.kind} ${workloadName(d)}`;
}

function totalsLine(totals: DiffTotals): string {
  return `${totals.changed} workload${totals.changed === 1 ? '' : 's'} changed, ${totals.added} added, ${totals.removed} removed, ${totals.unchanged} unchanged`;
}

function verdict(diffs: WorkloadDiff[]): string {
  const worse = diffs.filter(d => d.worse.length > 0);
  return worse.length === 0
    ? 'nothing got worse: no new error, no lower Pod Security level'
    : `worse: ${worse.map(d => `${title(d)}: ${d.worse.join(', ')}`).join('; ')}`;
}

/** `cpu 250m → 350m (+100m)`, with `none` for an amount one side has not. */
function resourceText(c: ResourceChange): string {
  return `${c.resource} ${c.before ?? 'none'} → ${c.after ?? 'none'} (${c.delta})`;
}

function containerText(c: { name: string; role: string }): string {
  return `${c.name} (${c.role})`;
}

function text(diffs: WorkloadDiff[], totals: DiffTotals): string {
  const out: string[] = [];
  for (const d of diffs) {
    out.push(`${title(d)}: ${d.change}`);
    if (d.change === 'removed') {
      out.push('');
      continue;
    }
    const line = (label: string, value: string) => out.push(`  ${`${label}:`.padEnd(14)}${value}`);
    const changes = [...d.containersAdded.map(c => `+ ${containerText(c)}`), ...d.containersRemoved.map(c => `- ${containerText(c)}`)];
    if (changes.length > 0) {
      line('containers', changes.join(', '));
    }
    if (d.change === 'added') {
      line('start', startLine(d.after!.startOrder));
      line('stop', stopLine(d.after!.stopOrder));
    }
    if (d.startOrder) {
      line('start before', startLine(d.startOrder.before));
      line('start after', startLine(d.startOrder.after));
    }
    if (d.stopOrder) {
      line('stop before', stopLine(d.stopOrder.before));
      line('stop after', stopLine(d.stopOrder.after));
    }
    for (const kind of ['requests', 'limits']) {
      const list = d.resources.filter(c => c.kind === kind);
      if (list.length > 0) {
        line(kind, list.map(resourceText).join(', '));
      }
    }
    if (d.change === 'added') {
      line('QoS', d.after!.qos);
      line('Pod Security', d.after!.podSecurity.level);
    }
    if (d.qos) {
      line('QoS', `${d.qos.before} → ${d.qos.after}`);
    }
    if (d.podSecurity) {
      line('Pod Security', `${d.podSecurity.before} → ${d.podSecurity.after}`);
    }
    d.violationsNew.forEach(v => line('new control', `${violationText(v)} fails (${v.profile})`));
    d.violationsGone.forEach(v => line('gone control', `${violationText(v)} passes now (${v.profile})`));
    if (d.completes) {
      line('completes', `${d.completes.before} → ${d.completes.after}`);
    }
    for (const [age, list] of [['new', d.findingsNew], ['gone', d.findingsGone]] as const) {
      for (const level of ['error', 'warning']) {
        list.filter(f => f.level === level).forEach(f => line(`${age} ${level}`, `[${f.rule}] ${f.message}`));
      }
    }
    if (d.worse.length > 0) {
      line('worse', d.worse.join(', '));
    }
    out.push('');
  }
  out.push(`${totalsLine(totals)}; ${verdict(diffs)}.`);
  return out.join('\n') + '\n';
}

/** The containers of one side, those the other side has not marked. */
function containerCell(plan: PodPlan | undefined, marked: Set<string>, mark: (name: string) => string): string {
  if (!plan) {
    return '—';
  }
  const list = containersOf(plan).map(({ name, role }) => `${marked.has(name) ? mark(name) : name} (${role})`);
  return list.length === 0 ? 'none' : list.join(', ');
}

/** One side's requests or limits, each changed amount with its delta on the after side. */
function resourceCell(plan: PodPlan | undefined, kind: 'requests' | 'limits', changes: ResourceChange[], withDelta: boolean): string {
  if (!plan) {
    return '—';
  }
  const amounts = plan.effective[kind];
  if (!withDelta) {
    return resourceList(amounts);
  }
  const deltas = new Map(changes.filter(c => c.kind === kind).map(c => [c.resource, c.delta]));
  const names = Object.keys(amounts);
  if (names.length === 0) {
    return 'none';
  }
  return names.map(name => `${name} ${amounts[name]}${deltas.has(name) ? ` (${deltas.get(name)})` : ''}`).join(', ');
}

/**
 * The start and stop of the Pod after the change as a Mermaid flowchart (GitHub draws
 * it in a comment), the containers the change adds highlighted.
 */
function mermaid(d: WorkloadDiff): string[] {
  const added = new Set(d.containersAdded.map(c => c.name));
  const highlighted: string[] = [];
  const chain = (id: string, label: string, steps: PlanStep[], withUntil: boolean): string[] => {
    const nodes = steps.map((step, i) => {
      const node = `${id === 'startOrder' ? 's' : 't'}${i}`;
      if (step.containers.some(name => added.has(name))) {
        highlighted.push(node);
      }
      return `${node}["${step.containers.join(' + ')}<br/>${step.role}${withUntil ? `, until ${step.until}` : ''}"]`;
    });
    return [`  subgraph ${id}[${label}]`, '    direction LR', `    ${nodes.join(' --> ')}`, '  end'];
  };
  const after = d.after!;
  const lines = ['```mermaid', 'flowchart LR',
    ...chain('startOrder', 'start', after.startOrder, true),
    ...after.stopOrder.length > 0 ? chain('stopOrder', 'stop', after.stopOrder, false) : []];
  if (highlighted.length > 0) {
    lines.push(`  class ${highlighted.join(',')} added`, '  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px');
  }
  lines.push('```');
  return lines;
}

function markdown(diffs: WorkloadDiff[], totals: DiffTotals): string {
  const out: string[] = ['## Pod plan diff', ''];
  const worse = diffs.filter(d => d.worse.length > 0);
  if (worse.length > 0) {
    out.push(':x: **This change makes things worse**:', '', ...worse.map(d => `- ${d.kind} \`${workloadName(d)}\`: ${d.worse.join(', ')}`), '');
  } else {
    out.push(':white_check_mark: Nothing got worse: no new error, no lower Pod Security level.', '');
  }
  for (const d of diffs) {
    out.push(`### ${d.kind} \`${workloadName(d)}\`: ${d.change}`, '');
    if (d.change === 'removed') {
      continue;
    }
    const { before, after } = d;
    const removed = new Set(d.containersRemoved.map(c => c.name));
    const added = new Set(d.containersAdded.map(c => c.name));
    out.push('| | before | after |', '|---|---|---|');
    const row = (label: string, a: string, b: string) => out.push(`| ${label} | ${cell(a)} | ${cell(b)} |`);
    row('containers', containerCell(before, removed, name => `~~${name}~~`), containerCell(after, added, name => `**${name}**`));
    if (d.startOrder || d.change === 'added') {
      row('start', before ? startLine(before.startOrder) : '—', startLine(after!.startOrder));
    }
    if (d.stopOrder || d.change === 'added') {
      row('stop', before ? stopLine(before.stopOrder) : '—', stopLine(after!.stopOrder));
    }
    for (const kind of ['requests', 'limits'] as const) {
      if (d.resources.some(c => c.kind === kind)) {
        row(kind, resourceCell(before, kind, d.resources, false), resourceCell(after, kind, d.resources, true));
      }
    }
    if (d.qos || d.change === 'added') {
      row('QoS', before?.qos ?? '—', after!.qos);
    }
    if (d.podSecurity || d.change === 'added') {
      row('Pod Security', before?.podSecurity.level ?? '—', after!.podSecurity.level);
    }
    if (d.completes || (d.change === 'added' && after!.completes !== undefined)) {
      row('completes', before?.completes ?? '—', after!.completes ?? '—');
    }
    out.push('');
    if (d.startOrder || d.stopOrder || d.change === 'added') {
      out.push(...mermaid(d), '');
    }
    const items = [
      ...d.findingsNew.filter(f => f.level === 'error').map(f => `- :x: new error \`${f.rule}\` ${f.message}`),
      ...d.findingsNew.filter(f => f.level === 'warning').map(f => `- :warning: new warning \`${f.rule}\` ${f.message}`),
      ...d.violationsNew.map(v => `- :unlock: fails ${v.profile} now: ${violationText(v)}`),
      ...d.findingsGone.map(f => `- :heavy_check_mark: gone ${f.level} \`${f.rule}\` ${f.message}`),
      ...d.violationsGone.map(v => `- :lock: passes ${v.profile} now: ${violationText(v)}`),
    ];
    if (items.length > 0) {
      out.push(...items, '');
    }
  }
  out.push(`${totalsLine(totals)}.`);
  return out.join('\n') + '\n';
}

function json(diffs: WorkloadDiff[], totals: DiffTotals): string {
  const workloads = diffs.map(d => ({
    kind: d.kind,
    namespace: d.namespace ?? null,
    name: d.name,
    change: d.change,
    containersAdded: d.containersAdded,
    containersRemoved: d.containersRemoved,
    ...d.startOrder ? { startOrder: d.startOrder } : {},
    ...d.stopOrder ? { stopOrder: d.stopOrder } : {},
    resources: d.resources,
    ...d.qos ? { qos: d.qos } : {},
    ...d.podSecurity ? { podSecurity: d.podSecurity } : {},
    violationsNew: d.violationsNew,
    violationsGone: d.violationsGone,
    ...d.completes ? { completes: d.completes } : {},
    findingsNew: d.findingsNew,
    findingsGone: d.findingsGone,
    worse: d.worse,
  }));
  return JSON.stringify({ workloads, ...totals, worse: diffs.some(d => d.worse.length > 0) }, null, 2) + '\n';
}
