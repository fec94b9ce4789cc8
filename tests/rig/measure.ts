// Prints what the rig costs on this machine: `npx tsx tests/rig/measure.ts [messages] [dovecot|cyrus]`.
// Start, add user, seed N messages, the server's first look at them, restart, stop.
import { ImapFlow } from 'imapflow';
import { buildMessage } from './mail.js';
import { IMAP_SERVERS, type ServerKind } from './servers.js';

const count = Number(process.argv[2] ?? 10_000);
const kind = (process.argv[3] ?? 'dovecot') as ServerKind;
if (!IMAP_SERVERS[kind]) throw new Error(`unknown server ${kind}; one of ${Object.keys(IMAP_SERVERS).join(', ')}`);
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

let t = performance.now();
const dovecot = await IMAP_SERVERS[kind]();
console.log(`start ${kind}       ${ms(t)}  (${dovecot.dir})`);

t = performance.now();
const user = await dovecot.addUser('bench@example.com', 'bench');
console.log(`addUser             ${ms(t)}`);

const base = Date.UTC(2024, 0, 1);
const messages = Array.from({ length: count }, (_, i) => ({
  raw: buildMessage({ from: `sender${i % 97}@example.net`, to: user.user, subject: `Message ${i}`, date: new Date(base + i * 60_000) }),
  flags: i % 3 === 0 ? ['\\Seen'] : [],
  internalDate: new Date(base + i * 60_000),
}));
t = performance.now();
await user.seed('INBOX', messages);
console.log(`seed ${count} messages  ${ms(t)}`);

const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: user.user, pass: user.password }, logger: false });
client.on('error', () => {});
await client.connect();
t = performance.now();
const status = await client.status('INBOX', { messages: true });
console.log(`first STATUS (Dovecot indexes the new files; Cyrus has them indexed)  ${ms(t)}  → ${status ? status.messages : '?'} messages`);
await client.mailboxOpen('INBOX');
const last = await client.fetchOne('*', { envelope: true });
console.log(`last UID's subject: ${last ? last.envelope?.subject : '?'} (seeding order = UID order)`);
await client.logout();

t = performance.now();
await dovecot.restart();
console.log(`restart             ${ms(t)}`);
t = performance.now();
await dovecot.stop();
console.log(`stop                ${ms(t)}`);
