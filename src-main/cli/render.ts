// Human-readable output: the checklist with found/expected/fix, the eight ICE values, a plan.
import { ICE_DESKTOP_FIELDS, ICE_VALUE_KEYS, STEP_IDS, type AuditResult, type IceValues, type Plan, type StepResult, type StepStatus } from '../core/types';
import type { SsoMetaComparison } from '../core/sso-meta';

const MARK: Record<StepStatus, string> = { pass: '✔', fail: '✖', warn: '!', info: 'i', unknown: '?' };
const COLOUR: Record<StepStatus, string> = { pass: '32', fail: '31', warn: '33', info: '36', unknown: '90' };

function paint(on: boolean, code: string, s: string): string {
  return on ? `\u001b[${code}m${s}\u001b[0m` : s;
}

function indentBlock(label: string, text: string, width: number): string {
  const pad = ' '.repeat(width);
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? `${label}${l}` : `${pad}${l}`))
    .join('\n');
}

/** How an app registration is named in headings: "Name" (client id ...). */
export function appLabel(app: { displayName?: string | null; appId?: string | null }): string {
  return `"${app.displayName ?? '(no name)'}"${app.appId ? ` (client id ${app.appId})` : ''}`;
}

export function renderStep(s: StepResult, colour: boolean): string {
  const head = `${paint(colour, COLOUR[s.status], `${MARK[s.status]} ${s.status.toUpperCase().padEnd(7)}`)} ${paint(colour, '1', s.title)}  ${paint(colour, '90', `[${s.id}]`)}`;
  const lines = [head];
  const w = 22;
  if (s.found) lines.push(indentBlock('            found:    ', s.found, w));
  if (s.status !== 'pass' && s.status !== 'info') {
    if (s.expected) lines.push(indentBlock('            expected: ', s.expected, w));
    if (s.fix) lines.push(indentBlock('            fix:      ', s.fix, w));
  }
  return lines.join('\n');
}

export function renderValues(values: IceValues, colour: boolean): string {
  const w = Math.max(...ICE_DESKTOP_FIELDS.map((f) => f.label.length)) + 2;
  const lines = ['ICE Server values (ICE Desktop > Settings > Organization > Authentication, "Azure Entra ID SSO"):'];
  for (const f of ICE_DESKTOP_FIELDS) {
    const v = values[f.key];
    lines.push(`  ${`${f.label}:`.padEnd(w)} ${v ?? paint(colour, '90', '(not known yet)')}`);
  }
  return lines.join('\n');
}

export function summarise(steps: readonly StepResult[]): string {
  const counts = new Map<StepStatus, number>();
  for (const s of steps) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const order: StepStatus[] = ['fail', 'warn', 'pass', 'info', 'unknown'];
  return order.filter((k) => counts.get(k)).map((k) => `${counts.get(k)} ${k}`).join(', ');
}

export function renderAudit(result: AuditResult, colour: boolean, heading?: string): string {
  const parts: string[] = [];
  if (heading) parts.push(paint(colour, '1', heading), '');
  for (const s of result.steps) parts.push(renderStep(s, colour));
  parts.push('', `Summary: ${summarise(result.steps)}.`);
  const failed = result.steps.some((s) => s.status === 'fail');
  parts.push(failed ? 'Some steps fail: fix them (see "fix"), or run `plan` to see the Graph writes that would.' : 'No step fails.');
  parts.push('', renderValues(result.values, colour), '');
  return parts.join('\n');
}

/** The --json shape of audit/verify: exactly {steps:[{id,status,title,found,expected,fix}], values:{...}}. */
export function auditJson(result: AuditResult): { steps: StepResult[]; values: IceValues } {
  const byId = new Map(result.steps.map((s) => [s.id, s]));
  const steps = STEP_IDS.filter((id) => byId.has(id)).map((id) => {
    const s = byId.get(id) as StepResult;
    return { id: s.id, status: s.status, title: s.title, found: s.found, expected: s.expected, fix: s.fix };
  });
  const values = Object.fromEntries(ICE_VALUE_KEYS.map((k) => [k, result.values[k] ?? null])) as IceValues;
  return { steps, values };
}

export function renderPlan(p: Plan, colour: boolean, note?: string): string {
  const lines: string[] = [];
  if (note) lines.push(note, '');
  if (p.writes.length === 0) {
    lines.push('Nothing to write: the registration already has everything the plan covers. Nothing sent.', '');
    return lines.join('\n');
  }
  lines.push(`${p.writes.length} Graph write${p.writes.length === 1 ? '' : 's'} (v1.0), in order; nothing was sent:`, '');
  p.writes.forEach((w, i) => {
    lines.push(`${i + 1}. ${paint(colour, '1', `${w.method} ${w.path}`)}  ${paint(colour, '90', `[${w.key}]`)}`);
    lines.push(`   ${w.summary}`);
    if (w.dependsOn.length) lines.push(`   after: ${w.dependsOn.join(', ')}`);
    lines.push(`   steps: ${w.steps.join(', ')}`);
    for (const [k, v] of Object.entries(w.headers ?? {})) lines.push(`   ${k}: ${v}`);
    if (w.body) lines.push(JSON.stringify(w.body, null, 2).replace(/^/gm, '   '));
    lines.push('');
  });
  lines.push('Placeholders {appId}, {appObjectId} and {servicePrincipalId} are filled in from earlier answers when the writes run.', '');
  return lines.join('\n');
}

/** server.sso-meta per host: one line each, then each differing key (server value vs expected, ICE Desktop field). */
export function renderSsoMetaHosts(cmp: SsoMetaComparison, colour = false): string {
  const lines = [`ICE Server /sso-meta: ${cmp.step.status === 'pass' ? 'every host matches' : cmp.step.status === 'fail' ? 'differences found' : 'not fully checked'}`];
  if (!cmp.hosts.length) lines.push(`  ${paint(colour, COLOUR.unknown, MARK.unknown)} ${cmp.step.found}`);
  for (const h of cmp.hosts) {
    lines.push(`  ${paint(colour, COLOUR[h.status], MARK[h.status])} ${h.url}${h.ms !== undefined ? ` (${h.ms} ms)` : ''}: ${h.status === 'fail' && h.differences.length ? `${h.differences.length} key${h.differences.length === 1 ? '' : 's'} differ` : h.summary}`);
    for (const d of h.differences) {
      lines.push(`      ${d.key}${d.label ? ` (ICE Desktop "${d.label}")` : ''}: server ${d.server}, expected ${JSON.stringify(d.expected)}`);
    }
    if (h.extra.length) lines.push(`      extra keys (not compared): ${h.extra.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** apply --dry-run: the writes apply would make, one block each; nothing was sent. */
export function renderPreview(writes: readonly PreviewWriteView[], colour: boolean, note?: string): string {
  const lines: string[] = [];
  if (note) lines.push(note, '');
  if (!writes.length) {
    lines.push('Dry run: nothing to write, the registration already matches. Nothing was sent.', '');
    return lines.join('\n');
  }
  lines.push(`Dry run: apply would make ${writes.length} Graph write${writes.length === 1 ? '' : 's'} (v1.0), in this order. Nothing was sent.`, '');
  writes.forEach((w, i) => {
    lines.push(`${i + 1}. ${w.summary}`);
    lines.push(`   ${paint(colour, '1', `${w.method} ${w.path}`)}  ${paint(colour, '90', `[${w.key}]`)}`);
    for (const [k, v] of Object.entries(w.headers ?? {})) lines.push(`   ${k}: ${v}`);
    if (w.body) lines.push(JSON.stringify(w.body, null, 2).replace(/^/gm, '   '));
    for (const ph of w.placeholders) lines.push(`   ${ph.placeholder} = ${ph.meaning} (filled in when apply runs)`);
    lines.push('');
  });
  return lines.join('\n');
}

interface PreviewWriteView {
  key: string;
  method: string;
  path: string;
  summary: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  placeholders: Array<{ placeholder: string; meaning: string }>;
}
