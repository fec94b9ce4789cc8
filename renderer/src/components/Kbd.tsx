import { keyCap } from '../shortcuts';

/** A key cap: seen, not read out (the control says its key in aria-keyshortcuts). */
export function Kbd({ k }: { k: string }) {
  return <kbd aria-hidden="true">{keyCap(k)}</kbd>;
}
