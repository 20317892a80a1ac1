// What the app knows about this visit beyond the open site: who is signed in, and which sites were exported.
// Screens that change it (Sign in, Export, a run that signed in again) call refresh()/markExported().
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { AccountView } from '../../../src-main/shared/ipc-contract';
import { useIpc } from '../ipc/useIpc';

export interface Visit {
  account: AccountView | null;
  /** Asks main again who is signed in. */
  refresh(): void;
  exported(siteId: string): boolean;
  markExported(siteId: string): void;
}

const VisitContext = createContext<Visit | null>(null);

export function useVisit(): Visit {
  const v = useContext(VisitContext);
  if (!v) throw new Error('useVisit outside <App>');
  return v;
}

export function VisitProvider({ children }: { children: ReactNode }) {
  const status = useIpc('auth.status', {});
  const [exportedIds, setExported] = useState<ReadonlySet<string>>(new Set());
  const markExported = useCallback((id: string) => setExported((s) => (s.has(id) ? s : new Set(s).add(id))), []);
  const value = useMemo<Visit>(
    () => ({
      account: status.value?.account ?? null,
      refresh: status.reload,
      exported: (id) => exportedIds.has(id),
      markExported,
    }),
    [status.value, status.reload, exportedIds, markExported],
  );
  return <VisitContext.Provider value={value}>{children}</VisitContext.Provider>;
}
