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
    [err('wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), 'tls-mismatch', /TLS handshake .* failed/],
    [err('Failed to receive greeting from server in required time', { code: 'GREETING_TIMEOUT' }), 'tls-mismatch', /sent no IMAP greeting/],
    [err('Connection timed out', { code: 'ETIMEDOUT' }), 'timeout', /did not answer in time/],
    [err('socket hang up', { code: 'ECONNRESET' }), 'connection-lost', /was lost/],
  ])('%s', (e, code, message) => {
    const out = describeImapError(e, server);
    expect(out.code).toBe(code);
    expect(out.message).toMatch(message);
    expect(out.message).not.toContain('\n');
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
    expect(out).toMatchObject({ code: 'server-refused', message: 'IMAP error from mail.example.test:993: NO [OVERQUOTA] Quota exceeded (mailbox for user is full)' });
  });
});

describe('withCrlf: what an APPEND carries', () => {
  it('CR and LF only together; bytes (8-bit, CRLF already there) kept', () => {
    const raw = Buffer.concat([Buffer.from('Subject: x\r\n\nline1\nline2\r\nbare CR\r'), Buffer.from([0xe9, 0x0a])]);
    expect(withCrlf(raw)).toEqual(Buffer.concat([Buffer.from('Subject: x\r\n\r\nline1\r\nline2\r\nbare CR\r\n'), Buffer.from([0xe9, 0x0d, 0x0a])]));
  });
});
