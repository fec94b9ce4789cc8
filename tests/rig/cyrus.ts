// Starts real Cyrus IMAP 3.6 instances (what Fastmail runs) for integration tests, beside the
// Dovecot ones and with the same interface (ImapServerRig): one temp dir each (config, databases,
// spool, sasldb), IMAP and LMTP on free loopback ports, users added on the fly.
//
//   const cyrus = await startCyrus();
//   const pat = await cyrus.addUser('pat@example.com', 'pw');    // INBOX, Sent, Junk, Archive, ...
//   await pat.seed('INBOX', [{ raw, flags: ['\\Seen'], internalDate }]);
//   const smtp = await startSmtp({ lmtpPort: cyrus.lmtpPort });   // delivers into Cyrus
//   ... imapflow on cyrus.host:cyrus.port, secure: false ...
//   await cyrus.stop();
//
// Needs root (the master is started as the `cyrus` user) and what tests/rig/provision.js
// installs. What differs from Dovecot, as on a real Cyrus: the mailbox database, not files,
// decides what exists, so users, folders and messages are made over IMAP (CREATE ... (USE
// (\Sent)), APPEND), and Cyrus refuses a message with bare LF line ends ("NO Message contains
// bare newlines"): seed() writes CRLF.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cyrusConf, imapdConf, type CyrusConfigInput } from './cyrus-config.js';
import {
  COMMON_BIN_DIR, CYRUS_USER, DIR_PREFIX, IMAPD_BIN_DIR, PortTakenError, SASLPASSWD2, cyrusMissing, cyrusPackageVersion, haltMaster, launchMaster, logTail, sweepStaleDirs,
} from './cyrus-process.js';
import { layoutFolders, SPECIAL_USE, type ImapServerRig, type Layout, type MailUser, type SeedMessage } from './imap-server.js';
import { ImapWire } from './imap-wire.js';
import { greetingOf } from './net.js';
import { defaultBaseDir, startInstance, waitPortsFree } from './process.js';

export type { Layout, MailUser, SeedMessage } from './imap-server.js';

export interface CyrusStartOptions {
  /** Parent of the instance dir; default /dev/shm when writable, else the OS temp dir. */
  baseDir?: string;
  /** Cyrus' lmtpd drops a second delivery of the same Message-ID to a mailbox by default; the
   *  rig turns that off (false) unless asked for. */
  duplicateSuppression?: boolean;
}

export interface CyrusServer extends ImapServerRig {
  readonly kind: 'cyrus';
  /** Debian package version of the running Cyrus, e.g. "3.6.1-4+deb12u5". */
  readonly version: string;
  /** The host name in Cyrus' greetings; also the domain of users added without "@domain". */
  readonly serverName: string;
}

/** role → IMAP path: folders at the top level (altnamespace), '/' between levels. */
export function cyrusFolderPaths(layout: Layout): Record<string, string> {
  return layoutFolders(layout, (names) => names.join('/'));
}

const isInbox = (path: string) => path.toUpperCase() === 'INBOX';

/** Cyrus stores what it is given and refuses bare LF; a seeded message gets CRLF line ends
 *  (bytes kept: latin1 maps each byte to one char and back). */
export function toCrlf(raw: string | Buffer): Buffer {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

function cyrusOwner(): { uid: number; gid: number } {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${CYRUS_USER.user}:`));
  const group = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith(`${CYRUS_USER.group}:`));
  if (!passwd || !group) throw new Error(`no "${CYRUS_USER.user}" user or "${CYRUS_USER.group}" group: run  node tests/rig/provision.js  (as root)`);
  return { uid: Number(passwd.split(':')[2]), gid: Number(group.split(':')[2]) };
}

/** Runs a command with `input` on stdin; rejects with its output when it fails. */
function runWithInput(cmd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${output.trim()}`))));
    child.stdin.end(input);
  });
}

class Instance implements CyrusServer {
  readonly kind = 'cyrus' as const;
  readonly host = '127.0.0.1' as const;
  readonly version = cyrusPackageVersion();
  private child: ChildProcess | undefined;
  /** saslpasswd2 calls one at a time: two writers on one Berkeley DB file are not safe. */
  private sasl: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    readonly serverName: string,
    public port: number,
    public lmtpPort: number,
    private readonly owner: { uid: number; gid: number },
    private readonly duplicateSuppression: boolean,
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  writeConfig(): void {
    const input: CyrusConfigInput = {
      dir: this.dir,
      imapPort: this.port,
      lmtpPort: this.lmtpPort,
      serverName: this.serverName,
      imapdBinDir: IMAPD_BIN_DIR,
      commonBinDir: COMMON_BIN_DIR,
      duplicateSuppression: this.duplicateSuppression,
    };
    writeFileSync(join(this.dir, 'imapd.conf'), imapdConf(input), { mode: 0o644 });
    writeFileSync(join(this.dir, 'cyrus.conf'), cyrusConf(input), { mode: 0o644 });
  }

  /** Starts the master and checks that the IMAP and LMTP ports answer as this instance (its
   *  server name is in both greetings). */
  async launch(): Promise<void> {
    this.child = await launchMaster(this.dir, [this.port, this.lmtpPort]);
    const imap = await greetingOf(this.port);
    const lmtp = await greetingOf(this.lmtpPort);
    if (!imap?.includes(this.serverName) || !lmtp?.startsWith('220') || !lmtp.includes(this.serverName)) {
      await haltMaster(this.child);
      throw new PortTakenError(`Cyrus ports ${this.port}/${this.lmtpPort} answer as another server: ${imap} / ${lmtp}\n${logTail(this.dir)}`);
    }
  }

  async stop(): Promise<void> {
    if (this.child) await haltMaster(this.child);
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  async restart(): Promise<void> {
    if (this.child) await haltMaster(this.child);
    await waitPortsFree([this.port, this.lmtpPort]);
    await this.launch();
  }

  async addUser(user: string, password: string, layout: Layout = 'standard'): Promise<MailUser> {
    // '+' is Cyrus' sub-address separator in LMTP recipients; '%' an alternative domain separator.
    if (!/^[A-Za-z0-9._-]+(@[A-Za-z0-9.-]+)?$/.test(user)) throw new Error(`unsupported user name: ${user}`);
    if (/[\r\n]/.test(password) || password === '') throw new Error('a sasldb password must be non-empty and cannot contain a line break');
    // Cyrus lower-cases user names at login (username_tolower); sasldb keys are case-sensitive.
    const name = user.toLowerCase();
    const at = name.lastIndexOf('@');
    const [local, realm] = at >= 0 ? [name.slice(0, at), name.slice(at + 1)] : [name, this.serverName];
    await this.saslpasswd(local, realm, password);

    const folders = cyrusFolderPaths(layout);
    const mailUser = this.mailUser(user, password, layout, folders);
    // The first login creates the INBOX (autocreate_quota); then the layout's folders.
    const wire = await ImapWire.login(this.port, user, password);
    try {
      for (const path of Object.values(folders)) await wire.createFolder(path, SPECIAL_USE[path]);
    } finally {
      wire.close();
    }
    return mailUser;
  }

  private saslpasswd(local: string, realm: string, password: string): Promise<void> {
    const file = join(this.dir, 'sasldb2');
    const next = this.sasl.then(async () => {
      // -p: password from stdin; -c: create; -u: realm (the domain part of the login).
      await runWithInput(SASLPASSWD2, ['-p', '-c', '-f', file, '-u', realm, local], password);
      chownSync(file, this.owner.uid, this.owner.gid);
      chmodSync(file, 0o640);
    });
    this.sasl = next.catch(() => undefined);
    return next;
  }

  private mailUser(user: string, password: string, layout: Layout, folders: Record<string, string>): MailUser {
    const port = () => this.port;
    const withWire = async (fn: (wire: ImapWire) => Promise<void>) => {
      const wire = await ImapWire.login(port(), user, password);
      try {
        await fn(wire);
      } finally {
        wire.close();
      }
    };
    return {
      user,
      password,
      layout,
      folders,
      createFolder: (path) => withWire((wire) => wire.createFolder(path, SPECIAL_USE[path])),
      recreateFolder: (path) => withWire((wire) => wire.recreateFolder(path)),
      seed: (path, messages) =>
        withWire(async (wire) => {
          if (!isInbox(path)) await wire.createFolder(path, SPECIAL_USE[path]);
          await wire.append(path, messages.map((m) => ({ ...m, raw: toCrlf(m.raw) })));
        }),
    };
  }
}

export async function startCyrus(opts: CyrusStartOptions = {}): Promise<CyrusServer> {
  if (process.getuid?.() !== 0) throw new Error('the Cyrus test rig needs root: its master is started as the cyrus user');
  const missing = cyrusMissing();
  if (missing) throw new Error(`Cyrus is not installed (missing ${missing}): run  node tests/rig/provision.js`);
  const owner = cyrusOwner();
  const baseDir = opts.baseDir ?? defaultBaseDir();
  sweepStaleDirs(baseDir);

  return startInstance({
    baseDir,
    prefix: DIR_PREFIX,
    prepare(dir) {
      chmodSync(dir, 0o755);
      // Everything Cyrus writes is in its own dirs, owned by cyrus:mail; the configs stay root's.
      for (const sub of ['conf', 'conf/socket', 'spool', 'sieve', 'run']) {
        mkdirSync(join(dir, sub), { mode: 0o750 });
        chownSync(join(dir, sub), owner.uid, owner.gid);
      }
    },
    create(dir, imapPort, lmtpPort) {
      // Unique per instance, so a greeting proves which server answered.
      const serverName = `${basename(dir).slice(DIR_PREFIX.length).toLowerCase()}.cyrus-rig.localhost`;
      const instance = new Instance(dir, serverName, imapPort, lmtpPort, owner, opts.duplicateSuppression ?? false);
      instance.writeConfig();
      return instance;
    },
    // The master runs on without a service whose port it could not bind; launch() notices.
    portTaken: (err) => err instanceof PortTakenError,
  });
}
