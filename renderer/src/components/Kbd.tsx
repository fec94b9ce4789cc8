export function Kbd({ k }: { k: string }) {
  return <kbd>{k.replace('Shift+', '⇧').replace('Ctrl+', 'Ctrl ').replace('ArrowDown', '↓').replace('ArrowUp', '↑')}</kbd>;
}
