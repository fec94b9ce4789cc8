// `triage watch`: the desktop app's background work in a terminal, without a window: live updates
// (IDLE/NOTIFY), the poll, the follow-up sender every minute, and the notifications printed as
// lines. Ctrl-C stops it (the watch connections log out first). It holds the data-dir lock while it
// runs, like the app: run it instead of the app, not beside it.
import { untilStopped, type CliContext } from '../context.js';
import { parseArgs, UsageError } from '../args.js';
import { ApiEvents, bindApi, startBackground } from '../../app/index.js';

export async function watch(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, {});
  if (p.positionals.length) throw new UsageError('usage: triage watch');
  const service = await ctx.service();
  const events = new ApiEvents();
  const api = bindApi({ service, events });
  const at = () => new Date().toISOString().slice(11, 19);
  const say = (line: string) => process.stdout.write(`${at()} ${line}\n`);
  events.on((e) => {
    if (e.type === 'sync-done' && !e.summary.error) {
      const added = e.summary.folders.reduce((n, f) => n + f.added, 0);
      if (added) say(`${e.summary.account}: ${added} new`);
    } else if (e.type === 'changed' && e.counts) {
      const c = e.counts;
      say(`lists: ${c.unanswered} awaiting a reply (${c.due} due), ${c.junk} to rescue from Junk, ${c.queue} follow-up${c.queue === 1 ? '' : 's'} waiting`);
    } else if (e.type === 'notice') process.stderr.write(`triage: ${e.message}\n`);
  });
  const background = startBackground({
    api,
    events,
    notify: (n) => say(`${n.title}: ${n.body}`),
    live: (onNews) => service.watchMail({ onNews }),
  });
  process.stderr.write('triage watch: syncing, sending due follow-ups and watching for new mail (Ctrl-C stops it)\n');
  await untilStopped();
  await background.stop();
  return 0;
}
