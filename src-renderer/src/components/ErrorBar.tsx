import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

export function ErrorBar({ error, title = 'Something went wrong' }: { error: string; title?: string }) {
  if (!error) return null;
  return (
    <MessageBar intent="error" layout="multiline" style={{ marginBottom: 12 }} data-testid="error-bar">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {error}
      </MessageBarBody>
    </MessageBar>
  );
}
