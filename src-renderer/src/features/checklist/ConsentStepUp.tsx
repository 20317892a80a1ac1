import { MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import type { DeviceCodeEvent } from '../../../../src-main/shared/ipc-contract';
import { invoke } from '../../api';
import { DeviceCodePanel } from '../signin/DeviceCodePanel';

/**
 * A sign-in in the middle of a run. When Entra refused the saved sign-in for missing consent (the permission to
 * change app registrations was never granted to the sign-in app), the screen says what is happening and what an
 * administrator does on Microsoft's page; otherwise it is just "sign in again".
 */
export function ConsentStepUp({ code, running }: { code: DeviceCodeEvent; running: 'verify' | 'apply' }) {
  const perms = code.permissions?.filter((p) => !['openid', 'profile', 'offline_access'].includes(p)) ?? [];
  return (
    <div data-testid="consent-step-up" data-reason={code.reason ?? 'sign-in'}>
      {code.reason === 'consent' ? (
        <MessageBar intent="info" style={{ marginBottom: 8 }}>
          <MessageBarBody>
            <MessageBarTitle>Permission needed to {running === 'apply' ? 'make the changes' : 'read the tenant'}</MessageBarTitle>
            Your sign-in so far lets the assistant read app registrations. {running === 'apply' ? 'Writing them' : 'This step'} also needs{' '}
            <b>{perms.join(', ') || 'more permissions'}</b>, and this tenant has not yet allowed all of them for the sign-in app. Sign in once more with
            the code below. If you are an administrator, Microsoft then shows a consent page: tick &quot;Consent on behalf of your
            organization&quot; and choose Accept. If you are not, the assistant shows a link to send to your administrator; until then,
            Verify and the portal links on each step still work.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Text block>Sign in again to continue.</Text>
      )}
      <DeviceCodePanel code={code} onCancel={() => void invoke('auth.cancel', {})} />
    </div>
  );
}
