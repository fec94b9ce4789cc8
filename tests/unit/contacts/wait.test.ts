// How long to wait for a contact before a follow-up is due: the user's setting, their rhythm, the default.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../main/core/contacts/wait.js';

describe('waitFor', () => {
  it('default, rhythm (kept within 1–10 business days), and the user’s setting', () => {
    expect(waitFor({ rhythm: null, hoursPerDay: 8 })).toMatchObject({ days: 1, basis: 'default' });
    expect(waitFor({ rhythm: { answered: 2, p80ReplyHours: 80 }, hoursPerDay: 8 })).toMatchObject({ days: 1, basis: 'default', reason: 'default wait of 1 business day (only 2 measured replies)' });
    expect(waitFor({ rhythm: { answered: 3, p80ReplyHours: 36 }, hoursPerDay: 8 })).toMatchObject({ days: 4.5, basis: 'rhythm' });
    expect(waitFor({ rhythm: { answered: 5, p80ReplyHours: 1.75 }, hoursPerDay: 8 })).toMatchObject({ days: 1, basis: 'rhythm', reason: expect.stringContaining('at least 1 business day') });
    expect(waitFor({ rhythm: { answered: 5, p80ReplyHours: 200 }, hoursPerDay: 8 })).toMatchObject({ days: 10, basis: 'rhythm', reason: expect.stringContaining('at most 10 business days') });
    expect(waitFor({ rhythm: { answered: 5, p80ReplyHours: 200 }, waitDays: 3, hoursPerDay: 8 })).toMatchObject({ days: 3, basis: 'user' });
    expect(waitFor({ rhythm: null, waitDays: 0, hoursPerDay: 8 })).toMatchObject({ days: 0, basis: 'user' });
  });
});
