// Prints what the rig costs on this machine: `npx tsx tests/rig/measure.ts [messages]`.
// Start, add user, seed N messages, Dovecot's first sync of them, restart, stop.
import { ImapFlow } from 'imapflow';
import { startDovecot } from './dovecot.js';
import { buildMessage } from './mail.js';

const count = Number(process.argv[2] ?? 10_000);
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

let t = performance.now();
const dovecot = await startDovecot();
console.log(`startDovecot        ${ms(t)}  (${dovecot.dir})`);

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
console.log(`first STATUS (Dovecot indexes the new files)  ${ms(t)}  → ${status ? status.messages : '?'} messages`);
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
