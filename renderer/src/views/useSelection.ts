import { useEffect, useRef, useState } from 'react';

/**
 * The selected row of a list, kept on the same item id when the list reloads. An id chosen
 * before the list holding it has arrived (a follow-up just replaced by a new one) waits for the
 * next list instead of falling back to the first row. `carry` names the id a selected id that is
 * gone stands for in the new list (a row that was still loading), else null.
 */
export function useSelection<T>(items: readonly T[], idOf: (t: T) => string | null, selectable: (t: T) => boolean = () => true, carry: (gone: string) => string | null = () => null) {
  const [selectedId, setSelected] = useState<string | null>(null);
  const chosenWith = useRef<readonly T[] | null>(null);
  const index = selectedId === null ? -1 : items.findIndex((t) => idOf(t) === selectedId);
  useEffect(() => {
    if (index !== -1 || !items.length) return;
    const carried = selectedId === null ? null : carry(selectedId);
    if (carried !== null) {
      chosenWith.current = null;
      return setSelected(carried);
    }
    if (selectedId !== null && chosenWith.current === items) return;
    const first = items.findIndex(selectable);
    chosenWith.current = null;
    if (first >= 0) setSelected(idOf(items[first]));
  }, [items, index]); // eslint-disable-line react-hooks/exhaustive-deps
  const setSelectedId = (id: string | null) => {
    chosenWith.current = items;
    setSelected(id);
  };
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

/** A list with section headers between entries: only entries can be selected, by their id. */
export type Sectioned<H, E extends { id: string }> = ({ kind: 'header' } & H) | { kind: 'entry'; entry: E };

export function useSectionedSelection<H, E extends { id: string }>(items: readonly Sectioned<H, E>[]) {
  return useSelection(
    items,
    (it) => (it.kind === 'entry' ? it.entry.id : null),
    (it) => it.kind === 'entry',
  );
}
