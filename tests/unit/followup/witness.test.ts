// Which address the witness copy may go to (witness.ts): the login when it is an address; else a
// sub-address of the user's address named like the login, to be checked by a probe; else none.
import { describe, expect, it } from 'vitest';
import { loginAddress, probeCandidate } from '../../../main/core/followup/witness.js';

const account = (user: string, addresses: string[]) => ({ imap: { host: 'h', port: 993, security: 'tls' as const, user }, addresses });

describe('loginAddress', () => {
  it.each([
    ['Pat@Acme.com', 'pat@acme.com'],
    ['pat', null],
    ['ACME\\pat', null],
    ['pat@acme.com/shared', null],
    ['pat smith@acme.com', null],
    ['@acme.com', null],
  ])('%s → %s', (user, address) => expect(loginAddress(account(user, []))).toBe(address));
});

describe('probeCandidate', () => {
  it('a sub-address of the address named like the login, never of another one (a shared alias)', () => {
    expect(probeCandidate(account('pat', ['sales@acme.com', 'pat@acme.com']))).toEqual({ base: 'pat@acme.com', candidate: 'pat+triage-witness@acme.com' });
    expect(probeCandidate(account('ACME\\Pat', ['pat@acme.com']))).toEqual({ base: 'pat@acme.com', candidate: 'pat+triage-witness@acme.com' });
    expect(probeCandidate(account('pat', ['sales@acme.com']))).toBeNull();
  });
});
