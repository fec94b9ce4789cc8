// The `triage` command. Contract: ../shared/ARCHITECTURE.md, "CLI contract".
// Exit codes: 0 ok, 1 failure with a one-line reason on stderr, 2 bad usage.
// Commands are loaded when used: `triage --help` (and a usage error) load nothing of the core,
// and each command only what it imports (the built bundle splits along these imports).
import type { CliContext } from './context.js';
import { UsageError } from './args.js';

type Command = (ctx: CliContext, argv: string[]) => Promise<number>;
type Load = () => Promise<Command>;

const account = () => import('./commands/account.js');
const syncing = () => import('./commands/sync.js');
const lists = () => import('./commands/triage.js');
const followUps = () => import('./commands/followup.js');

/** Commands by their words; the longest match wins ("queue cancel" before "queue"). */
export const COMMANDS: Record<string, Load> = {
  'account add': async () => (await account()).accountAdd,
  'account list': async () => (await account()).accountList,
  'account remove': async () => (await account()).accountRemove,
  'account set-role': async () => (await account()).accountSetRole,
  'account sign-in': async () => (await account()).accountSignIn,
  sync: async () => (await syncing()).sync,
  status: async () => (await syncing()).status,
  unanswered: async () => (await lists()).unanswered,
  junk: async () => (await lists()).junk,
  rescue: async () => (await lists()).rescue,
  resend: async () => (await followUps()).resend,
  queue: async () => (await followUps()).queue,
  'queue cancel': async () => (await followUps()).queueCancel,
  'queue edit': async () => (await followUps()).queueEdit,
  'queue send': async () => (await followUps()).queueSend,
  'send-due': async () => (await followUps()).sendDue,
  serve: async () => (await import('./commands/serve.js')).serve,
  watch: async () => (await import('./commands/watch.js')).watch,
  contact: async () => (await import('./commands/contact.js')).contact,
};

const USAGE = `usage: triage [--data-dir DIR] <command>
  account add NAME --imap-host H --imap-port P --user U [--security tls|starttls|none]
                   [--smtp-host H --smtp-port P --smtp-security tls|starttls|none]
                   [--address EMAIL]... [--timezone IANA] [--country CC]
  account add NAME --oauth google|microsoft --user EMAIL [--client-id ID] [--client-secret S]
                   [--no-browser] [--print-refresh-token]   sign in in the browser, no password;
                                    servers default to the provider's (--imap-host etc. to change)
  account sign-in NAME [--no-browser] [--print-refresh-token]   sign an OAuth2 account in again
  account list [--json] [--check]   with the sign-in method and whether its token is valid
                                    (--check: get a token now to be sure)
  account remove NAME
  account set-role NAME FOLDER ROLE|auto    a folder's role by hand (e.g. "Junk Email" junk)
  sync [--account NAME]
  status [--json]
  unanswered [--json] [--now ISO] [--min-age HOURS] [--due]
  junk [--json] [--now ISO]         Junk mail from known contacts; --now: contacts as of then
  rescue ID [--undo] [--force]
  resend ID [--now ISO] [--plan N] [--cap N] [--force] [--text TEXT] [--lang LANG] [--hold MIN] [--json]
                                    queue a follow-up of a sent mail; --hold MIN: not before
                                    MIN minutes from now (time to cancel); --plan N (1-5) queues N,
                                    spaced 2, 4, 7, 11, 16 x their wait (1-3 business days) apart;
                                    each counts toward the limit per conversation (2): --cap N
                                    raises it, --force ignores it; --lang LANG (en de fr es it
                                    pt nl): written in LANG, not the conversation's language
  queue [--json]
  queue cancel ID [--plan]          --plan: every step of its plan that has not gone yet
  queue edit ID [--text TEXT] [--at ISO] [--now ISO]   new text, or a new time (moved into their window)
  queue send ID [--now ISO]         send it now, whatever the window (a reply still cancels it)
  send-due [--now ISO] [--confirm ID]...     send what is due; cancel what got a reply;
                                             --confirm sends a held (late) follow-up
  contact EMAIL [--json] [--now ISO] [--set-timezone IANA] [--set-country CC] [--set-hours HH:MM-HH:MM]
                [--set-wait-days N]          rhythm, time zone and your settings ("auto" clears one)
  serve [--port P]                  the app in a browser on 127.0.0.1, token-guarded
  watch                             the app's background work in a terminal: live updates (IMAP
                                    IDLE/NOTIFY), sync, due follow-ups, notifications as lines
--now ISO replaces the clock for that command (a replay: ages, known contacts, windows, due
checks): unanswered, junk, resend, queue edit, queue send, send-due, contact. The others judge
nothing by time (queue lists what is stored; cancel, rescue, sync and status act now).
DIR defaults to the app's data dir, or $TRIAGE_DATA_DIR. Passwords: $TRIAGE_PASSWORD_<NAME> or
$TRIAGE_PASSWORD, or a prompt on a terminal; never written to disk by the CLI. OAuth2: client ids
from --client-id, $TRIAGE_OAUTH_GOOGLE_CLIENT_ID / $TRIAGE_OAUTH_MICROSOFT_CLIENT_ID or Settings;
the refresh token from $TRIAGE_OAUTH_TOKEN_<NAME>, or a browser sign-in on a terminal; never
written to disk by the CLI (docs/OAUTH.md).`;

export async function main(argv: string[]): Promise<number> {
  let dataDir: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data-dir') {
      dataDir = argv[++i];
      if (!dataDir) return usage('--data-dir needs a value');
    } else if (argv[i].startsWith('--data-dir=')) {
      dataDir = argv[i].slice('--data-dir='.length);
      if (!dataDir) return usage('--data-dir needs a value');
    }
    else rest.push(argv[i]);
  }
  if (!rest.length || rest[0] === '--help' || rest[0] === 'help' || rest[0] === '-h') {
    // Asked for: usage on stdout, exit 0. No command at all: a usage error (stderr, exit 2).
    if (rest.length) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const two = `${rest[0]} ${rest[1] ?? ''}`;
  const name = COMMANDS[two] ? two : COMMANDS[rest[0]] ? rest[0] : null;
  if (!name) return usage(`unknown command "${rest.slice(0, 2).join(' ')}"`);
  const [command, { createContext }, { cliMessage }] = await Promise.all([COMMANDS[name](), import('./context.js'), import('../core/errors.js')]);
  const ctx = createContext(dataDir);
  try {
    return await command(ctx, rest.slice(name.split(' ').length));
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    process.stderr.write(`triage: ${cliMessage(e)}\n`);
    if (process.env.TRIAGE_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  } finally {
    await ctx.close().catch(() => undefined);
  }
}

function usage(message: string): number {
  process.stderr.write(`triage: ${message}\n${USAGE}\n`);
  return 2;
}
