import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { invoke, type Failure } from '../api';

/**
 * A failure: title, the message, and its code (small: what support asks for). When the failure carries the admin
 * consent link (a user who may not consent), a button copies it, for the engineer to send to the tenant's administrator.
 */
export function ErrorBar({ error, title = 'Something went wrong', code, failure }: { error: string; title?: string; code?: string; failure?: Pick<Failure, 'adminConsentUrl'> | null }) {
  if (!error) return null;
  const consentUrl = failure?.adminConsentUrl;
  return (
    <MessageBar intent="error" layout="multiline" style={{ marginBottom: 12 }} data-testid="error-bar">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        <span style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>{error}</span>
        {code && code !== 'failed' && (
          <span data-testid="error-code" style={{ display: 'block', fontSize: 12, opacity: 0.8 }}>
            Code: {code}
          </span>
        )}
      </MessageBarBody>
      {consentUrl && (
        <MessageBarActions>
          <Button size="small" onClick={() => void invoke('app.copyText', { text: consentUrl })} data-testid="copy-admin-consent">
            Copy admin consent link
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
