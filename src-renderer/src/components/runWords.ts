// A recorded run in the app's words (the record's kind is a file format word: "audit" is also how an ICE Server
// check is recorded, and a field engineer never "audits" here).
import { when } from './when';

export type RunKind = 'audit' | 'verify' | 'apply';

export function runWords(kind: RunKind, check?: 'proof' | 'server'): string {
  if (check === 'server') return 'ICE Server checked';
  if (check === 'proof') return 'Sign-in proved';
  return kind === 'verify' ? 'Verified' : kind === 'apply' ? 'Applied' : 'Checked without sign-in';
}

export function runLine(r: { kind: RunKind; at: string; by?: string; check?: 'proof' | 'server' }): string {
  return `${runWords(r.kind, r.check)} ${when(r.at)}${r.by ? ` by ${r.by}` : ''}`;
}
