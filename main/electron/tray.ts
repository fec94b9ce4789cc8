// The tray icon: the app keeps running with its window closed, so follow-ups go out whenever the
// machine is on (ARCHITECTURE.md, "While the window is closed").
import { Menu, Tray, nativeImage } from 'electron';

export function createTray({ icon, open, sync, sendDue, quit }: { icon: string; open(): void; sync(): void; sendDue(): void; quit(): void }): Tray {
  const tray = new Tray(nativeImage.createFromPath(icon).resize({ width: 18, height: 18 }));
  tray.setToolTip('Inbox Triage: follow-ups go out while this computer is on');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Inbox Triage', click: open },
      { label: 'Sync now', click: sync },
      { label: 'Send due follow-ups now', click: sendDue },
      { type: 'separator' },
      { label: 'Nothing is sent while this computer is off', enabled: false },
      { type: 'separator' },
      { label: 'Quit', click: quit },
    ]),
  );
  tray.on('click', open);
  return tray;
}
