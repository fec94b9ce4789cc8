// Address classes the analysis needs: the user's own addresses and addresses nobody reads.

/**
 * Local parts of addresses that do not take replies. RFC 3834 §5.1 asks auto-responders not to
 * answer such senders; we use the same list to skip sent mail that can never get an answer.
 * `postmaster` is left out on purpose: RFC 5321 §4.5.1 requires it to be a real, read mailbox.
 */
const NO_REPLY_LOCAL = [
  /^(?:no|do[-_.]?not|dont|never)[-_.]?reply(?:[-_.+].*)?$/,
  /^.+[-_.+](?:no|do[-_.]?not)[-_.]?reply$/, // "billing-noreply", "info.donotreply"
  /^mailer[-_.]?daemon$/,
  /^(?:notifications?|notify)(?:[-_.+].*)?$/,
  /^bounces?(?:[-_.+].*)?$/,
  /^.+[-_.](?:bounces?)$/, // Mailman's "list-bounces"
];

/** The part before the last '@', lower case. */
export function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return (at < 0 ? address : address.slice(0, at)).toLowerCase();
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** no-reply@, donotreply@, mailer-daemon@, notifications@, bounce@ and their common spellings. */
export function isNoReplyAddress(address: string): boolean {
  const local = localPart(address);
  return NO_REPLY_LOCAL.some((re) => re.test(local));
}

/**
 * "pat+lists@acme.com" is pat@acme.com: sub-addressing (RFC 5233) keeps the mailbox, so a mail
 * to a tagged own address is still a mail to the user.
 */
export function withoutSubaddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address.toLowerCase();
  const plus = address.indexOf('+');
  if (plus < 0 || plus > at) return address.toLowerCase();
  return (address.slice(0, plus) + address.slice(at)).toLowerCase();
}

/** Whether `address` is one of the user's addresses (aliases and +tags included). */
export function isOwnAddress(address: string, own: ReadonlySet<string>): boolean {
  if (own.has(address)) return true; // record addresses are lower case already
  const a = address.toLowerCase();
  return own.has(a) || (a.includes('+') && own.has(withoutSubaddress(a)));
}
