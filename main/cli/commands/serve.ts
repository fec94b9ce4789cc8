// `triage serve [--port P]`: the app in a browser on 127.0.0.1, guarded by a per-run token.
import { untilStopped, type CliContext } from '../context.js';
import { bool, int, parseArgs, UsageError } from '../args.js';
import { runServe } from '../../serve/index.js';

export async function serve(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { port: 'string', 'no-background': 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage serve [--port P]');
  const port = int(p, 'port') ?? 0;
  if (port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${port}"`);
  // serve opens the store itself (it holds the data-dir lock while it runs).
  const run = await runServe({ dataDir: ctx.dataDir, port, background: !bool(p, 'no-background'), log: (l) => process.stderr.write(`${l}\n`) });
  process.stderr.write('triage serve: open this address in your browser (Ctrl-C stops it):\n');
  process.stdout.write(`${run.server.url}\n`);
  await untilStopped();
  await run.stop();
  return 0;
}
