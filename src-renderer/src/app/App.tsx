import { useEffect, useMemo, useState } from 'react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { NavContext, type CurrentSite, type Nav, type Screen } from './nav';
import { Shell } from './Shell';
import { VisitProvider } from './visit';
import { EventRouter, EventsContext } from '../ipc/events';
import { onEvent } from '../api';
import { ChecklistFlowProvider } from '../features/checklist/ChecklistFlow';

export function App() {
  const [screen, setScreen] = useState<Screen>('sites');
  const [site, setSite] = useState<CurrentSite | null>(null);
  // Main's events are subscribed once, here, and routed to the flow that owns them.
  const [events] = useState(() => new EventRouter());
  useEffect(() => events.attach(onEvent), [events]);
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
      <EventsContext.Provider value={events}>
        <NavContext.Provider value={nav}>
          <VisitProvider>
            <ChecklistFlowProvider siteId={site?.id ?? null}>
              <Shell />
            </ChecklistFlowProvider>
          </VisitProvider>
        </NavContext.Provider>
      </EventsContext.Provider>
    </FluentProvider>
  );
}
