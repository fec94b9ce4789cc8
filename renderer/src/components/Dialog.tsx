// A modal dialog: labelled by its title, Esc closes it (every dialog, issue 15), focus moves into
// it and back where it was, Tab stays inside, and no shortcut of the page behind it runs while it
// is open (App reads `dialogOpen()`).
import { useEffect, useId, useRef, type ReactNode } from 'react';

let open = 0;
/** Whether a dialog is open: the page's shortcuts wait. */
export const dialogOpen = (): boolean => open > 0;

export function Dialog({ title, onClose, children, testId, wide }: { title: string; onClose(): void; children: ReactNode; testId?: string; wide?: boolean }) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    open++;
    const before = document.activeElement as HTMLElement | null;
    const el = box.current;
    // The default action (marked data-autofocus: Queue, Keep it in Junk) or the first control.
    const first = el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>('button, textarea, input, select');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopImmediatePropagation();
        closeRef.current();
        return;
      }
      if (e.key === 'Tab' && el) {
        const controls = [...el.querySelectorAll<HTMLElement>('button:not([disabled]), textarea, input, select, [tabindex="0"]')];
        if (!controls.length) return;
        const [a, z] = [controls[0], controls[controls.length - 1]];
        if (e.shiftKey && document.activeElement === a) {
          e.preventDefault();
          z.focus();
        } else if (!e.shiftKey && document.activeElement === z) {
          e.preventDefault();
          a.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      open--;
      window.removeEventListener('keydown', onKey, true);
      before?.focus?.();
    };
  }, []);
  return (
    <div className="overlay" onClick={() => closeRef.current()}>
      <div
        ref={box}
        className={`dialog${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
