// What a list pane shows besides its rows: the last error, and the empty state. The row heights
// of a sectioned list (section headers between entries) live here too, for the virtual list.

export function ListError({ error }: { error: string | null | undefined }) {
  return error ? <p className="error-text list-error">{error}</p> : null;
}

export function EmptyList({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

/** A section header row is shorter than an entry's two lines. */
export const sectionedRowHeight = (item: { kind: string }): number => (item.kind === 'header' ? 34 : 58);

/** Only entries are options of the listbox; section headers are not (issue 15). */
export const isEntry = (item: { kind: string }): boolean => item.kind === 'entry';
