// Which records the body pass asks for (main/core/imap/bodies.ts): every one that needs its text
// and lacks it, whichever sync added it, newest first, from a location that did not fail before.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { MessageLog } from '../../../main/core/store/message-log.js';
import { recordsNeedingBody } from '../../../main/core/imap/bodies.js';
import { removeDir, tempDir } from '../../integration/helpers.js';
import { mailRecord } from '../support/mail-record.js';

const dsn = (i: number, folder = 'INBOX') =>
  mailRecord({
    id: `dsn-${i}@mx.example`,
    from: 'MAILER-DAEMON@mx.example',
    subject: 'Undelivered Mail Returned to Sender',
    date: `Mon, ${10 + i} Nov 2025 09:00:00 +0000`,
    headers: ['Content-Type: multipart/report; report-type=delivery-status; boundary="b"'],
    folder,
    uid: i,
  });
const person = mailRecord({ id: 'p@x.example', from: 'anna@x.example', subject: 'Hello', date: 'Mon, 10 Nov 2025 09:00:00 +0000', uid: 50 });

describe('recordsNeedingBody', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const open = async () => {
    const d = tempDir();
    dirs.push(d);
    return MessageLog.open(join(d, 'm.jsonl'));
  };

  it('asks for every record without a text, whichever run stored it, newest first', async () => {
    const log = await open();
    await log.put([dsn(1), person, dsn(3), { ...dsn(2), bodyText: 'fetched before' }]);
    const wanted = await recordsNeedingBody(log, new Set(['INBOX']));
    expect(wanted.map((w) => w.record.messageId)).toEqual(['dsn-3@mx.example', 'dsn-1@mx.example']);
    expect(wanted[0].location).toMatchObject({ folder: 'INBOX', uid: 3 });
  });

  it('never asks again where the server refused, but asks another location of the same record', async () => {
    const log = await open();
    const failed = { ...dsn(4), bodyError: { folder: 'INBOX', uid: 4, reason: 'NO [SERVERBUG] broken file', at: '2025-11-20T00:00:00.000Z' } };
    await log.put([failed]);
    expect(await recordsNeedingBody(log, new Set(['INBOX', 'Archive']))).toEqual([]);
    await log.put([{ ...failed, locations: [...failed.locations, { folder: 'Archive', uid: 9, flags: [] }] }]);
    expect((await recordsNeedingBody(log, new Set(['INBOX', 'Archive']))).map((w) => w.location)).toEqual([{ folder: 'Archive', uid: 9, flags: [] }]);
  });

  it('only asks in folders synced without error in this run', async () => {
    const log = await open();
    await log.put([dsn(5, 'Archive')]);
    expect(await recordsNeedingBody(log, new Set(['INBOX']))).toEqual([]);
    expect(await recordsNeedingBody(log, new Set(['Archive']))).toHaveLength(1);
  });
});
