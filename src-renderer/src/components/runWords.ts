// A recorded run in the app's words (the record's kind is a file format word: "audit" is also how an ICE Server
// check is recorded, and a field engineer never "audits" here).
export type RunKind = 'audit' | 'verify' | 'apply';

export function runWords(kind: RunKind, serverCheck = false): string {
  if (serverCheck) return 'ICE Server checked';
  return kind === 'verify' ? 'Verified' : kind === 'apply' ? 'Applied' : 'Checked without sign-in';
}

export function runLine(r: { kind: RunKind; at: string; by?: string; serverCheck?: boolean }): string {
  const at = new Date(r.at);
  return `${runWords(r.kind, r.serverCheck)} ${Number.isNaN(at.getTime()) ? r.at : at.toLocaleString()}${r.by ? ` by ${r.by}` : ''}`;
}
