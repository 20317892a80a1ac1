// Validation messages shown as the user types: a field's message appears once that field was edited,
// and every message after a submit. The main process validates (settings.validate), debounced.
import { useEffect, useMemo, useState } from 'react';
import type { FieldError, HostPreview, SettingsDraft } from '../../../../src-main/shared/ipc-contract';
import { invoke } from '../../api';
import { messagesFor } from './fieldErrors';

/** The form control a core field name belongs to: 'hosts[1]' → 'hosts', 'consentTexts.x' → 'consentTexts', 'loginUrl' → 'cloud'. */
export function controlOf(field: string): string {
  const top = field.split(/[.[]/)[0] ?? field;
  return top === 'loginUrl' || top === 'graphUrl' || top === 'portalUrl' ? 'cloud' : top;
}

export interface FieldErrors {
  list: FieldError[];
  /** Whether messages of this control are shown (edited, or after a submit). */
  visible(field: string): boolean;
  message(field: string, children?: boolean): string;
  props(field: string, children?: boolean): { validationMessage: string | undefined; validationState: 'error' | 'none' };
  /** How many shown messages there are. */
  count: number;
}

export function makeFieldErrors(list: FieldError[], touched: ReadonlySet<string>, submitted: boolean): FieldErrors {
  const visible = (field: string) => submitted || touched.has(controlOf(field));
  const message = (field: string, children = false) => (visible(field) ? messagesFor(list, field, { children }) : '');
  return {
    list,
    visible,
    message,
    props(field, children = false) {
      const m = message(field, children);
      return { validationMessage: m || undefined, validationState: m ? 'error' : 'none' };
    },
    count: list.filter((e) => visible(e.field)).length,
  };
}

/** Validates the draft 200 ms after the last keystroke; a newer draft cancels the older answer. */
export function useDraftValidation(draft: SettingsDraft | null): { errors: FieldError[]; preview: HostPreview[] } {
  const [result, setResult] = useState<{ errors: FieldError[]; preview: HostPreview[] }>({ errors: [], preview: [] });
  useEffect(() => {
    if (!draft) return;
    const ac = new AbortController();
    const t = setTimeout(() => {
      void invoke('settings.validate', { draft })
        .then((r) => {
          if (ac.signal.aborted || !r.ok) return;
          setResult({ errors: r.valid ? [] : r.errors, preview: r.hostsPreview });
        })
        .catch(() => undefined);
    }, 200);
    return () => {
      ac.abort();
      clearTimeout(t);
    };
  }, [draft]);
  return useMemo(() => result, [result]);
}
