// Starts real Dovecot 2.3 instances for integration tests: one temp dir each (config, sockets,
// state, logs, Maildirs), IMAP and LMTP on free loopback ports, users added on the fly.
// Needs root (the master setuids to vmail/dovenull) and what tests/rig/provision.js installs.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dovecotConfig, OAUTH2_ARGS_FILE, oauth2PassdbArgs, type Flavor, type OAuth2Config } from './dovecot-config.js';
import { defaultBaseDir, startInstance, waitPortsFree } from './process.js';
import { DIR_PREFIX, dovecotInstalled, haltMaster, launchMaster, logTail, sweepStaleDirs } from './dovecot-process.js';
import { lmtpKnowsUser } from './lmtp.js';
import { ensureHome, ensureMaildir, folderDir, subscribe, writeMessages, type Owner, type SeedMessage } from './maildir.js';
import { ImapWire } from './imap-wire.js';
import { imapLoginWorks, sleep } from './net.js';
import { layoutFolders, type ImapServerRig, type Layout, type MailUser } from './imap-server.js';

export type { SeedMessage } from './maildir.js';
export type { OAuth2Config, OAuthMechanism } from './dovecot-config.js';
export type { Layout, MailUser } from './imap-server.js';

export interface StartOptions {
  flavor?: Flavor;
  /** Parent of the instance dir; default /dev/shm when writable (file creation there is ~10x
   *  cheaper than on disk, which is what seeding does), else the OS temp dir. */
  baseDir?: string;
  /** Bearer-token logins (XOAUTH2/OAUTHBEARER) through Dovecot's oauth2 passdb, validated at
   *  the introspection URL (tests/rig/oauth.ts). Off by default. `passwords: false` makes an
   *  "OAuth2 only" server: no PLAIN/LOGIN advertised, the LOGIN command refused. */
  oauth2?: OAuth2Config;
  /** auth_debug = yes in dovecot.conf: dovecot.log then says why a login was refused. */
  authDebug?: boolean;
}

/** The master's PID is `pid`. */
export interface DovecotServer extends ImapServerRig {
  readonly kind: 'dovecot';
  flavor: Flavor;
  /** The oauth2 settings it was started with, if any. */
  oauth2?: OAuth2Config;
}

const MAIL_USER = 'vmail';

/** role → IMAP path of a layout's folders; the flavor decides how names are joined. */
export function folderPaths(flavor: Flavor, layout: Layout): Record<string, string> {
  return layoutFolders(layout, (names) => (flavor === 'courier' ? `INBOX.${names.join('.')}` : names.join('/')));
}

function mailOwner(): Owner {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${MAIL_USER}:`));
  if (!line) throw new Error(`no "${MAIL_USER}" user: run  node tests/rig/provision.js  (as root)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

class Instance implements DovecotServer {
  readonly kind = 'dovecot' as const;
  readonly host = '127.0.0.1' as const;
  private child: ChildProcess | undefined;

  constructor(
    readonly dir: string,
    readonly flavor: Flavor,
    public port: number,
    public lmtpPort: number,
    private readonly owner: Owner,
    readonly oauth2?: OAuth2Config,
    private readonly authDebug?: boolean,
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  writeConfig(): void {
    const config = dovecotConfig({
      flavor: this.flavor,
      dir: this.dir,
      instanceName: `it-${basename(this.dir)}`,
      imapPort: this.port,
      lmtpPort: this.lmtpPort,
      mailUid: this.owner.uid,
      mailGid: this.owner.gid,
      mailUser: MAIL_USER,
      ...(this.oauth2 ? { oauth2: this.oauth2 } : {}),
      ...(this.authDebug ? { authDebug: true } : {}),
    });
    writeFileSync(join(this.dir, 'dovecot.conf'), config);
    // Read by the auth process (root) at start-up.
    if (this.oauth2) writeFileSync(join(this.dir, OAUTH2_ARGS_FILE), oauth2PassdbArgs(this.oauth2), { mode: 0o644 });
  }

  async launch(): Promise<void> {
    this.child = await launchMaster(this.dir, this.port);
  }

  async stop(): Promise<void> {
    if (this.child) await haltMaster(this.child, this.dir);
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  async restart(): Promise<void> {
    if (this.child) await haltMaster(this.child, this.dir);
    await waitPortsFree([this.port, this.lmtpPort]);
    await this.launch();
  }

  async addUser(user: string, password: string, layout: Layout = 'standard'): Promise<MailUser> {
    // The name becomes a file name (users/%u) and a home dir; Dovecot lower-cases it (%Lu).
    if (!/^[A-Za-z0-9._+-]+(@[A-Za-z0-9.-]+)?$/.test(user)) throw new Error(`unsupported user name: ${user}`);
    if (/[:\r\n]/.test(password)) throw new Error('a passwd-file password cannot contain ":" or a line break');
    const name = user.toLowerCase();
    const home = join(this.dir, 'mail', name);
    const maildir = join(home, 'Maildir');
    const folders = folderPaths(this.flavor, layout);
    ensureHome(home, this.owner);
    ensureMaildir(maildir, this.owner, false);
    const mailUser = userMailbox({ user, password, layout, folders, maildir, flavor: this.flavor, owner: this.owner, port: () => this.port });
    for (const path of Object.values(folders)) await mailUser.createFolder(path);
    // passwd-file: user:password:uid:gid:gecos:home:shell:extra; uid, gid and home come from
    // userdb default_fields.
    writeFileSync(join(this.dir, 'users', name), `${name}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
    await this.waitForLogin(user, password);
    return mailUser;
  }

  private async waitForLogin(user: string, password: string): Promise<void> {
    // Without a password mechanism LOGIN cannot work; then wait until the userdb (which an
    // OAuth2 login needs after the token is accepted) knows the user, as LMTP sees it.
    const passwordsOffered = this.oauth2?.passwords !== false;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (passwordsOffered ? await imapLoginWorks(this.port, user, password) : await lmtpKnowsUser(this.lmtpPort, user)) return;
      await sleep(50);
    }
    throw new Error(`user ${user} cannot log in to Dovecot on port ${this.port}:\n${logTail(this.dir, 10)}`);
  }
}

function userMailbox(u: {
  user: string;
  password: string;
  layout: Layout;
  folders: Record<string, string>;
  maildir: string;
  flavor: Flavor;
  owner: Owner;
  port: () => number;
}): MailUser {
  const { maildir, flavor, owner } = u;
  const createFolder = async (folderPath: string) => {
    const dir = folderDir(maildir, flavor, folderPath);
    ensureMaildir(dir, owner, dir !== maildir);
    subscribe(maildir, owner, flavor, folderPath);
  };
  return {
    user: u.user,
    password: u.password,
    layout: u.layout,
    folders: u.folders,
    createFolder,
    async recreateFolder(folderPath) {
      // Over IMAP, so Dovecot's indexes know the old folder is gone and the new one gets a new
      // UIDVALIDITY; the config gives the new one its SPECIAL-USE attribute by name.
      const wire = await ImapWire.login(u.port(), u.user, u.password);
      try {
        await wire.recreateFolder(folderPath);
      } finally {
        wire.close();
      }
    },
    async seed(folderPath, messages) {
      await createFolder(folderPath);
      writeMessages(folderDir(maildir, flavor, folderPath), owner, messages);
    },
  };
}

function isAddressInUse(err: unknown): boolean {
  return err instanceof Error && /Address already in use/.test(err.message);
}

export async function startDovecot(opts: StartOptions = {}): Promise<DovecotServer> {
  if (process.getuid?.() !== 0) throw new Error('the Dovecot test rig needs root: its master switches to vmail and dovenull');
  if (!dovecotInstalled()) throw new Error('Dovecot is not installed: run  node tests/rig/provision.js');
  const owner = mailOwner();
  const flavor = opts.flavor ?? 'standard';
  // Copy the fields: `oauth2: oauthServer` (which has introspectionUrl and
  // openidConfigurationUrl) works too, and keeps no reference to the server.
  const o = opts.oauth2;
  const oauth2: OAuth2Config | undefined = o && {
    introspectionUrl: o.introspectionUrl,
    ...(o.openidConfigurationUrl ? { openidConfigurationUrl: o.openidConfigurationUrl } : {}),
    ...(o.mechanisms ? { mechanisms: [...o.mechanisms] } : {}),
    ...(o.passwords !== undefined ? { passwords: o.passwords } : {}),
  };

  const baseDir = opts.baseDir ?? defaultBaseDir();
  sweepStaleDirs(baseDir);

  return startInstance({
    baseDir,
    prefix: DIR_PREFIX,
    prepare(dir) {
      // The instance dir is entered by Dovecot's unprivileged processes (dovecot, dovenull, vmail).
      chmodSync(dir, 0o755);
      mkdirSync(join(dir, 'users'), { mode: 0o755 });
      mkdirSync(join(dir, 'mail'), { mode: 0o700 });
      chownSync(join(dir, 'mail'), owner.uid, owner.gid);
    },
    create(dir, imapPort, lmtpPort) {
      const instance = new Instance(dir, flavor, imapPort, lmtpPort, owner, oauth2, opts.authDebug);
      instance.writeConfig();
      return instance;
    },
    // Dovecot exits when it cannot bind a port.
    portTaken: isAddressInUse,
  });
}
