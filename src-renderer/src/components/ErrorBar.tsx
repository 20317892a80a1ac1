import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

/** A failure: title, the message, and its code (small: what support asks for). */
export function ErrorBar({ error, title = 'Something went wrong', code }: { error: string; title?: string; code?: string }) {
  if (!error) return null;
  return (
    <MessageBar intent="error" layout="multiline" style={{ marginBottom: 12 }} data-testid="error-bar">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {error}
        {code && code !== 'failed' && (
          <span data-testid="error-code" style={{ display: 'block', fontSize: 12, opacity: 0.8 }}>
            Code: {code}
          </span>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
