import type { FieldError } from '../../../../src-main/shared/ipc-contract';

/** Messages for one form field: exact match, or the field's children ('hosts' gets 'hosts' only; 'hosts[0]' its own). */
export function messagesFor(errors: FieldError[], field: string, opts: { children?: boolean } = {}): string {
  return errors
    .filter((e) => e.field === field || (opts.children && (e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`))))
    .map((e) => e.message)
    .join(' ');
}

/** Errors not shown beside any field of the form (shown in the summary bar instead). */
export function unplaced(errors: FieldError[], known: readonly string[]): FieldError[] {
  return errors.filter((e) => !known.some((k) => e.field === k || e.field.startsWith(`${k}[`) || e.field.startsWith(`${k}.`)));
}
