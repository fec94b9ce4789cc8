// Shared by the tests of the rig itself (rig.test.ts, cyrus-rig.test.ts): imapflow clients as
// the app configures them, and seed messages. Product-free on purpose: no main/ imports.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { buildMessage } from '../rig/mail.js';

/** An imapflow client (not yet connected) for a rig user, over plain loopback, QRESYNC on. */
export function imapflowClient(port: number, user: { user: string; password: string }, extra: Partial<ImapFlowOptions> = {}): ImapFlow {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: user.user, pass: user.password },
    logger: false,
    qresync: true,
    ...extra,
  });
  // imapflow: an unhandled 'error' ends the process; attach before connect().
  client.on('error', () => {});
  return client;
}

export async function withImap<T>(port: number, user: { user: string; password: string }, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const client = imapflowClient(port, user);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => {});
  }
}

/** STATUS MESSAGES of a folder (imapflow returns false when STATUS fails). */
export async function countIn(c: ImapFlow, path: string): Promise<number | undefined> {
  const status = await c.status(path, { messages: true });
  return status ? status.messages : undefined;
}

/** STATUS UIDVALIDITY of a folder. */
export async function uidValidityOf(c: ImapFlow, path: string): Promise<bigint | undefined> {
  const status = await c.status(path, { uidValidity: true });
  return status ? status.uidValidity : undefined;
}

export const day = (n: number) => new Date(Date.UTC(2024, 0, n, 9, 30, 0));

/** `count` messages "prefix 1".."prefix N" dated day 1..N, the first one \Seen. */
export function seedMessages(from: string, to: string, prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    raw: buildMessage({ from, to, subject: `${prefix} ${i + 1}`, date: day(i + 1) }),
    flags: i === 0 ? ['\\Seen'] : [],
    internalDate: day(i + 1),
  }));
}
