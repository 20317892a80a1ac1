import { useMemo, useState } from 'react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { NavContext, type CurrentSite, type Nav, type Screen } from './nav';
import { Shell } from './Shell';

export function App() {
  const [screen, setScreen] = useState<Screen>('sites');
  const [site, setSite] = useState<CurrentSite | null>(null);
  const nav = useMemo<Nav>(
    () => ({
      screen,
      site,
      go: setScreen,
      openSite(next, to) {
        setSite(next);
        if (to) setScreen(to);
      },
    }),
    [screen, site],
  );
  return (
    <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
      <NavContext.Provider value={nav}>
        <Shell />
      </NavContext.Provider>
    </FluentProvider>
  );
}
