import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
} from '@fluentui/react-components';

/** A small dialog asking for a site name (rename, duplicate). */
export function NameDialog(props: {
  title: string;
  initial: string;
  action: string;
  onCancel(): void;
  onSubmit(name: string): Promise<string>;
}) {
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const err = await props.onSubmit(name);
    setBusy(false);
    setError(err);
  };
  return (
    <Dialog open onOpenChange={(_e, d) => !d.open && props.onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>
            <Field label="Site name" required validationMessage={error || undefined} validationState={error ? 'error' : 'none'}>
              <Input
                value={name}
                onChange={(_e, d) => setName(d.value)}
                onKeyDown={(e) => e.key === 'Enter' && void submit()}
                data-testid="name-dialog-input"
                autoFocus
              />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={props.onCancel}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={() => void submit()} disabled={busy} data-testid="name-dialog-submit">
              {props.action}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
