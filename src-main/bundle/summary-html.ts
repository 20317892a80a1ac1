// summary.html: the one-page human summary for the ICE Server admin who only has a browser.
// Self-contained: no scripts, no external resources (a CSP forbids both), prints on one A4/Letter page.
import { ICE_DESKTOP_FIELDS, type IceValueKey, type StepResult, type StepStatus } from '../core/types';

export interface SummaryInput {
  siteName: string;
  tenantId: string;
  tenantDomain?: string;
  appId: string;
  values: Record<IceValueKey, string>;
  steps: StepResult[];
  run: { kind: string; at: string; by: string };
  createdAt: string;
  createdBy: string;
  toolVersion: string;
  fingerprint: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function clip(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : t.slice(0, max - 1).trimEnd() + '…';
}

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
}

/** Detail lines below the grid; more would not fit one printed page (the grid still shows every status). */
const MAX_NOTES = 7;

const STATUS_LABEL: Record<StepStatus, string> = { pass: 'Pass', fail: 'Fail', warn: 'Warning', info: 'Info', unknown: 'Unknown' };

export function renderSummaryHtml(s: SummaryInput): string {
  const e = escapeHtml;
  const counts = (['pass', 'fail', 'warn', 'info', 'unknown'] as const)
    .map((st) => [st, s.steps.filter((x) => x.status === st).length] as const)
    .filter(([, n]) => n > 0);
  const fields = ICE_DESKTOP_FIELDS.map(
    (f, i) => `<tr><td class="n">${i + 1}</td><th scope="row">${e(f.label)}<span class="sub">${e(f.entraName)}</span></th><td><code>${e(s.values[f.key])}</code></td></tr>`,
  ).join('\n');
  const half = Math.ceil(s.steps.length / 2);
  const stepCell = (st: StepResult): string =>
    `<td><span class="pill ${st.status}">${STATUS_LABEL[st.status]}</span></td><td class="t">${e(clip(st.title, 48))}<span class="id">${e(st.id)}</span></td>`;
  const grid = Array.from({ length: half }, (_, i) => {
    const a = s.steps[i]!;
    const b = s.steps[i + half];
    return `<tr>${stepCell(a)}<td class="gap"></td>${b ? stepCell(b) : '<td></td><td></td>'}</tr>`;
  }).join('\n');
  const rank: Record<StepStatus, number> = { fail: 0, warn: 1, unknown: 2, info: 3, pass: 4 };
  const attention = s.steps.filter((st) => rank[st.status] <= 2).sort((a, b) => rank[a.status] - rank[b.status]);
  const shown = attention.slice(0, MAX_NOTES);
  const notes = shown
    .map((st) => {
      const text = st.fix && st.status !== 'unknown' ? `${st.found} Fix: ${st.fix}` : st.found;
      return `<li><span class="pill ${st.status}">${STATUS_LABEL[st.status]}</span><b>${e(clip(st.title, 40))}</b> ${e(clip(text, 118 - Math.min(st.title.length, 40)))}</li>`;
    })
    .concat(attention.length > shown.length ? [`<li class="more">and ${attention.length - shown.length} more: see checklist.json</li>`] : [])
    .join('\n');
  const tenant = s.tenantDomain ? `${e(s.tenantDomain)} (${e(s.tenantId)})` : e(s.tenantId);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ICE SSO settings – ${e(s.siteName)}</title>
<style>
:root { color-scheme: light; --fg:#242424; --fg2:#616161; --fg3:#707070; --line:#e0e0e0; --brand:#0f6cbd; --bg2:#f5f5f5; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 190mm; padding: 18px 20px; color: var(--fg); background: #fff;
  font: 13px/1.4 "Segoe UI Variable Text", "Segoe UI", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", Arial, sans-serif; }
header { border-bottom: 2px solid var(--brand); padding-bottom: 6px; margin-bottom: 10px; }
.fp { font-weight: 600; color: var(--fg); white-space: nowrap; }
h1 { font-size: 19px; line-height: 24px; font-weight: 600; margin: 0; }
h1 .site { color: var(--brand); }
.meta { color: var(--fg2); font-size: 11.5px; margin-top: 2px; }
h2 { font-size: 14px; font-weight: 600; margin: 12px 0 4px; }
h2 .hint { font-weight: 400; color: var(--fg2); font-size: 11.5px; margin-left: 6px; }
table { width: 100%; border-collapse: collapse; }
.fields th, .fields td { padding: 2.5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
.fields td.n { width: 20px; color: var(--fg3); font-size: 10.5px; padding-right: 0; padding-top: 5px; }
.fields th { width: 30%; font-weight: 600; font-size: 12.5px; line-height: 1.25; }
.fields .sub { display: block; font-weight: 400; font-size: 9.5px; color: var(--fg3); }
code { font: 11.5px/1.3 "Cascadia Mono", Consolas, "SF Mono", Menlo, "DejaVu Sans Mono", monospace; background: var(--bg2);
  border: 1px solid var(--line); border-radius: 4px; padding: 1px 5px; display: inline-block; word-break: break-all; user-select: all; -webkit-user-select: all; }
.steps { font-size: 11px; line-height: 1.15; }
.steps td { padding: 1.5px 4px; border-bottom: 1px solid #ededed; vertical-align: top; }
.steps td:first-child, .steps td:nth-child(4) { width: 58px; }
.steps td.gap { width: 14px; border-bottom: none; }
.steps .t { width: calc(50% - 65px); }
.steps .id { display: block; color: var(--fg3); font: 9px/1.1 "Cascadia Mono", Consolas, Menlo, "DejaVu Sans Mono", monospace; }
h3 { font-size: 11.5px; font-weight: 600; margin: 8px 0 2px; color: var(--fg2); }
.notes { list-style: none; margin: 0; padding: 0; font-size: 10.5px; line-height: 1.3; color: #424242; }
.notes li { padding: 1px 0; line-height: 14px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.notes .pill { margin-right: 6px; min-width: 56px; line-height: 13px; }
.notes .more { color: var(--fg3); padding-left: 62px; }
.notes b { font-weight: 600; color: var(--fg); margin-right: 4px; }
.pill { display: inline-block; min-width: 50px; text-align: center; border-radius: 10px; padding: 0 6px; font-size: 10px; font-weight: 600; line-height: 16px; }
.pill.pass { background: #dff6dd; color: #0e700e; } .pill.fail { background: #fde7e9; color: #b10e1c; }
.pill.warn { background: #fff4ce; color: #835b00; } .pill.info { background: #ebf3fc; color: #115ea3; }
.pill.unknown { background: #f0f0f0; color: #616161; }
.counts { float: right; font-size: 11px; color: var(--fg2); font-weight: 400; }
footer { margin-top: 10px; padding-top: 6px; border-top: 1px solid var(--line); font-size: 10px; color: var(--fg3); line-height: 1.45; }
footer code { font-size: 10px; padding: 0 3px; user-select: text; -webkit-user-select: text; }
@page { margin: 11mm 12mm; }
@media print { body { padding: 0; max-width: none; } }
</style>
</head>
<body>
<header>
<h1>ICE Server SSO settings · <span class="site">${e(clip(s.siteName, 60))}</span></h1>
<div class="meta">Entra ID tenant ${tenant} · Application (client) ID ${e(s.appId)}</div>
<div class="meta">Checked by ${e(s.run.kind)} on ${e(when(s.run.at))} by ${e(s.run.by)} · signed bundle, key <span class="fp">${e(s.fingerprint)}</span></div>
</header>
<h2>Values to enter<span class="hint">ICE Desktop › Settings › Organization › Authentication › Azure Entra ID SSO</span></h2>
<table class="fields">
${fields}
</table>
<h2>Checklist<span class="counts">${counts.map(([st, n]) => `${n} ${STATUS_LABEL[st].toLowerCase()}`).join(' · ')}</span></h2>
<table class="steps">
${grid}
</table>
${notes ? `<h3>Needs attention or not yet proven</h3>\n<ul class="notes">\n${notes}\n</ul>` : ''}
<footer>
Made with ICE SSO Assistant ${e(s.toolVersion)} on ${e(when(s.createdAt))} by ${e(s.createdBy)}. Evidence: checklist.json; as the server publishes them: sso-meta.json. No tokens or secrets.
Before use, check the signature: <code>minisign -Vm manifest.json -p minisign.pub</code> and each file's SHA-256 in manifest.json, or ICE SSO Assistant's <code>bundle verify &lt;file&gt;.icesso</code>; the key's fingerprint must be ${e(s.fingerprint)}.
</footer>
</body>
</html>
`;
}
