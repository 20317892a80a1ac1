// LazyTooltip's loaded half: Fluent's Tooltip drawn at the trigger (the accessible text is already on the trigger).
import { Tooltip } from '@fluentui/react-components';

export default function TooltipNow({
  content,
  withArrow,
  target,
  visible,
  onHide,
}: {
  content: string;
  withArrow?: boolean;
  target: HTMLElement;
  visible: boolean;
  onHide(): void;
}) {
  return (
    <Tooltip
      content={content}
      relationship="inaccessible"
      withArrow={withArrow}
      positioning={{ position: 'above', target }}
      visible={visible}
      onVisibleChange={(_, d) => {
        if (!d.visible) onHide();
      }}
    >
      {null}
    </Tooltip>
  );
}
