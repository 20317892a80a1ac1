import { useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowExportRegular } from '@fluentui/react-icons';
import type { ReadinessView, SignatureReport } from '../../../../src-main/shared/ipc-contract';
import { errorOf, invoke } from '../../api';
import { useIpc } from '../../ipc/useIpc';
import { useVisit } from '../../app/visit';
import { useNav } from '../../app/nav';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ErrorBar } from '../../components/ErrorBar';
import { CopyButton } from '../../components/CopyButton';
import { when } from '../../components/when';

interface KeyInfo {
  fingerprint: string;
  keyId: string;
  publicKeyPem: string;
  publicKeyMinisign: string;
  persistent: boolean;
  note: string;
}


/** Ready / not ready, shown before the button: what the bundle will say to the admin. */
function ReadinessBar({ r }: { r: ReadinessView }) {
  if (!r.hasValues) {
    return (
      <MessageBar intent="error" layout="multiline" style={{ marginBottom: 12 }} data-testid="readiness" data-ready="no-values">
        <MessageBarBody>
          <MessageBarTitle>Not ready: nothing to export yet</MessageBarTitle>
          {r.refusal}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (r.ready) {
    return (
      <MessageBar intent="success" style={{ marginBottom: 12 }} data-testid="readiness" data-ready="true">
        <MessageBarBody>
          <MessageBarTitle>Ready to export</MessageBarTitle>
          No step fails in the latest results of this site.
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <MessageBar intent="error" layout="multiline" style={{ marginBottom: 12 }} data-testid="readiness" data-ready="false">
      <MessageBarBody>
        <MessageBarTitle>
          Not ready: {r.failing.length} step{r.failing.length === 1 ? '' : 's'} fail{r.failing.length === 1 ? 's' : ''}
        </MessageBarTitle>
        <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
          {r.failing.map((f) => (
            <li key={f.id} data-testid="failing-step">
              <Text font="monospace">{f.id}</Text> {f.title}: {f.found} <Text size={200} style={{ color: tokens.colorNeutralForeground3 }}>({f.kind}, {when(f.at)})</Text>
            </li>
          ))}
        </ul>
        Fix them and verify again. A bundle exported now says INCOMPLETE to the ICE Server admin.
      </MessageBarBody>
    </MessageBar>
  );
}

export function ExportScreen() {
  const nav = useNav();
  const visit = useVisit();
  const siteId = nav.site?.id;
  const keyInfo = useIpc('bundle.keyInfo', {});
  const key: KeyInfo | null = keyInfo.value ?? null;
  const readinessIpc = useIpc('bundle.readiness', siteId ? { siteId } : null);
  const readiness: ReadinessView | null = readinessIpc.value?.readiness ?? null;
  const [allowIncomplete, setAllowIncomplete] = useState(false);
  const [replacePath, setReplacePath] = useState<string | null>(null);
  const [exportError, setError] = useState('');
  const error = exportError || keyInfo.failure?.message || readinessIpc.failure?.message || '';
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ path: string; bytes: number; verified: SignatureReport; failing: string[] } | null>(null);

  if (!siteId) return null;

  const doExport = async (replace: boolean) => {
    setError('');
    setResult(null);
    setReplacePath(null);
    setBusy(true);
    try {
      const r = await invoke('bundle.export', { siteId, ...(allowIncomplete ? { allowIncomplete: true } : {}), ...(replace ? { replace: true } : {}) });
      if (r.ok) {
        setResult(r);
        // The journey's Export stage: done once a bundle was written and read back valid.
        if (r.verified.valid) visit.markExported(siteId);
      }
      // write.exists: the message names the file; "Replace" exports again with replace:true (main kept the path).
      else if (r.code === 'write.exists') setReplacePath(r.message);
      else if (r.code === 'bundle.incomplete') {
        setError(r.message);
        readinessIpc.reload();
      } else setError(errorOf(r));
    } finally {
      setBusy(false);
    }
  };

  const notReady = !!readiness && readiness.hasValues && !readiness.ready;
  const canExport = !!readiness && readiness.hasValues && (readiness.ready || allowIncomplete);
  const incomplete = result && result.failing.length > 0;

  return (
    <>
      <PageHeader
        title="Export bundle"
        subtitle="A signed .icesso file for the ICE Server admin: the eight values, the checklist with evidence, and a printable summary. No tokens, no secrets."
      />
      <ErrorBar error={error} title="Not exported" />
      {readiness ? <ReadinessBar r={readiness} /> : <Spinner size="tiny" label="Checking the latest results…" />}
      <Section>
        {notReady && (
          <Checkbox
            checked={allowIncomplete}
            onChange={(_, d) => setAllowIncomplete(!!d.checked)}
            data-testid="allow-incomplete"
            label={`Export anyway, as an INCOMPLETE bundle that tells the admin ${readiness.failing.map((f) => f.id).join(', ')} ${readiness.failing.length === 1 ? 'fails' : 'fail'}`}
          />
        )}
        <div style={{ marginTop: notReady ? 8 : 0 }}>
          <Button appearance="primary" icon={<ArrowExportRegular />} disabled={busy || !canExport} onClick={() => void doExport(false)} data-testid="export-bundle">
            {notReady ? 'Export incomplete bundle…' : 'Export bundle…'}
          </Button>
        </div>
      </Section>
      {busy && <Spinner label="Writing, reading back and verifying…" />}
      <Dialog open={replacePath !== null} onOpenChange={(_, d) => !d.open && setReplacePath(null)}>
        <DialogSurface data-testid="replace-dialog">
          <DialogBody>
            <DialogTitle>Replace the existing bundle?</DialogTitle>
            <DialogContent>
              <Text font="monospace">{replacePath}</Text> Replace it with the bundle made now? The old file is kept until the new one is written, read back and verified.
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void doExport(true)} data-testid="replace-confirm">
                Replace
              </Button>
              <Button onClick={() => setReplacePath(null)} data-testid="replace-cancel">
                Cancel
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      {result && (
        <MessageBar intent={!result.verified.valid ? 'error' : incomplete ? 'warning' : 'success'} layout="multiline" style={{ marginBottom: 12 }} data-testid="export-result">
          <MessageBarBody>
            <MessageBarTitle>{!result.verified.valid ? 'Exported, but verification failed' : incomplete ? 'Exported as INCOMPLETE and verified' : 'Exported and verified'}</MessageBarTitle>
            <div>
              <Text font="monospace">{result.path}</Text> ({result.bytes.toLocaleString()} bytes)
            </div>
            <div>Read back from the drive and checked with your key: signature, every file's hash, schema, summary.</div>
            {incomplete && <div>The bundle says INCOMPLETE: {result.failing.join(', ')} failed.</div>}
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
              Fingerprint <Text font="monospace" weight="semibold" data-testid="key-fingerprint">{key.fingerprint}</Text> <CopyButton text={key.fingerprint} label="fingerprint" />
            </Text>
            <Text block size={200} style={{ color: tokens.colorNeutralForeground3 }}>
              minisign key id {key.keyId}
            </Text>
            <Text block size={200} style={{ color: tokens.colorNeutralForeground3, margin: '8px 0' }}>
              {key.note}
            </Text>
            <details>
              <summary>Public key</summary>
              <Text block size={200} style={{ margin: '8px 0 4px' }}>
                For minisign: <Text font="monospace">minisign -Vm SHA256SUMS -P {key.publicKeyMinisign}</Text> <CopyButton text={key.publicKeyMinisign} label="minisign public key" />
              </Text>
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
