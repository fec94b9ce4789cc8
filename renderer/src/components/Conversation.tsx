// The messages of one conversation, as plain text. Mail HTML is never rendered: the service
// sends text only, and React escapes it.
import { useEffect, useState } from 'react';
import type { ConversationMessage } from '../../../main/core/api';
import { useShared } from '../context';
import { errorOf } from '../bridge';
import { formatAt } from '../time';

export function Conversation({ id }: { id: string }) {
  const { api } = useShared();
  const [messages, setMessages] = useState<ConversationMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setMessages(null);
    setError(null);
    api.conversation(id).then(
      (m) => live && setMessages(m),
      (e) => live && setError(errorOf(e).message),
    );
    return () => {
      live = false;
    };
  }, [api, id]);
  return (
    <section className="conversation" data-testid="conversation" aria-label="Conversation">
      {error && <p className="error-text">{error}</p>}
      {!messages && !error && <p className="hint">Loading the conversation…</p>}
      {messages?.map((m) => (
        <article className="message" key={m.id}>
          <header>
            <b>{m.from}</b> · {formatAt(m.date)} · {m.folders.join(', ')}
            <br />
            to {m.to.join(', ') || '—'}
          </header>
          <pre>{m.text ?? '(The text could not be fetched from the server.)'}</pre>
        </article>
      ))}
    </section>
  );
}
