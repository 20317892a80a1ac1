import { Link, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { DocumentErrorRegular } from '@fluentui/react-icons';
import type { DamagedSite } from '../../../../src-main/shared/ipc-contract';

/** Site files that could not be opened: named, left untouched, each with "Move to trash". */
export function DamagedSites({ damaged, onTrash }: { damaged: DamagedSite[]; onTrash(d: DamagedSite): void }) {
  if (!damaged.length) return null;
  return (
    <MessageBar intent="warning" layout="multiline" style={{ marginBottom: 12 }} data-testid="damaged-sites">
      <MessageBarBody>
        <MessageBarTitle>{damaged.length === 1 ? 'One file could not be opened' : `${damaged.length} files could not be opened`}</MessageBarTitle>
        They were left untouched. The other sites load normally.
        <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
          {damaged.map((d) => (
            <li key={d.file} data-testid="damaged-site">
              <DocumentErrorRegular style={{ verticalAlign: 'middle' }} /> <Text weight="semibold">{d.file}</Text>: {d.error}{' '}
              <Link onClick={() => onTrash(d)}>Move to trash</Link>
            </li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
