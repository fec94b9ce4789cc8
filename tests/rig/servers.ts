// Every IMAP server of the rig by kind, for tests that run one scenario against each:
//
//   describe.each(SERVER_KINDS)('%s', (kind) => {
//     let server: ImapServerRig;
//     beforeAll(async () => (server = await IMAP_SERVERS[kind]()));
//     afterAll(() => server?.stop());
//     ...
//   });
import { startCyrus } from './cyrus.js';
import { startDovecot } from './dovecot.js';
import type { ImapServerRig, ServerKind } from './imap-server.js';

export type { ImapServerRig, MailUser, ServerKind } from './imap-server.js';

export const IMAP_SERVERS: Record<ServerKind, () => Promise<ImapServerRig>> = {
  dovecot: () => startDovecot(),
  cyrus: () => startCyrus(),
};

export const SERVER_KINDS = Object.keys(IMAP_SERVERS) as ServerKind[];
