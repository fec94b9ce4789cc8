// The sample mailbox exercises all three jobs (issue 12 item 4): Resend queues a follow-up (in the
// conversation's language) that never leaves the machine, Cancel and Edit work, "Send now" is
// refused and the exact mail is shown instead, and Not junk / Undo move the sample mail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { EnvSecretStore } from '../../../main/core/deps/secrets.js';
import { TriageService } from '../../../main/core/service.js';

const NOW = '2026-11-20T10:00:00Z'; // a Friday, two days after the sample mail's newest
let dir: string;
let store: Store;
let service: TriageService;
const warnings: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-demo-jobs-'));
  store = await Store.open(dir);
  service = new TriageService({ store, secrets: new EnvSecretStore({}), now: () => new Date(NOW), log: { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m), scope() { return this; } } as never });
  await service.loadDemo();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const entryFor = async (subject: string) => {
  const e = (await service.unanswered({ now: NOW })).find((x) => x.subject === subject);
  if (!e) throw new Error(`no unanswered "${subject}"`);
  return e;
};

describe('the sample mailbox, third job', () => {
  it('previews a follow-up to Lena in German (her own mails are German), quoting the original', async () => {
    const p = await service.previewFollowUp((await entryFor('Logo files for the harbour signs')).id, { now: NOW });
    expect(p.language).toMatchObject({ code: 'de', source: 'contact' });
    expect(p.text).toMatch(/^Guten Tag Lena Vogel,\n\nich möchte „Logo files for the harbour signs“/);
    expect(p.text).toMatch(/Mit freundlichen Grüßen\nPat Lee\n\nAm .+ schrieb Pat Lee <pat@northwind-studio\.com>:\n> Hi Lena,/);
    expect(p.check).toMatchObject({ long: false, asks: true });
    expect(p.recipientTimeZone).toBe('Europe/Berlin');
    expect(warnings).toEqual([]); // the quote came from the bundled source, not a failed IMAP fetch
  });

  it('writes in the language the user picks instead', async () => {
    const p = await service.previewFollowUp((await entryFor('Logo files for the harbour signs')).id, { now: NOW, lang: 'fr' });
    expect(p.language).toMatchObject({ code: 'fr', source: 'chosen' });
    expect(p.text).toMatch(/^Bonjour Lena,/);
  });

  it('queues it (their time and ours), lets it be edited and cancelled, and never sends it', async () => {
    const original = await entryFor('Logo files for the harbour signs');
    const [q] = await service.resend(original.id, { now: NOW });
    expect(q).toMatchObject({ account: 'sample', demo: true, language: 'de', status: 'scheduled', recipientTimeZone: 'Europe/Berlin' });
    expect(q.scheduledAt).toMatch(/\+01:00$/);

    // The pictures place it on its week, on Lena's clock; without a follow-up, where one would go.
    const pic = await service.rhythmPicture('lena.vogel@hafenblick.de', { followUpId: q.id });
    expect(pic.planned).toMatchObject({ source: 'queued', followUpId: q.id, at: q.scheduledAt });
    expect(pic.timeZone).toBe('Europe/Berlin');
    expect(pic.wrote.flat().reduce((a, b) => a + b, 0)).toBe(pic.messages);
    expect(pic.summary.at(-1)).toMatch(/^The follow-up goes .+ their time, .+ your time \(.+\)\.$/);
    expect((await service.rhythmPicture('lena.vogel@hafenblick.de', { now: NOW })).planned?.source).toBe('if-queued-now');

    const edited = await service.updateFollowUp(q.id, { text: 'Guten Tag Lena Vogel,\n\nhaben Sie die Logo-Dateien erhalten?' });
    expect(edited.text).toContain('haben Sie die Logo-Dateien erhalten?');

    // Its time comes and goes: send-due passes it by.
    expect(await service.sendDue({ now: '2026-11-30T10:00:00Z' })).toEqual([]);
    expect((await service.queue()).find((x) => x.id === q.id)?.state).toBe('scheduled');

    await expect(service.sendNow(q.id)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/sample mailbox: nothing is ever sent/) });
    const mail = await service.outgoingMail(q.id);
    expect(mail.demo).toBe(true);
    const header = (name: string) => mail.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('to')).toBe('Lena Vogel <lena.vogel@hafenblick.de>');
    expect(header('from')).toBe('Pat Lee <pat@northwind-studio.com>');
    expect(header('subject')).toBe('Re: Logo files for the harbour signs');
    expect(header('in-reply-to')).toBe(`<${original.messageId}>`);
    expect(header('message-id')).toBe(`<${q.messageId}>`);
    expect(mail.text).toBe(edited.text);
    expect(mail.raw).toMatch(/\r\n\r\n/);

    const cancelled = await service.cancel(q.id);
    expect(cancelled.status).toBe('cancelled');
  });

  it('loading the sample mail again forgets its follow-ups', async () => {
    await service.resend((await entryFor('Shipping dates for December')).id, { now: NOW });
    expect((await service.queue()).length).toBeGreaterThan(0);
    await service.loadDemo();
    expect(await service.queue()).toEqual([]);
  });
});

describe('the sample mailbox, second job', () => {
  it('Not junk moves the mail to the Inbox on this computer, and Undo moves it back', async () => {
    const junk = await service.junk({ now: NOW });
    const invitation = junk.find((j) => j.subject === 'Invitation: factory visit in December')!;
    expect(invitation.verdict).toBe('rescue');
    const moved = await service.rescue(invitation.id);
    expect(moved).toMatchObject({ folder: 'INBOX', keywords: true });
    expect((await service.junk({ now: NOW })).some((j) => j.id === invitation.id)).toBe(false);
    const record = (await store.messages('sample')).get(invitation.id)!;
    expect(record.locations.map((l) => l.folder)).toEqual(['INBOX']);
    expect(record.locations[0].flags).toEqual(expect.arrayContaining(['$NotJunk', 'NonJunk']));

    const back = await service.rescue(invitation.id, { undo: true });
    expect(back.folder).toBe('Junk');
    expect((await service.junk({ now: NOW })).some((j) => j.id === invitation.id)).toBe(true);
    expect((await store.messages('sample')).get(invitation.id)!.locations[0].flags).toEqual(expect.arrayContaining(['$Junk', 'Junk']));
  });

  it('a forgery is still not moved without being forced', async () => {
    const fake = (await service.junk({ now: NOW })).find((j) => j.verdict === 'suspicious')!;
    await expect(service.rescue(fake.id)).rejects.toMatchObject({ code: 'needs-force' });
  });
});
