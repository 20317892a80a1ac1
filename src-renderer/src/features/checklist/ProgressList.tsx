import { useState } from 'react';
import { Link, Spinner, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled } from '@fluentui/react-icons';
import type { ProgressEvent } from '../../../../src-main/shared/ipc-contract';

interface Row {
  key: string;
  summary: string;
  phase: ProgressEvent['phase'];
  request?: string;
  reason?: string;
}

/** One row per planned write, showing its latest phase (started → request → done | failed). */
export function groupProgress(events: ProgressEvent[]): Row[] {
  const rows = new Map<string, Row>();
  for (const e of events) {
    const row = rows.get(e.key) ?? { key: e.key, summary: e.summary, phase: e.phase };
    row.phase = e.phase;
    if (e.method) row.request = `${e.method} ${e.path ?? ''}${e.status !== undefined ? ` → ${e.status}` : ''}`;
    if (e.reason) row.reason = e.reason;
    rows.set(e.key, row);
  }
  return [...rows.values()];
}

/** The writes in words; the Graph request of each (method, path, status) one click away, as in the apply preview. */
export function ProgressList({ events }: { events: ProgressEvent[] }) {
  const rows = groupProgress(events);
  const [http, setHttp] = useState(false);
  const anyRequest = rows.some((r) => r.request);
  return (
    <>
      <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="progress">
        {rows.map((r) => (
          <li key={r.key} style={{ display: 'grid', gridTemplateColumns: '24px 1fr', gap: 8, padding: '4px 0' }} data-phase={r.phase}>
            <span style={{ paddingTop: 2 }}>
              {r.phase === 'done' ? (
                <CheckmarkCircleFilled fontSize={18} color={tokens.colorPaletteGreenForeground1} />
              ) : r.phase === 'failed' ? (
                <DismissCircleFilled fontSize={18} color={tokens.colorPaletteRedForeground1} />
              ) : (
                <Spinner size="extra-tiny" />
              )}
            </span>
            <span>
              <Text block>{r.summary}</Text>
              {http && r.request && (
                <Text block font="monospace" size={200} style={{ color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' }} data-testid="progress-request">
                  {r.request}
                </Text>
              )}
              {r.reason && (
                <Text block style={{ color: tokens.colorPaletteRedForeground1 }}>
                  {r.reason}
                </Text>
              )}
            </span>
          </li>
        ))}
      </ol>
      {anyRequest && (
        <Link as="button" onClick={() => setHttp((v) => !v)} aria-expanded={http} data-testid="progress-http-toggle" style={{ marginTop: 4, fontSize: tokens.fontSizeBase200 }}>
          {http ? 'Hide the Graph requests' : 'Show the Graph requests (method, address, status)'}
        </Link>
      )}
    </>
  );
}
