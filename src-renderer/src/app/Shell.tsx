import { makeStyles, tokens, Text, Badge, Spinner } from '@fluentui/react-components';
import {
  NavDrawer,
  NavDrawerBody,
  NavItem,
  NavSectionHeader,
  NavDivider,
} from '@fluentui/react-components';
import {
  BuildingMultipleRegular,
  SettingsRegular,
  PersonKeyRegular,
  TaskListSquareLtrRegular,
  KeyMultipleRegular,
  ArrowExportRegular,
  DocumentSearchRegular,
  ShieldLockFilled,
} from '@fluentui/react-icons';
import { Suspense, type ReactElement } from 'react';
import { useIpc } from '../ipc/useIpc';
import { Journey } from './Journey';
import { useNav, type Screen } from './nav';
import { SitesScreen, SetupScreen, SignInScreen, ChecklistScreen, ValuesScreen, ExportScreen, ReviewScreen } from './screens';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    height: '48px',
    paddingInline: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    flexShrink: 0,
  },
  body: { display: 'flex', flex: 1, minHeight: 0 },
  nav: { flexShrink: 0, width: '208px', borderRight: `1px solid ${tokens.colorNeutralStroke2}` },
  column: { flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' },
  main: { flex: 1, overflow: 'auto', padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}` },
  siteBadge: { marginLeft: 'auto' },
});

const SITE_SCREENS: Array<{ screen: Screen; label: string; icon: ReactElement }> = [
  { screen: 'setup', label: 'Setup', icon: <SettingsRegular /> },
  { screen: 'signin', label: 'Sign in', icon: <PersonKeyRegular /> },
  { screen: 'checklist', label: 'Checklist', icon: <TaskListSquareLtrRegular /> },
  { screen: 'values', label: 'ICE values', icon: <KeyMultipleRegular /> },
  { screen: 'export', label: 'Export bundle', icon: <ArrowExportRegular /> },
];

function ScreenView({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'sites':
      return <SitesScreen />;
    case 'setup':
      return <SetupScreen />;
    case 'signin':
      return <SignInScreen />;
    case 'checklist':
      return <ChecklistScreen />;
    case 'values':
      return <ValuesScreen />;
    case 'export':
      return <ExportScreen />;
    case 'review':
      return <ReviewScreen />;
  }
}

export function Shell() {
  const styles = useStyles();
  const nav = useNav();
  const version = useIpc('app.info', {}).value?.version ?? '';
  const screen = nav.site || nav.screen === 'sites' || nav.screen === 'review' || nav.screen === 'setup' ? nav.screen : 'sites';
  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <ShieldLockFilled fontSize={22} />
        <Text weight="semibold" size={400}>
          ICE SSO Assistant
        </Text>
        <Text size={200}>Microsoft Entra ID app registration for Instant Connect Enterprise</Text>
        <span className={styles.siteBadge}>
          {nav.site && (
            <Badge appearance="tint" color="informative" data-testid="current-site">
              Site: {nav.site.name}
            </Badge>
          )}
          {version && (
            <Text size={200} style={{ marginLeft: 12 }}>
              v{version}
            </Text>
          )}
        </span>
      </header>
      <div className={styles.body}>
        <NavDrawer
          className={styles.nav}
          open
          type="inline"
          selectedValue={screen}
          onNavItemSelect={(_e, data) => nav.go(data.value as Screen)}
        >
          <NavDrawerBody>
            <NavItem value="sites" icon={<BuildingMultipleRegular />}>
              Sites
            </NavItem>
            <NavDivider />
            <NavSectionHeader>{nav.site ? nav.site.name : 'Open a site first'}</NavSectionHeader>
            {nav.site &&
              SITE_SCREENS.map((s) => (
                <NavItem key={s.screen} value={s.screen} icon={s.icon} data-testid={`nav-${s.screen}`}>
                  {s.label}
                </NavItem>
              ))}
            <NavDivider />
            <NavItem value="review" icon={<DocumentSearchRegular />} data-testid="nav-review">
              Review offline
            </NavItem>
          </NavDrawerBody>
        </NavDrawer>
        <div className={styles.column}>
          {screen !== 'review' && <Journey />}
          <main className={styles.main}>
            <Suspense fallback={<Spinner size="small" label="Loading…" />}>
              <ScreenView screen={screen} />
            </Suspense>
          </main>
        </div>
      </div>
    </div>
  );
}
