import { describe, expect, it } from 'vitest';
import { isNoReplyAddress, isOwnAddress, withoutSubaddress } from '../../../main/core/mail/addresses.js';
import { isListMessage, learnListAddresses, listAddressesOf, listIdAddressGuess, listPostAddress } from '../../../main/core/mail/lists.js';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { rec } from '../../fixtures/eml/fixtures.js';

describe('no-reply addresses', () => {
  it.each([
    'noreply@shop.example',
    'no-reply@shop.example',
    'no_reply@shop.example',
    'no.reply@shop.example',
    'donotreply@bank.example',
    'do-not-reply@bank.example',
    'do_not_reply@bank.example',
    'dontreply@bank.example',
    'noreply-7f3a@mail.service.example',
    'billing-noreply@saas.example',
    'MAILER-DAEMON@mx.example',
    'mailer-daemon@mx.example',
    'notifications@github.com',
    'notification@service.example',
    'bounce@mailer.example',
    'bounces+12345@mailer.example',
    'dev-bounces@lists.example',
  ])('%s takes no replies', (address) => {
    expect(isNoReplyAddress(address)).toBe(true);
  });

  it.each(['bob@partner.example', 'postmaster@partner.example', 'noreen@partner.example', 'reply@support.example', 'notifyme.team@x.example'])(
    '%s is a person or a read mailbox',
    (address) => {
      expect(isNoReplyAddress(address)).toBe(false);
    },
  );
});

describe('own addresses', () => {
  const own = new Set(['pat@acme.example', 'p.jones@acme.example']);
  it('aliases and +tags are the user', () => {
    expect(isOwnAddress('pat@acme.example', own)).toBe(true);
    expect(isOwnAddress('P.Jones@ACME.example', own)).toBe(true);
    expect(isOwnAddress('pat+notes@acme.example', own)).toBe(true);
    expect(isOwnAddress('pat@other.example', own)).toBe(false);
    expect(withoutSubaddress('a+b+c@x.example')).toBe('a@x.example');
  });
});

describe('mailing lists', () => {
  it('reads List-Post (RFC 2369) and guesses from List-Id (RFC 2919)', () => {
    expect(listPostAddress('<mailto:dev@lists.example>')).toBe('dev@lists.example');
    expect(listPostAddress('<mailto:dev@lists.example?subject=hi>, <https://lists.example/post>')).toBe('dev@lists.example');
    expect(listPostAddress('NO (posting not allowed)')).toBeNull();
    expect(listIdAddressGuess('"Linux kernel" <linux-kernel.vger.kernel.org>')).toBe('linux-kernel@vger.kernel.org');
    expect(listIdAddressGuess('<localhost>')).toBeNull();
  });

  it('learns list addresses from the traffic, and Majordomo lists from their Sender', () => {
    const post = rec('list-post.eml');
    const majordomo = recordFromEml(
      'From: Mel <mel@csn.example>\r\nSender: owner-linux-mm@kvack.example\r\nTo: joe@perches.example\r\nCc: linux-mm@kvack.example\r\nSubject: Re: x\r\nPrecedence: bulk\r\nMessage-ID: <m1@csn.example>\r\n\r\nok\r\n',
    );
    const lists = learnListAddresses([post, majordomo, rec('sent-q3-budget.eml', 'Sent')]);
    expect([...lists].sort()).toEqual(['dev@lists.example', 'linux-mm@kvack.example']);
    expect(isListMessage(post)).toBe(true);
    expect(isListMessage(majordomo)).toBe(true);
    expect(listAddressesOf(majordomo)).toEqual(['linux-mm@kvack.example']);
    expect(isListMessage(rec('reply-outlook-no-references.eml'))).toBe(false);
  });
});
