import { useEffect, useState } from 'react';
import { Button, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { DeviceCodeEvent } from '../../../../src-main/shared/ipc-contract';
import { CopyButton } from '../../components/CopyButton';
import { invoke } from '../../api';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}` },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: '40px',
    letterSpacing: '6px',
    fontWeight: tokens.fontWeightSemibold,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL}`,
    border: `2px dashed ${tokens.colorBrandStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorBrandBackground2,
  },
});

function remaining(expiresAt: string, now: number): string {
  const ms = new Date(expiresAt).getTime() - now;
  if (!(ms > 0)) return 'expired';
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function DeviceCodePanel({ code, onCancel }: { code: DeviceCodeEvent; onCancel(): void }) {
  const styles = useStyles();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <div className={styles.root} data-testid="device-code">
      <Text>On any device, open</Text>
      <Link onClick={() => void invoke('app.openExternal', { url: code.verificationUri })}>{code.verificationUri}</Link>
      <Text>and enter the code</Text>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <span className={styles.code} data-testid="user-code">
          {code.userCode}
        </span>
        <CopyButton text={code.userCode} label="code" />
      </div>
      <Text size={200} style={{ color: tokens.colorNeutralForeground3 }} data-testid="expires-in">
        Expires in {remaining(code.expiresAt, now)}
      </Text>
      {code.loginHost && (
        <Text size={200} data-testid="device-code-host">
          Code issued by sign-in host <b>{code.loginHost}</b>
        </Text>
      )}
      <Button onClick={onCancel}>Cancel sign-in</Button>
    </div>
  );
}
