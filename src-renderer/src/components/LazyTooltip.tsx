// A tooltip whose code (Fluent's Tooltip and its positioning engine, ~30 KB gzip) loads on first hover or focus,
// not at start-up. Until then the trigger carries the same accessible text Fluent's Tooltip would give it
// (aria-label for 'label', aria-description for 'description'), so screen readers lose nothing; once loaded the
// Fluent Tooltip is drawn beside the trigger (positioning target), so the trigger itself is never re-mounted
// (focus stays where it is).
import { cloneElement, lazy, Suspense, useState, type FocusEvent, type KeyboardEvent, type PointerEvent, type ReactElement } from 'react';

const TooltipNow = lazy(() => import('./TooltipNow'));

type TriggerProps = {
  onPointerEnter?(e: PointerEvent<HTMLElement>): void;
  onPointerLeave?(e: PointerEvent<HTMLElement>): void;
  onFocus?(e: FocusEvent<HTMLElement>): void;
  onBlur?(e: FocusEvent<HTMLElement>): void;
  onKeyDown?(e: KeyboardEvent<HTMLElement>): void;
};

export function LazyTooltip({
  content,
  relationship,
  withArrow,
  children,
}: {
  content: string;
  relationship: 'label' | 'description';
  withArrow?: boolean;
  children: ReactElement<TriggerProps>;
}) {
  const [target, setTarget] = useState<HTMLElement | null>(null);
  const [visible, setVisible] = useState(false);
  const p = children.props;
  const show = (e: { currentTarget: HTMLElement }) => {
    setTarget(e.currentTarget);
    setVisible(true);
  };
  const trigger = cloneElement(children, {
    ...(relationship === 'label' ? { 'aria-label': content } : { 'aria-description': content }),
    onPointerEnter: (e: PointerEvent<HTMLElement>) => {
      p.onPointerEnter?.(e);
      show(e);
    },
    onPointerLeave: (e: PointerEvent<HTMLElement>) => {
      p.onPointerLeave?.(e);
      setVisible(false);
    },
    onFocus: (e: FocusEvent<HTMLElement>) => {
      p.onFocus?.(e);
      show(e);
    },
    onBlur: (e: FocusEvent<HTMLElement>) => {
      p.onBlur?.(e);
      setVisible(false);
    },
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      p.onKeyDown?.(e);
      if (e.key === 'Escape' && visible) setVisible(false);
    },
  } as Partial<TriggerProps>);
  return (
    <>
      {trigger}
      {target && (
        <Suspense fallback={null}>
          <TooltipNow content={content} withArrow={withArrow} target={target} visible={visible} onHide={() => setVisible(false)} />
        </Suspense>
      )}
    </>
  );
}
