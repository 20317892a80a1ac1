import { createContext, useContext } from 'react';

export const SCREENS = ['sites', 'setup', 'signin', 'checklist', 'values', 'export', 'review'] as const;
export type Screen = (typeof SCREENS)[number];

export interface CurrentSite {
  id: string;
  name: string;
}

export interface Nav {
  screen: Screen;
  site: CurrentSite | null;
  go(screen: Screen): void;
  openSite(site: CurrentSite | null, screen?: Screen): void;
}

export const NavContext = createContext<Nav | null>(null);

export function useNav(): Nav {
  const nav = useContext(NavContext);
  if (!nav) throw new Error('useNav outside <App>');
  return nav;
}
