import { Badge } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import {
  CheckmarkCircleFilled,
  DismissCircleFilled,
  WarningFilled,
  InfoFilled,
  QuestionCircleFilled,
} from '@fluentui/react-icons';
import type { StepStatus } from '../../../src-main/shared/catalog';

const LOOK: Record<StepStatus, { color: 'success' | 'danger' | 'warning' | 'informative' | 'subtle'; label: string; icon: ReactElement }> = {
  pass: { color: 'success', label: 'Pass', icon: <CheckmarkCircleFilled /> },
  fail: { color: 'danger', label: 'Fail', icon: <DismissCircleFilled /> },
  warn: { color: 'warning', label: 'Warning', icon: <WarningFilled /> },
  info: { color: 'informative', label: 'Info', icon: <InfoFilled /> },
  unknown: { color: 'subtle', label: 'Unknown', icon: <QuestionCircleFilled /> },
};

export function StatusBadge({ status }: { status: StepStatus }) {
  const l = LOOK[status];
  return (
    <Badge appearance="tint" color={l.color} icon={l.icon} data-status={status} style={{ minWidth: 84 }}>
      {l.label}
    </Badge>
  );
}
