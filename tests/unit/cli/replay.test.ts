// Replays (issue 12 item 5): `--now ISO` on every command that judges by time, `triage junk` among
// them: known contacts as of that instant (the contract's words). The
// CLI runs in-process over a store in a temp dir (no server: these commands read the store).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/cli/index.js';
import { Store } from '../../../main/core/store/store.js';
import { foldersFromRoles } from '../../../main/core/store/mailbox.js';
import { mailRecord as mail } from '../support/mail-record.js';
import { PAT, account } from '../followup/queue-fixtures.js';

let dir: string;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  try {
    const code = await main(['--data-dir', dir, ...argv]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-replay-'));
  const store = await Store.open(dir);
  await store.saveAccount(account);
  for (const f of foldersFromRoles('work', { INBOX: 'inbox', Sent: 'sent', Junk: 'junk' })) await store.saveFolder(f);
  await (await store.messages('work')).put([
    // Pat first writes to Anna on 5 March: from then on she is a known contact.
    mail({ id: 'p1@acme.test', from: `Pat Lee <${PAT}>`, to: 'Anna Berg <anna@northwind.se>', subject: 'Offer', date: 'Thu, 05 Mar 2026 10:00:00 +0000', folder: 'Sent' }),
    // Anna's mails that the provider filed as Junk, before and after that.
    mail({ id: 'a1@northwind.se', from: 'Anna Berg <anna@northwind.se>', to: PAT, subject: 'Invoice 1', date: 'Wed, 04 Mar 2026 09:00:00 +0100', folder: 'Junk' }),
    mail({ id: 'a2@northwind.se', from: 'Anna Berg <anna@northwind.se>', to: PAT, subject: 'Invoice 2', date: 'Mon, 09 Mar 2026 09:00:00 +0100', folder: 'Junk' }),
  ]);
  await store.close();
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('triage junk --now', () => {
  it('as of 4 March (before Pat wrote to Anna): she is not known, nothing is listed', async () => {
    const r = await run('junk', '--json', '--now', '2026-03-04T12:00:00Z');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toEqual([]);
  });

  it('as of 6 March: Anna is known, her mails in Junk are to be rescued', async () => {
    const r = await run('junk', '--json', '--now', '2026-03-06T12:00:00Z');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.out) as Record<string, unknown>[];
    expect(entries.map((e) => [e.messageId, e.verdict])).toEqual([
      ['a2@northwind.se', 'rescue'],
      ['a1@northwind.se', 'rescue'],
    ]);
    // The contract's fields are all there.
    for (const k of ['id', 'account', 'messageId', 'from', 'subject', 'receivedAt', 'verdict', 'reasons']) expect(entries[0]).toHaveProperty(k);
  });

  it('without --now: the store as it is, both mails', async () => {
    const r = await run('junk', '--json');
    expect((JSON.parse(r.out) as { messageId: string }[]).map((e) => e.messageId).sort()).toEqual(['a1@northwind.se', 'a2@northwind.se']);
  });

  it('a --now that is not an instant is a usage error (exit 2)', async () => {
    const r = await run('junk', '--now', 'yesterday');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--now/);
  });
});

describe('the help says which commands take --now', () => {
  it('lists --now for unanswered, junk, resend, queue edit, queue send, send-due and contact', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const line of ['unanswered [--json] [--now ISO]', 'junk [--json] [--now ISO]', 'resend ID [--now ISO]', 'queue edit ID', 'queue send ID [--now ISO]', 'send-due [--now ISO]', 'contact EMAIL [--json] [--now ISO]']) {
      expect(r.out).toContain(line);
    }
    expect(r.out).toMatch(/--now ISO replaces the clock/);
  });
});
