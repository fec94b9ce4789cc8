// Which SMTP failures are worth another try (RFC 5321 §4.2.1: 4yz transient, 5yz permanent;
// RFC 4954: 535 a failed login, 454 a temporary authentication failure). Errors as nodemailer's
// SMTPConnection reports them.
import { describe, expect, it } from 'vitest';
import { permanentRefusal } from '../../../main/core/smtp/transaction.js';

const err = (code: string, responseCode?: number) => Object.assign(new Error('x'), { code, ...(responseCode ? { responseCode } : {}) });

describe('permanentRefusal', () => {
  it.each([
    ['535 at AUTH', [err('EAUTH', 535)], true],
    ['AUTH without a reply code (no mechanism the server takes)', [err('EAUTH')], true],
    ['no credentials', [err('ENOAUTH')], true],
    ['454 temporary authentication failure', [err('EAUTH', 454)], false],
    ['550 for every recipient', [err('EENVELOPE', 550), err('EENVELOPE', 553)], true],
    ['550 for one recipient, 450 (greylisting) for the other', [err('EENVELOPE', 550), err('EENVELOPE', 450)], false],
    ['554 to the data', [err('EMESSAGE', 554)], true],
    ['451 to the data', [err('EMESSAGE', 451)], false],
    ['connection refused', [err('ESOCKET')], false],
    ['a timeout', [err('ETIMEDOUT')], false],
    ['nothing known', [], false],
  ])('%s → %s', (_name, errors, permanent) => {
    expect(permanentRefusal(errors)).toBe(permanent);
  });
});
