import { useState } from 'react';
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens, Spinner } from '@fluentui/react-components';
import { ArrowExportRegular } from '@fluentui/react-icons';
import type { SignatureReport } from '../../../../src-main/shared/ipc-contract';
import { errorOf, invoke } from '../../api';
import { useIpc } from '../../ipc/useIpc';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { CopyButton } from '../../components/CopyButton';

interface KeyInfo {
  fingerprint: string;
  publicKeyPem: string;
  persistent: boolean;
  note: string;
}

export function ExportScreen() {
  const nav = useNav();
  const keyInfo = useIpc('bundle.keyInfo', {});
  const key: KeyInfo | null = keyInfo.value ?? null;
  const [exportError, setError] = useState('');
  const error = exportError || keyInfo.failure?.message || '';
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ path: string; bytes: number; verified: SignatureReport } | null>(null);


  if (!nav.site) return null;
  const siteId = nav.site.id;

  const doExport = async () => {
    setError('');
    setResult(null);
    setBusy(true);
    try {
      const r = await invoke('bundle.export', { siteId });
      if (r.ok) setResult(r);
      else setError(errorOf(r));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Export bundle"
        subtitle="A signed .icesso file for the ICE Server admin: the eight values, the checklist with evidence, and a printable summary. No tokens, no secrets."
        actions={
          <Button appearance="primary" icon={<ArrowExportRegular />} disabled={busy} onClick={() => void doExport()} data-testid="export-bundle">
            Export bundle…
          </Button>
        }
      />
      <ErrorBar error={error} title="Not exported" />
      {busy && <Spinner label="Writing, reading back and verifying…" />}
      {result && (
        <MessageBar intent={result.verified.valid ? 'success' : 'error'} layout="multiline" style={{ marginBottom: 12 }} data-testid="export-result">
          <MessageBarBody>
            <MessageBarTitle>{result.verified.valid ? 'Exported and verified' : 'Exported, but verification failed'}</MessageBarTitle>
            <div>
              <Text font="monospace">{result.path}</Text> ({result.bytes.toLocaleString()} bytes)
            </div>
            <div>Read back from the drive and checked: signature, every file's hash, schema.</div>
            {result.verified.problems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      <Section title="Signing key">
        {key ? (
          <div data-testid="key-info">
            <Text block>
              Fingerprint <Text font="monospace" weight="semibold">{key.fingerprint}</Text> <CopyButton text={key.fingerprint} label="fingerprint" />
            </Text>
            <Text block size={200} style={{ color: tokens.colorNeutralForeground3, margin: '8px 0' }}>
              {key.note}
            </Text>
            <details>
              <summary>Public key</summary>
              <pre style={{ fontSize: 12 }}>{key.publicKeyPem}</pre>
              <CopyButton text={key.publicKeyPem} label="public key" />
            </details>
          </div>
        ) : (
          !error && <Spinner size="tiny" label="Loading key…" />
        )}
      </Section>
    </>
  );
}
