import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ApplyPreviewView, PlannedWriteView, PortalChange } from '../../../../src-main/shared/ipc-contract';

const useStyles = makeStyles({
  surface: { maxWidth: '780px', width: 'calc(100vw - 48px)' },
  list: { marginTop: tokens.spacingVerticalM, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  item: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, ':last-child': { borderBottom: 'none' } },
  head: { display: 'grid', gridTemplateColumns: '28px 1fr', columnGap: tokens.spacingHorizontalS, alignItems: 'baseline', textAlign: 'left', padding: `${tokens.spacingVerticalXS} 0` },
  num: { color: tokens.colorNeutralForeground3, fontVariantNumeric: 'tabular-nums' },
  request: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', marginTop: '2px', minWidth: 0 },
  changes: { margin: '2px 0 0', paddingLeft: '18px', display: 'flex', flexDirection: 'column', gap: '1px' },
  path: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  panel: { padding: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalM} 40px` },
  pre: {
    margin: 0,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    maxHeight: '240px',
    overflow: 'auto',
    whiteSpace: 'pre',
  },
  note: { color: tokens.colorNeutralForeground3, marginTop: tokens.spacingVerticalXS },
  loading: { padding: `${tokens.spacingVerticalXL} 0` },
});

const METHOD_COLOUR: Record<PlannedWriteView['method'], 'brand' | 'informative' | 'danger'> = { POST: 'brand', PATCH: 'informative', DELETE: 'danger' };

/** A portal line with its verb emphasised: "Authentication › Single-page application: **add** https://…". */
function ChangeLine({ c }: { c: PortalChange }) {
  const where = c.setting ? `${c.blade} › ${c.setting}` : c.blade;
  const verb = c.action === 'set' ? 'set to' : c.action;
  const tone = c.action === 'remove' || c.action === 'revoke' || c.action === 'disable' ? tokens.colorPaletteRedForeground1 : tokens.colorNeutralForeground1;
  return (
    <li data-testid="portal-change" data-blade={c.blade} data-action={c.action}>
      <Text>
        {where}: <Text weight="semibold" style={{ color: tone }}>{verb}</Text> {c.items.join(', ')}
      </Text>
    </li>
  );
}

function WriteItem({ w, i }: { w: PlannedWriteView; i: number }) {
  const styles = useStyles();
  const changes = w.portal?.changes ?? [];
  return (
    <AccordionItem value={w.key} className={styles.item} data-testid="planned-write" data-key={w.key} data-method={w.method}>
      <AccordionHeader expandIconPosition="end" size="small">
        <span className={styles.head}>
          <Text className={styles.num}>{i + 1}.</Text>
          <span style={{ minWidth: 0 }}>
            <Text block weight="semibold" data-testid="planned-write-target">
              {w.portal?.target ?? w.summary}
            </Text>
            {changes.length > 0 ? (
              <ul className={styles.changes}>
                {changes.map((c, j) => (
                  <ChangeLine key={j} c={c} />
                ))}
              </ul>
            ) : (
              <Text block size={200}>
                {w.summary}
              </Text>
            )}
          </span>
        </span>
      </AccordionHeader>
      <AccordionPanel className={styles.panel}>
        <Text block size={200} className={styles.note} style={{ marginBottom: 4 }}>
          {w.summary}
        </Text>
        <span className={styles.request}>
          <Badge appearance="outline" size="small" color={METHOD_COLOUR[w.method]}>
            {w.method}
          </Badge>
          <span className={styles.path} data-testid="planned-write-request">
            {w.path}
          </span>
        </span>
        {w.headers && Object.keys(w.headers).length > 0 && (
          <Text block size={200} className={styles.note} style={{ marginBottom: 4 }}>
            Headers: {Object.entries(w.headers).map(([k, v]) => `${k}: ${v}`).join('; ')}
          </Text>
        )}
        {w.body && (
          // Scrolls when long: focusable so the keyboard can scroll it too.
          <pre className={styles.pre} data-testid="planned-write-body" tabIndex={0} aria-label={`Request body: ${w.summary}`}>
            {JSON.stringify(w.body, null, 2)}
          </pre>
        )}
        {w.placeholders.map((p) => (
          <Text block size={200} className={styles.note} key={p.placeholder}>
            <code>{p.placeholder}</code> is {p.meaning}; it is filled in when the write runs.
          </Text>
        ))}
      </AccordionPanel>
    </AccordionItem>
  );
}

/**
 * Apply writes to the customer's tenant: first show exactly what will be written (read and planned, nothing
 * sent), then ask. Cancel writes nothing.
 */
export function ConfirmApply({
  siteName,
  preview,
  onCancel,
  onConfirm,
}: {
  siteName: string;
  /** null while the tenant is being read and the writes planned. */
  preview: ApplyPreviewView | null;
  onCancel(): void;
  onConfirm(): void;
}) {
  const styles = useStyles();
  const n = preview?.writes.length ?? 0;
  return (
    <Dialog open onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface className={styles.surface} data-testid="confirm-apply-dialog">
        <DialogBody>
          <DialogTitle>
            {!preview ? 'Reading the tenant…' : n === 0 ? 'Nothing to write' : `Apply ${n} change${n === 1 ? '' : 's'} to the tenant?`}
          </DialogTitle>
          <DialogContent>
            {preview && (
              <Text block data-testid="apply-target" style={{ marginBottom: 8 }}>
                Target:{' '}
                {preview.target ? (
                  <>
                    app registration <b>&quot;{preview.target.displayName || '(no name)'}&quot;</b> (client id {preview.target.appId})
                  </>
                ) : (
                  <>a new app registration</>
                )}
              </Text>
            )}
            {!preview ? (
              <Spinner className={styles.loading} size="small" label="Planning the writes (read-only, nothing is changed)" />
            ) : n === 0 ? (
              <Text block>
                The app registration of <b>{siteName}</b> already matches the guide: apply would write nothing.
              </Text>
            ) : (
              <>
                <Text block>
                  For <b>{siteName}</b>, apply will make these changes, in this order, and nothing else: each as the Azure portal shows it. Nothing has been
                  sent yet. Open a change to see the Microsoft Graph request it sends.
                </Text>
                <Accordion multiple collapsible className={styles.list} data-testid="planned-writes">
                  {preview.writes.map((w, i) => (
                    <WriteItem key={w.key} w={w} i={i} />
                  ))}
                </Accordion>
                <Text block size={200} className={styles.note} style={{ marginTop: 12 }}>
                  Writing needs Application.ReadWrite.All; if this tenant has not consented to it yet, you are asked to sign in again and an
                  administrator accepts Microsoft&apos;s consent prompt. A second run changes nothing.
                </Text>
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onCancel} data-testid="cancel-apply">
              {preview && n === 0 ? 'Close' : 'Cancel'}
            </Button>
            {preview && n > 0 && (
              <Button appearance="primary" onClick={onConfirm} data-testid="confirm-apply">
                Apply {n} change{n === 1 ? '' : 's'}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
