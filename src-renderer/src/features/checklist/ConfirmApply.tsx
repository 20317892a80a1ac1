import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Text } from '@fluentui/react-components';

/** Apply writes to the customer's tenant: say what will happen and ask first. */
export function ConfirmApply({ siteName, onCancel, onConfirm }: { siteName: string; onCancel(): void; onConfirm(): void }) {
  return (
    <Dialog open onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Apply the guide to the tenant?</DialogTitle>
          <DialogContent>
            <Text block>
              For <b>{siteName}</b> this creates the app registration if it does not exist yet, or repairs it: only the writes
              the checklist needs, nothing else in the tenant. A second run changes nothing.
            </Text>
            <Text block style={{ marginTop: 8 }}>
              It needs write permission (Application.ReadWrite.All); you may be asked to sign in again.
            </Text>
          </DialogContent>
          <DialogActions>
            <Button onClick={onCancel}>Cancel</Button>
            <Button appearance="primary" onClick={onConfirm} data-testid="confirm-apply">
              Apply
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
