// A windowed list: only the rows in view (plus a few) are in the DOM, so 10,000 rows scroll as
// smoothly as 10. Row heights are known up front (a number, or one per item: section headers are
// shorter), so offsets are a prefix sum and the first visible row a binary search.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number | ((item: T) => number);
  /** Index of the selected row, or -1. */
  selected: number;
  onSelect(index: number): void;
  onOpen?(index: number): void;
  renderRow(item: T, index: number, selected: boolean): ReactNode;
  /** Class of a row's box (default "row"): section headers look different. */
  rowClassName?(item: T, index: number): string;
  /** Rows that are not options (section headers): shown, but not selectable nor read as options. */
  isOption?(item: NoInfer<T>): boolean;
  /** Rows drawn above and below the viewport. */
  overscan?: number;
  label: string;
  testId?: string;
}

const everyRow = () => true;

/** offsets[i] = top of row i; offsets[n] = total height. */
export function rowOffsets<T>(items: readonly T[], rowHeight: number | ((item: T) => number)): Float64Array {
  const offsets = new Float64Array(items.length + 1);
  for (let i = 0; i < items.length; i++) offsets[i + 1] = offsets[i] + (typeof rowHeight === 'number' ? rowHeight : rowHeight(items[i]));
  return offsets;
}

/** The row at pixel `y`: the last i with offsets[i] <= y. */
export function rowAt(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

export function VirtualList<T>({ items, rowHeight, selected, onSelect, onOpen, renderRow, rowClassName, isOption = everyRow, overscan = 6, label, testId }: VirtualListProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const idBase = useId();
  const optionId = (i: number) => `${idBase}-option-${i}`;
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const offsets = useMemo(() => rowOffsets(items, rowHeight), [items, rowHeight]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the selected row in view when the keyboard moves it.
  useEffect(() => {
    const el = box.current;
    if (!el || selected < 0 || selected >= items.length) return;
    const top = offsets[selected];
    const bottom = offsets[selected + 1];
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
  }, [selected, offsets, items.length]);

  const first = items.length ? Math.max(0, rowAt(offsets, scrollTop) - overscan) : 0;
  const last = items.length ? Math.min(items.length, rowAt(offsets, scrollTop + height) + 1 + overscan) : 0;
  // aria-setsize/posinset count options only: a screen reader says "3 of 12" without the headers.
  const optionIndex = useMemo(() => {
    const index = new Int32Array(items.length);
    let n = 0;
    for (let i = 0; i < items.length; i++) index[i] = isOption(items[i]) ? ++n : 0;
    return { index, count: n };
  }, [items, isOption]);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const style = { height: offsets[i + 1] - offsets[i], transform: `translateY(${offsets[i]}px)`, top: 0 };
    const className = rowClassName?.(items[i], i) ?? 'row';
    if (!optionIndex.index[i]) {
      // A section header: presentation for assistive tech (the rows say their own state).
      rows.push(
        <div key={i} className={className} role="presentation" aria-hidden="true" style={style}>
          {renderRow(items[i], i, false)}
        </div>,
      );
      continue;
    }
    rows.push(
      <div
        key={i}
        id={optionId(i)}
        className={className}
        role="option"
        aria-selected={i === selected}
        aria-setsize={optionIndex.count}
        aria-posinset={optionIndex.index[i]}
        style={style}
        onClick={() => onSelect(i)}
        onDoubleClick={() => onOpen?.(i)}
      >
        {renderRow(items[i], i, i === selected)}
      </div>,
    );
  }
  const active = selected >= first && selected < last && optionIndex.index[selected] ? optionId(selected) : undefined;

  return (
    <div
      ref={box}
      className="vlist"
      role="listbox"
      aria-label={label}
      aria-activedescendant={active}
      data-testid={testId}
      data-rows={optionIndex.count}
      data-rendered={last - first}
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="vlist-inner" style={{ height: offsets[items.length] }}>
        {rows}
      </div>
    </div>
  );
}
