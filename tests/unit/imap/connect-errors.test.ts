// Every connection failure becomes one sentence with a next step, under a code the UI can use.
import { describe, expect, it } from 'vitest';
import { describeImapError } from '../../../main/core/imap/connect.js';

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
