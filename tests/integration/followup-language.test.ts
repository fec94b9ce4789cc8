// The follow-up's language through the CLI against Dovecot (issue 12 item 3): the texts are read
// over IMAP (the contact's own mails first, quotes cut), `--lang` picks another language, a bad
// one is a usage error, and a --text without a question gets a note on stderr.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { buildMessage } from '../rig/mail.js';
import { removeDir, runCli, tempDir } from './helpers.js';

const PAT = 'pat@acme.test';
const NOW = '2026-12-01T10:00:00Z'; // a Tuesday
const LUCIA = 'Lucía Fernández <lucia@estudio-norte.es>';
const JONAS = 'Jonas Becker <jonas@hafenblick.de>';

describe('the follow-up in the thread’s language, through the CLI on Dovecot', { timeout: 240_000 }, () => {
  let dovecot: DovecotServer;
  let pat: MailUser;
  const dir = tempDir('triage-language-');
  const env = { TRIAGE_PASSWORD: 'pw-pat' };
  const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args], env);

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser(PAT, 'pw-pat');
    await pat.seed('INBOX', [
      // Lucía wrote in Spanish, quoting Pat's English below her words.
      {
        raw: buildMessage({
          from: LUCIA,
          to: PAT,
          subject: 'Presupuesto de la señalética',
          date: 'Tue, 24 Nov 2026 09:12:00 +0100',
          messageId: '<l1@estudio-norte.es>',
          body: 'Hola Pat:\n\nGracias por el presupuesto. Lo revisamos con el equipo y te confirmamos la fecha de entrega la semana que viene.\n\nUn saludo,\nLucía\n\nOn Mon, 23 Nov 2026 at 10:00, Pat Lee wrote:\n> Hi Lucía, please find the quote attached. Could you confirm the delivery date?\n',
        }),
        flags: ['\\Seen'],
      },
      // Jonas wrote in German, in another conversation.
      {
        raw: buildMessage({ from: JONAS, to: PAT, subject: 'Termine', date: 'Mon, 16 Nov 2026 08:30:00 +0100', messageId: '<j1@hafenblick.de>', body: 'Hallo Pat,\n\nvielen Dank für Ihre Nachricht. Wir melden uns bis Ende der Woche bei Ihnen.\n\nViele Grüße\nJonas\n' }),
        flags: ['\\Seen'],
      },
    ]);
    await pat.seed('Sent', [
      {
        raw: buildMessage({ from: `Pat Lee <${PAT}>`, to: LUCIA, subject: 'Re: Presupuesto de la señalética', date: new Date('2026-11-24T12:00:00Z'), messageId: '<p1@acme.test>', inReplyTo: '<l1@estudio-norte.es>', references: '<l1@estudio-norte.es>', body: 'Hi Lucía,\n\ngreat, thanks. Could you send the delivery date by Friday?\n\nPat\n' }),
        flags: ['\\Seen'],
      },
      {
        raw: buildMessage({ from: `Pat Lee <${PAT}>`, to: JONAS, subject: 'Logo files', date: new Date('2026-11-25T12:00:00Z'), messageId: '<p2@acme.test>', body: 'Hi Jonas,\n\nthe logo files are attached. Do they work for the printer?\n\nPat\n' }),
        flags: ['\\Seen'],
      },
    ]);
    const add = await cli('account', 'add', 'pat', '--imap-host', '127.0.0.1', '--imap-port', String(dovecot.port), '--user', PAT, '--security', 'none',
      '--smtp-host', '127.0.0.1', '--smtp-port', '2525', '--smtp-security', 'none', '--timezone', 'Europe/London', '--country', 'GB');
    expect(add.code, add.stderr).toBe(0);
    expect((await cli('sync')).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await dovecot?.stop();
    removeDir(dir);
  });

  const resend = async (...args: string[]) => {
    const r = await cli('resend', ...args, '--now', NOW, '--json', '--force');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/could not fetch/);
    return JSON.parse(r.stdout)[0] as Record<string, any>;
  };

  it("Lucía's thread: in Spanish (her words, not the English quote in them), quoting Pat's mail", async () => {
    const e = await resend('p1@acme.test');
    expect(e.language).toBe('es');
    expect(e.text).toMatch(/^Buenos días, Lucía:\n\nLe escribo para volver a poner «Presupuesto de la señalética»/);
    expect(e.text).toMatch(/Saludos cordiales,\nPat Lee\n\nEl .+, Pat Lee <pat@acme\.test> escribió:\n> Hi Lucía,/);
  });

  it('Jonas never wrote in this conversation: his other mail decides (German, formal)', async () => {
    const e = await resend('p2@acme.test');
    expect(e.language).toBe('de');
    expect(e.text).toMatch(/^Guten Tag Jonas Becker,\n\nich möchte „Logo files“/);
  });

  it('--lang picks another language; a language without templates is a usage error', async () => {
    const e = await resend('p2@acme.test', '--lang', 'nl');
    expect(e.language).toBe('nl');
    expect(e.text).toMatch(/^Beste Jonas,/);
    const bad = await cli('resend', 'p2@acme.test', '--now', NOW, '--lang', 'xx', '--force');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lang takes one of en, de, fr, es, it, pt, nl/);
  });

  it('a --text that asks nothing gets a note (it is queued all the same)', async () => {
    const r = await cli('resend', 'p2@acme.test', '--now', NOW, '--force', '--text', 'Hallo Jonas, nur zur Erinnerung.');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/asks no question/);
  });
});
