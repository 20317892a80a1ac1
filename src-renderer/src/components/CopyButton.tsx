import { useState } from 'react';
import { Button, Tooltip } from '@fluentui/react-components';
import { CopyRegular, CheckmarkRegular } from '@fluentui/react-icons';
import { invoke } from '../api';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <Tooltip content={done ? 'Copied' : `Copy ${label}`} relationship="label">
      <Button
        appearance="subtle"
        size="small"
        icon={done ? <CheckmarkRegular /> : <CopyRegular />}
        data-testid={`copy-${label}`}
        onClick={() =>
          void invoke('app.copyText', { text }).then(() => {
            setDone(true);
            setTimeout(() => setDone(false), 1500);
          })
        }
      />
    </Tooltip>
  );
}
