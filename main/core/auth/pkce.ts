// PKCE (RFC 7636) with S256 and the `state` of the authorization request (RFC 6749 §10.12).
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** RFC 7636 §4.1: 32 random bytes give a 43-character verifier; §4.2: its S256 challenge. */
export function pkcePair(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier), method: 'S256' };
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** An unguessable state (128 bits): a callback without it is not the answer to our request. */
export function randomState(): string {
  return randomBytes(16).toString('base64url');
}

/** A short fingerprint of a token, to recognise it again without keeping it. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 16);
}
