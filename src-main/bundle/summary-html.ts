// summary.html: the one-page human summary for the ICE Server admin who only has a browser.
// Self-contained: no scripts, no external resources (a CSP forbids both), prints on A4/Letter.
// It is a pure function of the signed values.json, checklist.json and about.json: verify renders it
// again from them and compares the bytes, so a summary that says anything else is INVALID.
import { ICE_DESKTOP_FIELDS, type IceValueKey, type StepStatus } from '../core/types';
import type { EvidenceStep } from './readiness';

export interface SummaryAbout {
  createdAt: string;
  createdBy: string;
  tool: { version: string };
  site: { name: string };
  tenant: { id: string; domain?: string };
  app: { appId: string };
  run: { kind: string; at: string; by: string };
  signer: { fingerprint: string; keyId: string };
}

export interface SummaryInput {
  about: SummaryAbout;
  values: Record<IceValueKey, string>;
  steps: EvidenceStep[];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A value the admin copies: escaped, unbreakable pieces (not even at a hyphen of a GUID) with break opportunities
 * (<wbr>, which adds no character to a copy) only after / . ? & = and spaces.
 */
function breakable(value: string): string {
  return value
    .split(/(?<=[/.?&= ])/)
    .map((piece) => `<span class="nb">${escapeHtml(piece)}</span>`)
    .join('<wbr>');
}

/** Text written with `code` spans (the checklist's found/fix texts): shown as <code>, never as literal backticks. */
function prose(text: string): string {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return escapeHtml(text.replace(/`/g, '')); // unbalanced: drop the marks, keep the words
  return parts.map((p, i) => (i % 2 ? `<code>${breakable(p)}</code>` : escapeHtml(p))).join('');
}

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
}

const STATUS_LABEL: Record<StepStatus, string> = { pass: 'Pass', fail: 'Fail', warn: 'Warning', info: 'Info', unknown: 'Unknown' };
const KIND_LABEL: Record<string, string> = { verify: 'verify', apply: 'apply', audit: 'server check' };

export function renderSummaryHtml({ about, values, steps }: SummaryInput): string {
  const e = escapeHtml;
  const counts = (['pass', 'fail', 'warn', 'info', 'unknown'] as const)
    .map((st) => [st, steps.filter((x) => x.status === st).length] as const)
    .filter(([, n]) => n > 0);
  const fields = ICE_DESKTOP_FIELDS.map(
    (f, i) => `<tr><td class="n">${i + 1}</td><th scope="row">${e(f.label)}<span class="sub">${e(f.entraName)}</span></th><td><code class="v">${breakable(values[f.key])}</code></td></tr>`,
  ).join('\n');
  const half = Math.ceil(steps.length / 2);
  // Each step's evidence comes from the run the values come from, unless marked with its own run and time.
  const stepCell = (st: EvidenceStep): string =>
    `<td><span class="pill ${st.status}">${STATUS_LABEL[st.status]}</span></td><td class="t">${e(st.title)}<span class="id">${e(st.id)}${
      st.at === about.run.at && st.kind === about.run.kind ? '' : ` · <span class="ev">${e(KIND_LABEL[st.kind] ?? st.kind)} ${e(when(st.at))}</span>`
    }</span></td>`;
  const grid = Array.from({ length: half }, (_, i) => {
    const a = steps[i]!;
    const b = steps[i + half];
    return `<tr>${stepCell(a)}<td class="gap"></td>${b ? stepCell(b) : '<td></td><td></td>'}</tr>`;
  }).join('\n');
  const rank: Record<StepStatus, number> = { fail: 0, warn: 1, unknown: 2, info: 3, pass: 4 };
  const attention = steps.filter((st) => rank[st.status] <= 2).sort((a, b) => rank[a.status] - rank[b.status]);
  const notes = attention
    .map((st) => {
      const fix = st.fix && st.status !== 'unknown' ? ` <span class="fix">Fix: ${prose(st.fix)}</span>` : '';
      return `<li><span class="pill ${st.status}">${STATUS_LABEL[st.status]}</span><b>${e(st.title)}</b> ${prose(st.found)}${fix}</li>`;
    })
    .join('\n');
  const failing = steps.filter((st) => st.status === 'fail');
  const banner = failing.length
    ? `<div class="incomplete" role="alert"><b>INCOMPLETE</b> · ${failing.length} step${failing.length === 1 ? '' : 's'} failed when this bundle was made: ${failing.map((st) => `<code>${e(st.id)}</code>`).join(', ')}. The engineer exported it anyway; single sign-on may not work until they are fixed.</div>\n`
    : '';
  const nw = (t: string) => `<span class="nw">${e(t)}</span>`;
  const tenant = about.tenant.domain ? `${nw(about.tenant.domain)} (${nw(about.tenant.id)})` : nw(about.tenant.id);
  const fp = `${e(about.signer.fingerprint)}</span> (minisign key id <span class="fp">${e(about.signer.keyId)}</span>)`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${failing.length ? 'INCOMPLETE – ' : ''}ICE SSO settings – ${e(about.site.name)}</title>
<style>
:root { color-scheme: light; --fg:#242424; --fg2:#616161; --fg3:#707070; --line:#e0e0e0; --brand:#0f6cbd; --bg2:#f5f5f5; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 190mm; padding: 18px 20px; color: var(--fg); background: #fff;
  font: 13px/1.4 "Segoe UI Variable Text", "Segoe UI", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", Arial, sans-serif; }
header { border-bottom: 2px solid var(--brand); padding-bottom: 6px; margin-bottom: 10px; }
.incomplete { background: #fde7e9; color: #751d1f; border: 1px solid #eeacb2; border-left: 6px solid #c50f1f; border-radius: 4px; padding: 8px 12px; margin-bottom: 10px; font-size: 12.5px; }
.incomplete b { color: #b10e1c; font-size: 14px; letter-spacing: .04em; }
.incomplete code { background: #fff; }
.fp { font-weight: 600; color: var(--fg); white-space: nowrap; }
h1 { font-size: 19px; line-height: 24px; font-weight: 600; margin: 0; overflow-wrap: anywhere; }
h1 .site { color: var(--brand); }
.meta { color: var(--fg2); font-size: 11.5px; margin-top: 2px; }
h2 { font-size: 14px; font-weight: 600; margin: 12px 0 4px; }
h2 .hint { font-weight: 400; color: var(--fg2); font-size: 11.5px; margin-left: 6px; }
table { width: 100%; border-collapse: collapse; }
.fields th, .fields td { padding: 2.5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
.fields td.n { width: 20px; color: var(--fg3); font-size: 10.5px; padding-right: 0; padding-top: 5px; }
.fields th { width: 27%; font-weight: 600; font-size: 12.5px; line-height: 1.25; }
.fields .sub { display: block; font-weight: 400; font-size: 9.5px; color: var(--fg3); }
code { font: 11.5px/1.3 "Cascadia Mono", Consolas, "SF Mono", Menlo, "DejaVu Sans Mono", monospace; background: var(--bg2);
  border: 1px solid var(--line); border-radius: 4px; padding: 1px 5px; word-break: normal; overflow-wrap: normal; }
code.v { display: inline-block; max-width: 100%; user-select: all; -webkit-user-select: all; }
code .nb { white-space: nowrap; }
.steps { font-size: 11px; line-height: 1.15; }
.steps td { padding: 1.5px 4px; border-bottom: 1px solid #ededed; vertical-align: top; }
.steps td:first-child, .steps td:nth-child(4) { width: 58px; }
.steps td.gap { width: 14px; border-bottom: none; }
.steps .t { width: calc(50% - 65px); }
.steps .id { display: block; color: var(--fg3); font: 9px/1.2 "Cascadia Mono", Consolas, Menlo, "DejaVu Sans Mono", monospace; }
.steps .ev { color: var(--brand); white-space: nowrap; }
.nw { white-space: nowrap; }
h3 { font-size: 11.5px; font-weight: 600; margin: 8px 0 2px; color: var(--fg2); }
.notes { list-style: none; margin: 0; padding: 0; font-size: 10.5px; line-height: 1.35; color: #424242; }
.notes li { padding: 2px 0 2px 62px; text-indent: -62px; }
.notes code { font-size: 10px; padding: 0 3px; }
.notes .pill { margin-right: 6px; min-width: 56px; line-height: 13px; text-indent: 0; }
.notes b { font-weight: 600; color: var(--fg); margin-right: 4px; }
.notes .fix { color: var(--fg); }
.pill { display: inline-block; min-width: 50px; text-align: center; border-radius: 10px; padding: 0 6px; font-size: 10px; font-weight: 600; line-height: 16px; }
.pill.pass { background: #dff6dd; color: #0e700e; } .pill.fail { background: #fde7e9; color: #b10e1c; }
.pill.warn { background: #fff4ce; color: #835b00; } .pill.info { background: #ebf3fc; color: #115ea3; }
.pill.unknown { background: #f0f0f0; color: #616161; }
.counts { float: right; font-size: 11px; color: var(--fg2); font-weight: 400; }
footer { margin-top: 10px; padding-top: 6px; border-top: 1px solid var(--line); font-size: 10px; color: var(--fg3); line-height: 1.5; }
footer code { font-size: 10px; padding: 0 3px; }
footer .check { color: var(--fg); font-size: 10.5px; }
@page { margin: 11mm 12mm; }
@media print { body { padding: 0; max-width: none; } }
</style>
</head>
<body>
${banner}<header>
<h1>ICE Server SSO settings · <span class="site">${e(about.site.name)}</span></h1>
<div class="meta">Entra ID tenant ${tenant} · Application (client) ID ${nw(about.app.appId)}</div>
<div class="meta">Values and checklist from the ${e(KIND_LABEL[about.run.kind] ?? about.run.kind)} on ${nw(when(about.run.at))} by ${e(about.run.by)} (a step proven by another run shows its own) · signed with key <span class="fp">${fp}</div>
</header>
<h2>Values to enter<span class="hint">ICE Desktop › Settings › Organization › Authentication › Azure Entra ID SSO</span></h2>
<table class="fields">
${fields}
</table>
<h2>Checklist<span class="counts">${counts.map(([st, n]) => `${n} ${STATUS_LABEL[st].toLowerCase()}`).join(' · ')}</span></h2>
<table class="steps">
${grid}
</table>
${notes ? `<h3>Needs attention or not yet proven</h3>\n<ul class="notes">\n${notes}\n</ul>\n` : ''}<footer>
<div class="check"><b>Before you type these values in, check the signature</b> with the public key the engineer gave you, never with anything in this bundle (this page cannot prove who made it):
<code>minisign -Vm SHA256SUMS -P &lt;the engineer&#39;s public key&gt; &amp;&amp; sha256sum -c SHA256SUMS</code> in the unzipped folder, or
<code>bundle verify &lt;file&gt;.icesso</code> with ICE SSO Assistant (it says VALID only for a key you trust).</div>
Made with ICE SSO Assistant ${e(about.tool.version)} on ${e(when(about.createdAt))} by ${e(about.createdBy)}. Evidence: checklist.json (each step with the run and time that established it); as the server publishes them: sso-meta.json. No tokens or secrets.
</footer>
</body>
</html>
`;
}
