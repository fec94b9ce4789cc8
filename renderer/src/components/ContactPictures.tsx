// The contact panel's pictures, loaded from the core: a contact's week and reply delays, with a
// queued follow-up (or where one queued now would go) placed on that week.
import { useEffect, useState } from 'react';
import type { RhythmPicture } from '../../../main/core/api';
import { useShared } from '../context';
import { errorOf } from '../bridge';
import { RhythmPictures } from './RhythmPictures';

export function ContactPictures({ address, followUpId, refresh }: { address: string; followUpId?: string; refresh?: string }) {
  const { api } = useShared();
  const [picture, setPicture] = useState<RhythmPicture | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    // The core reads the whole mailbox for a rhythm: moving through the list with j/k asks only
    // for the row the user stops on.
    const timer = setTimeout(() => {
      api.rhythmPicture(address, followUpId ? { followUpId } : undefined).then(
        (p) => live && setPicture(p),
        (e) => live && setError(errorOf(e).message),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, address, followUpId, refresh]);
  if (error) return <p className="hint">Their rhythm could not be shown: {error}</p>;
  if (!picture || picture.address !== address.toLowerCase()) return <p className="hint">Reading their rhythm…</p>;
  return (
    <>
      <h3 className="rp-heading">
        Their week: {picture.name || picture.address} <span className="zone">{picture.timeZone}</span>
      </h3>
      <RhythmPictures picture={picture} />
    </>
  );
}
