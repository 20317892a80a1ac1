import { makeStyles, tokens, Text } from '@fluentui/react-components';
import { ICE_DESKTOP_FIELDS, type IceValues } from '../../../../src-main/shared/catalog';
import { CopyButton } from '../../components/CopyButton';

const useStyles = makeStyles({
  table: { width: '100%', borderCollapse: 'collapse' },
  row: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  label: { width: '200px', padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalS} 0`, verticalAlign: 'top' },
  value: { padding: `${tokens.spacingVerticalS} 0`, overflowWrap: 'anywhere' },
  copy: { width: '40px', textAlign: 'right' },
  missing: { color: tokens.colorNeutralForeground4, fontStyle: 'italic' },
});

/** The eight values in the order ICE Desktop shows them (Settings > Organization > Authentication). */
export function ValuesList({ values, untrusted = false }: { values: IceValues; untrusted?: boolean }) {
  const styles = useStyles();
  return (
    <table className={styles.table} data-testid="ice-values">
      <tbody>
        {ICE_DESKTOP_FIELDS.map((f) => {
          const v = values[f.key];
          return (
            <tr key={f.key} className={styles.row} data-testid="ice-value" data-key={f.key}>
              <td className={styles.label}>
                <Text weight="semibold" block>
                  {f.label}
                </Text>
                <Text size={200} style={{ color: tokens.colorNeutralForeground3 }}>
                  {f.entraName}
                </Text>
              </td>
              <td className={styles.value}>
                {v ? (
                  <Text font="monospace" size={300} data-testid={`value-${f.key}`}>
                    {v}
                  </Text>
                ) : (
                  <Text className={styles.missing}>not known yet</Text>
                )}
              </td>
              <td className={styles.copy}>{v && !untrusted && <CopyButton text={v} label={f.label} />}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
