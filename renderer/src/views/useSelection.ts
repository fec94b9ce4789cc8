import { useEffect, useState } from 'react';

/** The selected row of a list, kept on the same item id when the list reloads. */
export function useSelection<T>(items: readonly T[], idOf: (t: T) => string | null, selectable: (t: T) => boolean = () => true) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  let index = selectedId === null ? -1 : items.findIndex((t) => idOf(t) === selectedId);
  useEffect(() => {
    if (index === -1 && items.length) {
      const first = items.findIndex(selectable);
      if (first >= 0) setSelectedId(idOf(items[first]));
    }
  }, [items, index]); // eslint-disable-line react-hooks/exhaustive-deps
  if (index === -1) index = -1;
  const select = (i: number) => {
    if (i >= 0 && i < items.length && selectable(items[i])) setSelectedId(idOf(items[i]));
  };
  const move = (delta: number) => {
    let i = index;
    for (let n = 0; n < items.length; n++) {
      i += delta;
      if (i < 0 || i >= items.length) return;
      if (selectable(items[i])) return select(i);
    }
  };
  return { index, selected: index >= 0 ? items[index] : null, select, move, setSelectedId };
}
