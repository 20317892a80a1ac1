import { useCallback, useEffect, useState } from 'react';
import { Button, Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular, KeyRegular, ShieldCheckmarkRegular } from '@fluentui/react-icons';
import type { TrustedKeyView } from '../../../../src-main/shared/ipc-contract';
import { invoke } from '../../api';
import { Section } from '../../components/Section';
import { when } from '../../components/when';

const useStyles = makeStyles({
  form: { display: 'grid', gridTemplateColumns: 'minmax(320px, 2fr) minmax(160px, 1fr) auto auto', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  table: { width: '100%', borderCollapse: 'collapse', marginTop: tokens.spacingVerticalM },
  row: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  cell: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalS} 0`, verticalAlign: 'top' },
  fp: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * The admin's trusted keys: trust the engineer's key by the fingerprint they read out, or by their public key
 * file; see and remove the keys trusted so far. `onChange` runs after every change (Review re-checks the bundle).
 */
export function TrustedKeys({ onChange, onError, signerFingerprint }: { onChange?: () => void; onError: (e: string) => void; signerFingerprint?: string }) {
  const styles = useStyles();
  const [keys, setKeys] = useState<TrustedKeyView[] | null>(null);
  const [fingerprint, setFingerprint] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const reload = useCallback(
    () =>
      invoke('trust.list', {}).then((r) => {
        if (r.ok) setKeys(r.keys);
        else onError(r.message);
      }),
    [onError],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const after = async (r: { ok: boolean; code?: string; message?: string }) => {
    if (r.ok) {
      setFingerprint('');
      setName('');
      await reload();
      onChange?.();
    } else if (r.code !== 'cancelled') onError(r.message ?? 'Failed.');
  };
  const run = async (fn: () => Promise<{ ok: boolean; code?: string; message?: string }>) => {
    onError('');
    setBusy(true);
    try {
      await after(await fn());
    } finally {
      setBusy(false);
    }
  };
  const nameArg = name.trim() ? { name: name.trim() } : {};

  return (
    <Section title="Trusted keys" testId="trusted-keys">
      <Text block size={200} className={styles.muted} style={{ marginBottom: 8 }}>
        A bundle is VALID only when it is signed by a key you trust. Get the key from the engineer, not from the bundle: ask them to read out their fingerprint over the phone, or to send their public key.
        {signerFingerprint ? ' Type the fingerprint as they read it; do not copy it from the bundle.' : ''} An organisation key, trusted once, covers all its engineers.
      </Text>
      <div className={styles.form}>
        <Field label="Fingerprint the engineer read out (32 hex digits)">
          <Input value={fingerprint} onChange={(_, d) => setFingerprint(d.value)} placeholder="7FBD 7C96 9C7F E4D1 0A2B 11C0 D3E4 F567" data-testid="trust-fingerprint" />
        </Field>
        <Field label="Whose key (optional)">
          <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="Contoso field team" data-testid="trust-name" />
        </Field>
        <Button appearance="primary" icon={<ShieldCheckmarkRegular />} disabled={busy || !fingerprint.trim()} onClick={() => void run(() => invoke('trust.addFingerprint', { fingerprint, ...nameArg }))} data-testid="trust-add-fingerprint">
          Trust fingerprint
        </Button>
        <Button icon={<KeyRegular />} disabled={busy} onClick={() => void run(() => invoke('trust.addFile', nameArg))} data-testid="trust-add-file">
          Trust a key file…
        </Button>
      </div>
      {keys && keys.length === 0 && (
        <Text block className={styles.muted} style={{ marginTop: 12 }} data-testid="trusted-none">
          No trusted keys yet.
        </Text>
      )}
      {keys && keys.length > 0 && (
        <table className={styles.table}>
          <tbody>
            {keys.map((k) => (
              <tr key={k.fingerprint} className={styles.row} data-testid="trusted-key">
                <td className={styles.cell}>
                  <Text weight="semibold" block>
                    {k.name ?? '(no name)'}
                  </Text>
                  <Text size={200} className={styles.muted}>
                    trusted {when(k.addedAt)} from {k.source === 'file' ? 'a key file' : 'a fingerprint'}
                  </Text>
                </td>
                <td className={styles.cell}>
                  <Text className={styles.fp} block>
                    {k.fingerprint}
                  </Text>
                  <Text size={200} className={styles.muted}>
                    minisign key id {k.keyId}
                  </Text>
                </td>
                <td className={styles.cell} style={{ textAlign: 'right' }}>
                  <Button icon={<DeleteRegular />} disabled={busy} onClick={() => void run(() => invoke('trust.remove', { fingerprint: k.fingerprint }))} data-testid="trust-remove">
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
