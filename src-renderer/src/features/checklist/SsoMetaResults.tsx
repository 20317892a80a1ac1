import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { SSO_META_KEYS } from '../../../../src-main/shared/catalog';
import type { SsoMetaHostReport } from '../../../../src-main/shared/ipc-contract';
import { StatusBadge } from '../../components/StatusBadge';

const useStyles = makeStyles({
  list: { listStyle: 'none', padding: 0, margin: 0 },
  host: {
    display: 'grid',
    gridTemplateColumns: '96px 1fr',
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    ':last-child': { borderBottom: 'none' },
  },
  url: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase300, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  table: { borderCollapse: 'collapse', marginTop: tokens.spacingVerticalS, width: '100%', tableLayout: 'fixed' },
  th: {
    textAlign: 'left',
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground3,
    padding: `2px ${tokens.spacingHorizontalS} 2px 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  td: { padding: `4px ${tokens.spacingHorizontalS} 4px 0`, verticalAlign: 'top', overflowWrap: 'anywhere' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  bad: { color: tokens.colorPaletteRedForeground1 },
});

/** server.sso-meta, one row per ICE host: status, what was found, each differing key (server value vs expected). */
export function SsoMetaResults({ hosts }: { hosts: SsoMetaHostReport[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} data-testid="sso-meta-hosts">
      {hosts.map((h) => (
        <li key={h.url} className={styles.host} data-testid="sso-meta-host" data-host={h.host} data-status={h.status}>
          <span>
            <StatusBadge status={h.status} />
          </span>
          <span style={{ minWidth: 0 }}>
            <Text block className={styles.url}>
              {h.url}
              {h.ms !== undefined && <span className={styles.muted}> · {h.ms} ms</span>}
            </Text>
            {h.differences.length > 0 ? (
              <>
                <Text block>
                  {h.differences.length} of {SSO_META_KEYS.length} keys differ. Correct {h.differences.length === 1 ? 'this field' : 'these fields'} in ICE Desktop's SSO
                  settings, save, then check again.
                </Text>
                <table className={styles.table}>
                  <thead>
                    <tr>
                      <th className={styles.th} style={{ width: '26%' }}>
                        ICE Desktop field
                      </th>
                      <th className={styles.th}>The server publishes</th>
                      <th className={styles.th}>Expected</th>
                    </tr>
                  </thead>
                  <tbody>
                    {h.differences.map((d) => (
                      <tr key={d.key} data-testid="sso-meta-diff" data-key={d.key}>
                        <td className={styles.td}>
                          <Text weight="semibold">{d.label || d.key}</Text>
                          <Text block size={200} className={`${styles.muted} ${styles.mono}`}>
                            {d.key}
                          </Text>
                        </td>
                        <td className={`${styles.td} ${styles.mono} ${styles.bad}`}>{d.server}</td>
                        <td className={`${styles.td} ${styles.mono}`}>{d.expected}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <Text block>{h.summary.charAt(0).toUpperCase() + h.summary.slice(1)}</Text>
            )}
            {h.extra.length > 0 && (
              <Text block size={200} className={styles.muted} style={{ marginTop: 4 }}>
                Also published, not compared: {h.extra.join(', ')}
              </Text>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
