// Where sign-in goes (issue 8): the site's sign-in and Microsoft Graph hosts, on the Sign-in screen, and the
// confirmation a cloud that is not Microsoft's (from a site not made on this computer) needs before sign-in.
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { CloudView } from '../../../../src-main/shared/ipc-contract';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
  host: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  list: { margin: `${tokens.spacingVerticalS} 0`, paddingLeft: tokens.spacingHorizontalXL },
});

const NAMES = { global: 'Microsoft global cloud', usgov: 'Microsoft US Gov cloud', china: 'Microsoft China cloud' } as const;

export function CloudHostsLine({ cloud }: { cloud: CloudView }) {
  const styles = useStyles();
  return (
    <div className={styles.row} data-testid="signin-hosts">
      <Text>Signs in at</Text>
      <Text weight="semibold" className={styles.host} data-testid="signin-login-host">
        {cloud.login}
      </Text>
      <Text>· Microsoft Graph at</Text>
      <Text weight="semibold" className={styles.host}>
        {cloud.graph}
      </Text>
      {cloud.microsoft ? (
        <Badge appearance="tint" color="success">
          {NAMES[cloud.microsoft]}
        </Badge>
      ) : (
        <Badge appearance="tint" color={cloud.trusted ? 'informative' : 'warning'} data-testid="signin-cloud-badge">
          {cloud.trusted ? 'Custom cloud, trusted on this computer' : 'Not a Microsoft cloud'}
        </Badge>
      )}
    </div>
  );
}

export function ConfirmCloudDialog({ cloud, onTrust, onCancel }: { cloud: CloudView; onTrust(): void; onCancel(): void }) {
  const styles = useStyles();
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface data-testid="confirm-cloud-dialog">
        <DialogBody>
          <DialogTitle>Sign in at {cloud.login}?</DialogTitle>
          <DialogContent>
            <Text block>This site was not created on this computer and names a cloud that is not Microsoft’s (global, US Gov or China):</Text>
            <ul className={styles.list}>
              <li>
                Sign-in host <span className={styles.host}>{cloud.login}</span>
              </li>
              <li>
                Microsoft Graph host <span className={styles.host}>{cloud.graph}</span>
              </li>
            </ul>
            <Text block>
              Signing in sends your credentials and tokens to these hosts, and the device code comes from them. Trust them only if the customer runs this cloud. Nothing has been
              sent yet; your choice is remembered on this computer, not in the site file.
            </Text>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onTrust} data-testid="trust-cloud">
              Trust {cloud.login} and sign in
            </Button>
            <Button onClick={onCancel} data-testid="cancel-trust-cloud">
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
