// "Show the mail": the exact message a follow-up would be, built by the same code that sends it
// (compose.ts buildRawMessage), dated now. On the sample mailbox this is what "Send now" shows,
// and nothing is sent.
import type { OutgoingMail } from '../api.js';
import { TriageError } from '../errors.js';
import { decodeWords } from '../mail/index.js';
import type { FollowUpDeps } from './deps.js';
import { buildRawMessage } from './compose.js';
import { bareId } from './queue.js';

/** Header fields of a message (up to the first empty line), unfolded (RFC 5322 §2.2.3). */
export function headerFields(raw: string): { name: string; value: string }[] {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  const out: { name: string; value: string }[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) {
      out[out.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) out.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
  }
  return out.map((h) => ({ name: h.name, value: decodeWords(h.value) }));
}

export async function outgoingMail(deps: Pick<FollowUpDeps, 'queue' | 'now'>, id: string): Promise<OutgoingMail> {
  const entry = await deps.queue.get(bareId(id));
  if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue.`, { cli: 'See "triage queue".' });
  // A sent one is shown as it went (its raw bytes are kept while sending); the rest as it would go now.
  const raw = entry.raw ?? (await buildRawMessage({ ...entry, date: deps.now() })).toString('utf8');
  return { id: entry.id, headers: headerFields(raw), text: entry.text, raw, demo: entry.demo === true };
}
