import { Button, Field, Input, Text, tokens, makeStyles } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, ArrowRightRegular } from '@fluentui/react-icons';
import type { FieldError, HostPreview } from '../../../../src-main/shared/ipc-contract';
import { messagesFor } from './fieldErrors';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalS },
  input: { flex: 1 },
  preview: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: '280px', paddingTop: '6px' },
});

/** ICE hosts: DC1, DC2 and aliases, each becoming https://<host>/sso. */
export function HostsEditor(props: {
  hosts: string[];
  preview: HostPreview[];
  errors: FieldError[];
  showErrors: boolean;
  onChange(hosts: string[]): void;
}) {
  const styles = useStyles();
  const { hosts } = props;
  // The core numbers hosts among the non-empty rows: map row index -> that index.
  const nonEmptyIndex: number[] = [];
  let n = 0;
  for (const h of hosts) nonEmptyIndex.push(h.trim() === '' ? -1 : n++);
  const listError = props.showErrors ? messagesFor(props.errors, 'hosts') : '';
  return (
    <Field
      label="ICE hosts (DC1, DC2, aliases)"
      required
      hint="Each host becomes a single-page application redirect URI https://<host>/sso (guide step 5B–C)."
      validationMessage={listError || undefined}
      validationState={listError ? 'error' : 'none'}
    >
      <div data-testid="hosts-editor">
        {hosts.map((h, i) => {
          const idx = nonEmptyIndex[i] ?? -1;
          const err = props.showErrors && idx >= 0 ? messagesFor(props.errors, `hosts[${idx}]`) : '';
          const pv = idx >= 0 ? props.preview[idx] : undefined;
          return (
            <div className={styles.row} key={i}>
              <Field
                className={styles.input}
                validationMessage={err || undefined}
                validationState={err ? 'error' : 'none'}
              >
                <Input
                  value={h}
                  placeholder="test.icnow.app"
                  aria-label={`ICE host ${i + 1}`}
                  data-testid={`host-${i}`}
                  onChange={(_e, d) => props.onChange(hosts.map((x, j) => (j === i ? d.value : x)))}
                />
              </Field>
              <div className={styles.preview} data-testid={`host-preview-${i}`}>
                {pv?.uri && (
                  <>
                    <ArrowRightRegular style={{ color: tokens.colorNeutralForeground3 }} />
                    <Text font="monospace" size={200}>
                      {pv.uri}
                    </Text>
                  </>
                )}
              </div>
              <Button
                appearance="subtle"
                icon={<DeleteRegular />}
                aria-label={`Remove host ${i + 1}`}
                disabled={hosts.length === 1}
                onClick={() => props.onChange(hosts.filter((_x, j) => j !== i))}
              />
            </div>
          );
        })}
        <Button icon={<AddRegular />} size="small" onClick={() => props.onChange([...hosts, ''])} data-testid="add-host">
          Add host
        </Button>
      </div>
    </Field>
  );
}
