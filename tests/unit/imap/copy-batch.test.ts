// Where sync puts each server copy (main/core/imap/copy-batch.ts): identical copies merge into one
// record with several locations; a copy with another From, Subject, Date or
// Authentication-Results is a message of its own, even under the same Message-ID.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { copyFileSync, mkdirSync } from 'node:fs';
import { MessageLog } from '../../../main/core/store/message-log.js';
import { CopyBatch, foldersToVerify, isUnverified } from '../../../main/core/imap/copy-batch.js';
import { localId } from '../../../main/core/mail/record.js';
import { removeDir, tempDir } from '../../integration/helpers.js';
import { mailRecord, type MailSpec } from '../support/mail-record.js';

const PASS = 'Authentication-Results: mx.acme.test; spf=pass smtp.mailfrom=client.test; dkim=pass header.d=client.test; dmarc=pass header.from=client.test';
const FAIL = 'Authentication-Results: mx.acme.test; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail header.from=evil.test';
const genuine = (folder: string, uid: number, extra: Partial<MailSpec> = {}) =>
  mailRecord({ id: 'r1@client.test', from: 'Anna <anna@client.test>', to: 'pat@acme.test', subject: 'Re: Quote', date: 'Wed, 4 Nov 2026 09:00:00 +0100', headers: [PASS], folder, uid, ...extra });
const forged = (folder: string, uid: number) =>
  genuine(folder, uid, { from: 'Anna <anna@client-billing.test>', headers: [FAIL], subject: 'Re: Quote - new bank details' });

describe('CopyBatch', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const open = async (fixture?: string) => {
    const d = tempDir();
    dirs.push(d);
    const file = join(d, 'messages', 'work.jsonl');
    if (fixture) {
      mkdirSync(join(d, 'messages'));
      copyFileSync(fixture, file);
    }
    return MessageLog.open(file);
  };
  const place = async (log: MessageLog, ...copies: ReturnType<typeof genuine>[]) => {
    const batch = new CopyBatch(log);
    const ids = copies.map((c) => batch.place(c));
    await batch.commit();
    return ids;
  };

  it('merges identical copies (Gmail All Mail and a label) into one record under the plain id', async () => {
    const log = await open();
    const [a, b] = await place(log, genuine('[Gmail]/All Mail', 7), genuine('INBOX', 3));
    expect(a).toBe(localId('work', 'r1@client.test'));
    expect(b).toBe(a);
    expect(log.size).toBe(1);
    expect(log.get(a)!.locations.map((l) => `${l.folder}:${l.uid}`)).toEqual(['[Gmail]/All Mail:7', 'INBOX:3']);
  });

  it('keeps a copy with other headers under the same Message-ID as a message of its own', async () => {
    const log = await open();
    const [g, f] = await place(log, genuine('INBOX', 1), forged('Junk', 1));
    expect(g).toBe(localId('work', 'r1@client.test'));
    expect(f).not.toBe(g);
    expect(f).toMatch(/^[0-9a-f]{12}$/);
    expect(log.get(g)!.from[0].address).toBe('anna@client.test');
    expect(log.get(g)!.locations).toEqual([{ folder: 'INBOX', uid: 1, flags: ['\\Seen'] }]);
    expect(log.get(f)!.from[0].address).toBe('anna@client-billing.test');
    expect(log.get(f)!.headers['authentication-results']).toContain('dmarc=fail');
    expect(log.get(f)!.locations).toEqual([{ folder: 'Junk', uid: 1, flags: ['\\Seen'] }]);
    // Stable: the same copies placed again (a resync) land in the same records.
    expect(await place(log, forged('Junk', 1), genuine('INBOX', 1))).toEqual([f, g]);
    expect(log.size).toBe(2);
  });

  it('a copy differing only in Date or Authentication-Results is another message too', async () => {
    const log = await open();
    const ids = await place(log, genuine('INBOX', 1), genuine('Junk', 1, { headers: [] }), genuine('Junk', 2, { date: 'Wed, 4 Nov 2026 09:00:01 +0100' }));
    expect(new Set(ids).size).toBe(3);
  });

  it('finds a split record again after the first record of its Message-ID was removed', async () => {
    const log = await open();
    const [g, f] = await place(log, genuine('INBOX', 1), forged('Junk', 1));
    const batch = new CopyBatch(log);
    batch.detach(g, 'INBOX', 1);
    await batch.commit();
    expect(log.get(g)).toBeUndefined();
    // Another copy of the forgery: joins its record, does not take the freed plain id.
    const [again] = await place(log, forged('Archive', 4));
    expect(again).toBe(f);
    expect(log.size).toBe(1);
    expect(log.get(f)!.locations.map((l) => l.folder)).toEqual(['Junk', 'Archive']);
  });

  it('never merges on an id alone: a record of another Message-ID in the slot is passed by', async () => {
    const log = await open();
    const squatter = { ...mailRecord({ id: 'other@x.test', from: 'x@x.test', subject: 's', date: 'Wed, 4 Nov 2026 09:00:00 +0100', folder: 'INBOX', uid: 9 }) };
    squatter._id = localId('work', 'r1@client.test'); // as if its Message-ID hashed to the same id
    await log.put([squatter]);
    const [id] = await place(log, genuine('INBOX', 1));
    expect(id).not.toBe(squatter._id);
    expect(log.get(squatter._id)!.messageId).toBe('other@x.test');
    expect(log.get(id)!.messageId).toBe('r1@client.test');
  });

  it('reads a store of the previous version: merged copies are unverified, and re-placing them splits the forgery off', async () => {
    const log = await open(join(import.meta.dirname, '../../fixtures/store/messages-one-record-per-message-id.jsonl'));
    expect(log.size).toBe(5);
    const anna = log.get(localId('work', 'anna-reply-1@client.test'))!;
    expect(anna.digest).toBeUndefined();
    expect(anna.locations.map((l) => `${l.folder}:${l.uid}`)).toEqual(['INBOX:1', 'Junk:1']);
    expect(anna.locations.every((l) => isUnverified(anna, l))).toBe(true);
    expect([...(await foldersToVerify(log))].sort()).toEqual(['INBOX', 'Junk', 'Sent']);

    // What sync does with the copies read again: detach each from the record that held it, place it.
    const inboxCopy = genuine('INBOX', 1, { id: 'anna-reply-1@client.test' });
    const junkCopy = { ...forged('Junk', 1), messageId: 'anna-reply-1@client.test' };
    junkCopy._id = 'unused';
    let batch = new CopyBatch(log);
    batch.detach(anna._id, 'INBOX', 1);
    expect(batch.place(inboxCopy)).toBe(anna._id); // the legacy record takes the INBOX copy's identity
    await batch.commit();
    const adopted = log.get(anna._id)!;
    expect(adopted.digest).toBe(inboxCopy.digest);
    expect(adopted.locations).toEqual([{ folder: 'INBOX', uid: 1, flags: ['\\Seen'] }, { folder: 'Junk', uid: 1, flags: [], unverified: true }]);
    expect([...(await foldersToVerify(log))].sort()).toEqual(['INBOX', 'Junk', 'Sent']); // bob, the bounce and Sent still wait

    batch = new CopyBatch(log);
    batch.detach(anna._id, 'Junk', 1);
    const forgeryId = batch.place(junkCopy);
    await batch.commit();
    expect(forgeryId).not.toBe(anna._id);
    expect(log.get(anna._id)!.locations.map((l) => l.folder)).toEqual(['INBOX']);
    expect(log.get(forgeryId)!.from[0].address).toBe('anna@client-billing.test');
    expect(log.get(forgeryId)!.locations).toEqual([{ folder: 'Junk', uid: 1, flags: ['\\Seen'] }]);
  });

  it('keeps a legacy record\'s text only when it can only have come from the copy read again', async () => {
    const log = await open(join(import.meta.dirname, '../../fixtures/store/messages-one-record-per-message-id.jsonl'));
    const bounce = log.get(localId('work', 'bounce-1@mx.acme.test'))!;
    expect(bounce.bodyText).toContain('Final-Recipient: rfc822; bob@corp.test');
    const copy = mailRecord({ id: 'bounce-1@mx.acme.test', from: 'MAILER-DAEMON@mx.acme.test', subject: 'Undelivered Mail Returned to Sender', date: 'Sat, 07 Nov 2026 09:00:00 +0000', folder: 'INBOX', uid: 3 });
    const batch = new CopyBatch(log);
    batch.detach(bounce._id, 'INBOX', 3);
    batch.place(copy);
    await batch.commit();
    expect(log.get(bounce._id)!.bodyText).toBe(bounce.bodyText);
    // A legacy record with two locations: which copy its text came from is unknown, so it goes
    // (the body pass fetches it again from the copy now known to be this one).
    const twice = { ...bounce, _id: localId('work', 'twice@mx.acme.test'), messageId: 'twice@mx.acme.test', locations: [{ folder: 'INBOX', uid: 8, flags: [] }, { folder: 'Junk', uid: 8, flags: [] }] };
    delete twice.digest;
    await log.put([twice]);
    const b2 = new CopyBatch(log);
    b2.detach(twice._id, 'INBOX', 8);
    const id = b2.place({ ...copy, messageId: 'twice@mx.acme.test', locations: [{ folder: 'INBOX', uid: 8, flags: [] }] });
    await b2.commit();
    expect(id).toBe(twice._id);
    expect(log.get(id)!.bodyText).toBeUndefined();
    expect(log.get(id)!.locations).toEqual([{ folder: 'INBOX', uid: 8, flags: [] }, { folder: 'Junk', uid: 8, flags: [], unverified: true }]);
  });
});
