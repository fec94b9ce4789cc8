import { describe, expect, it } from 'vitest';
import { isSelectable, roleOf, specialUseHints, syncedByDefault } from '../../../main/core/imap/roles.js';

describe('folder roles', () => {
  it.each([
    [{ path: 'INBOX' }, 'inbox', 'special-use'],
    [{ path: 'Sent', specialUse: '\\Sent', specialUseSource: 'extension' }, 'sent', 'special-use'],
    [{ path: 'INBOX.Gesendet', specialUse: '\\Sent', specialUseSource: 'name' }, 'sent', 'name'],
    [{ path: 'Junk Email', specialUse: '\\Junk', specialUseSource: 'user' }, 'junk', 'user'],
    [{ path: '[Gmail]/All Mail', specialUse: '\\All', specialUseSource: 'extension' }, 'all', 'special-use'],
    [{ path: 'Projects' }, 'other', 'none'],
    [{ path: 'Starred', specialUse: '\\Flagged', specialUseSource: 'extension' }, 'other', 'none'],
  ])('%o → %s (%s)', (entry, role, source) => {
    expect(roleOf(entry)).toEqual({ role, source });
  });

  it('a user override wins over the server and the name', () => {
    expect(roleOf({ path: 'Spam', specialUse: '\\Junk', specialUseSource: 'extension' }, { Spam: 'archive' })).toEqual({ role: 'archive', source: 'user' });
  });

  it('overrides become imapflow specialUseHints', () => {
    expect(specialUseHints({ 'Junk Email': 'junk', 'Old/Archiv': 'archive', Foo: 'other' })).toEqual({ junk: 'Junk Email', archive: 'Old/Archiv' });
  });

  it('\\Noselect and \\NonExistent folders are not selectable (RFC 5258)', () => {
    expect(isSelectable({ path: '[Gmail]', flags: new Set(['\\Noselect', '\\HasChildren']) })).toBe(false);
    expect(isSelectable({ path: 'x', flags: new Set(['\\NonExistent']) })).toBe(false);
    expect(isSelectable({ path: 'INBOX', flags: new Set() })).toBe(true);
  });

  it('with an All Mail folder only it and Junk are synced by default', () => {
    expect(['inbox', 'sent', 'junk', 'archive', 'all', 'trash', 'drafts', 'other'].filter((r) => syncedByDefault(r as never, false))).toEqual(['inbox', 'sent', 'junk', 'archive', 'all']);
    expect(['inbox', 'sent', 'junk', 'archive', 'all'].filter((r) => syncedByDefault(r as never, true))).toEqual(['junk', 'all']);
  });
});
