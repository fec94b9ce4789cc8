// Every connection failure becomes one sentence with a next step, under a code the UI can use.
import { describe, expect, it } from 'vitest';
import { describeImapError, imapReason } from '../../../main/core/imap/connect.js';
import { withCrlf } from '../../../main/core/imap/copies.js';

const server = { host: 'mail.example.test', port: 993, security: 'tls' as const, user: 'pat@example.test' };
const err = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra);

describe('describeImapError', () => {
  it.each([
    [err('Authentication failed', { authenticationFailed: true }), 'auth-failed', /Wrong user name or password for pat@example.test/],
    [err('connect ECONNREFUSED', { code: 'ECONNREFUSED' }), 'unreachable', /connection was refused/],
    [err('getaddrinfo ENOTFOUND', { code: 'ENOTFOUND' }), 'unreachable', /no such host/],
    [err('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls-mismatch', /certificate of mail.example.test is not trusted.*NODE_EXTRA_CA_CERTS/],
    [err('wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), 'tls-mismatch', /mail.example.test:993 does not use TLS: it answered in plain text/],
    [err('Failed to receive greeting from server in required time', { code: 'GREETING_TIMEOUT' }), 'tls-mismatch', /sent no IMAP greeting over TLS/],
    [err('Server does not support STARTTLS'), 'tls-mismatch', /does not offer STARTTLS/],
    [err('Connection timed out', { code: 'ETIMEDOUT' }), 'timeout', /did not answer in time/],
    [err('socket hang up', { code: 'ECONNRESET' }), 'connection-lost', /was lost/],
  ])('%s', (e, code, message) => {
    const out = describeImapError(e, server);
    expect(out.code).toBe(code);
    expect(out.message).toMatch(message);
    expect(out.message).not.toContain('\n');
  });
});

describe('connectImap and smtpTransaction never send a password in plain text across a network', () => {
  it('refuse security none to a host that is not this machine, before any connection', async () => {
    const { connectImap } = await import('../../../main/core/imap/connect.js');
    const { smtpTransaction } = await import('../../../main/core/smtp/index.js');
    const server = { host: 'imap.example.com', port: 143, security: 'none' as const, user: 'pat@example.com' };
    await expect(connectImap({ server, password: 'secret' })).rejects.toMatchObject({ code: 'tls-mismatch', message: expect.stringContaining('without TLS') });
    const out = await smtpTransaction({ server: { ...server, port: 25 }, password: 'secret', envelopeFrom: 'pat@example.com', recipients: ['bob@example.com'], witness: null, raw: Buffer.from('x'), onDataEnd: async () => undefined });
    expect(out).toMatchObject({ ok: false, maybeAccepted: false, reason: expect.stringContaining('without TLS') });
  });
});

// Issue 15: the sentences a protocol mismatch gave before named TLS where none was in use, or
// showed OpenSSL's raw text. Here is what imapflow really throws in those cases (measured against
// the rig's Dovecot and SMTP server), and what the user reads now.
describe('describeImapError: a protocol mismatch is named as such', () => {
  const plain = { ...server, port: 2525, security: 'none' as const };
  const greetingTimeout = err('Failed to receive greeting from server in required time. Maybe should use TLS?', { code: 'GREETING_TIMEOUT' });
  const openssl = err('80AC61DDEC7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n', {
    code: 'ERR_SSL_WRONG_VERSION_NUMBER',
  });

  it('a plain port answered by an SMTP server: "not an IMAP server", no word of TLS', () => {
    const out = describeImapError(greetingTimeout, plain, { kind: 'smtp', line: '220 vm ESMTP' });
    expect(out.message).toBe('mail.example.test:2525 is not an IMAP server: it answered like an SMTP (sending) server ("220 vm ESMTP"). Check the port: IMAP is usually port 993 with TLS, or 143 with STARTTLS.');
    expect(out.message).not.toMatch(/TLS handshake|Maybe should use TLS/);
  });

  it('a plain port that says nothing: it may expect TLS from the start', () => {
    expect(describeImapError(greetingTimeout, plain, { kind: 'silent', line: '' }).message).toMatch(/sent no IMAP greeting in plain text: it may expect TLS from the start \(choose TLS\)/);
    expect(describeImapError(greetingTimeout, plain, { kind: 'tls', line: '' }).message).toBe('mail.example.test:2525 expects TLS from the start: choose TLS for this port.');
  });

  it("TLS against a plain IMAP port: OpenSSL's text is never shown", () => {
    const tls = { ...server, port: 143 };
    const out = describeImapError(openssl, tls, { kind: 'imap', line: '* OK Dovecot ready.' });
    expect(out.message).toBe('mail.example.test:143 does not use TLS: it answered in plain text. Choose STARTTLS (or none, on a trusted local server) for this port, or use the TLS port (usually 993).');
    expect(out.message).not.toMatch(/0A00010B|ssl3_get_record|openssl/i);
  });

  it('TLS against an SMTP port: named as not IMAP', () => {
    const out = describeImapError(openssl, { ...server, port: 587 }, { kind: 'smtp', line: '220 mx ESMTP' });
    expect(out.message).toMatch(/^mail.example.test:587 is not an IMAP server: it answered like an SMTP/);
  });

  it('an unknown failure quotes the server, never a stack', () => {
    const out = describeImapError(err('Command failed', { responseText: 'Mailbox is locked' }), server);
    expect(out.message).toBe('The IMAP server mail.example.test:993 refused: Mailbox is locked');
  });
});

describe('imapReason: what the server said, not imapflow’s "Command failed"', () => {
  it.each([
    [err('Command failed', { responseStatus: 'NO', responseText: 'Message contains bare newlines' }), 'NO Message contains bare newlines'],
    [err('Command failed', { responseStatus: 'NO', serverResponseCode: 'TRYCREATE', responseText: "Mailbox doesn't exist: Sent" }), "NO [TRYCREATE] Mailbox doesn't exist: Sent"],
    [err('Command failed', { responseStatus: 'BAD', response: 'A7 BAD Error in IMAP command APPEND: Invalid arguments' }), 'BAD Error in IMAP command APPEND: Invalid arguments'],
    [err('Connection not available', { code: 'NoConnection' }), 'Connection not available'],
  ])('%s', (e, words) => {
    expect(imapReason(e)).toBe(words);
  });

  it('a failed command with the server’s words keeps them in the sentence the user reads', () => {
    const out = describeImapError(err('Command failed', { responseStatus: 'NO', serverResponseCode: 'OVERQUOTA', responseText: 'Quota exceeded (mailbox for user is full)' }), server);
    expect(out).toMatchObject({ code: 'server-refused', message: 'The IMAP server mail.example.test:993 refused: NO [OVERQUOTA] Quota exceeded (mailbox for user is full)' });
  });
});

describe('withCrlf: what an APPEND carries', () => {
  it('CR and LF only together; bytes (8-bit, CRLF already there) kept', () => {
    const raw = Buffer.concat([Buffer.from('Subject: x\r\n\nline1\nline2\r\nbare CR\r'), Buffer.from([0xe9, 0x0a])]);
    expect(withCrlf(raw)).toEqual(Buffer.concat([Buffer.from('Subject: x\r\n\r\nline1\r\nline2\r\nbare CR\r\n'), Buffer.from([0xe9, 0x0d, 0x0a])]));
  });
});
