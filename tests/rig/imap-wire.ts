// A minimal IMAP client (RFC 3501) for the rig's own work on a server it cannot write to
// directly (Cyrus): LOGIN, CREATE, SUBSCRIBE, and APPEND of many messages in one MULTIAPPEND
// (RFC 3502) with non-synchronizing literals (LITERAL+, RFC 7888), so seeding N messages costs
// one round trip instead of 2N. Not the app's client: tests look at servers through imapflow.
import type { Socket } from 'node:net';
import { encodeMutf7 } from './maildir.js';
import { openSocket } from './net.js';
import type { SeedMessage } from './imap-server.js';

export interface TaggedReply {
  status: 'OK' | 'NO' | 'BAD';
  /** The text after the status, response code included: "[ALREADYEXISTS] Mailbox already exists". */
  text: string;
  /** Untagged lines of this command, literals inlined. */
  untagged: string[];
}

export class ImapError extends Error {
  constructor(
    readonly command: string,
    readonly reply: TaggedReply,
  ) {
    super(`IMAP ${command} failed: ${reply.status} ${reply.text}`);
  }
}

/** A quoted string (RFC 3501 quoted: backslash and double quote escaped). */
export const quoted = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** A folder path as a mailbox argument: modified UTF-7 for non-ASCII names, quoted. */
export const mailboxArg = (path: string) => quoted(encodeMutf7(path));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** RFC 3501 date-time in UTC: "02-Jan-2024 09:30:00 +0000". */
export function imapDateTime(d: Date): string {
  return `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Reads server responses: lines ending in CRLF, where a line ending in "{n}" is followed by n
 *  bytes of literal and then the rest of the line. */
class ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.wake();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('IMAP connection closed')));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  private async more(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => (this.waiting = () => resolve()));
  }

  /** One logical response line, literals inlined (as latin1 text). */
  async line(): Promise<string> {
    let out = '';
    for (;;) {
      const eol = this.buffer.indexOf('\r\n');
      if (eol < 0) {
        if (this.failure) throw this.failure;
        await this.more();
        continue;
      }
      const text = this.buffer.subarray(0, eol).toString('latin1');
      const literal = /\{(\d+)\}$/.exec(text);
      if (!literal) {
        this.buffer = this.buffer.subarray(eol + 2);
        return out + text;
      }
      const size = Number(literal[1]);
      while (this.buffer.length < eol + 2 + size) await this.more();
      out += text + this.buffer.subarray(eol + 2, eol + 2 + size).toString('latin1');
      this.buffer = this.buffer.subarray(eol + 2 + size);
    }
  }
}

export class ImapWire {
  private tagCount = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly reader: ResponseReader,
    readonly greeting: string,
  ) {}

  static async connect(port: number): Promise<ImapWire> {
    const socket = await openSocket(port, 5000);
    const reader = new ResponseReader(socket);
    const greeting = await reader.line();
    if (!greeting.startsWith('* OK')) {
      socket.destroy();
      throw new Error(`IMAP greeting: ${greeting}`);
    }
    return new ImapWire(socket, reader, greeting);
  }

  /** Connects and logs in; throws ImapError when LOGIN is refused. */
  static async login(port: number, user: string, password: string): Promise<ImapWire> {
    const wire = await ImapWire.connect(port);
    try {
      await wire.run(`LOGIN ${quoted(user)} ${quoted(password)}`, 'LOGIN');
      return wire;
    } catch (err) {
      wire.close();
      throw err;
    }
  }

  /** Sends one command (text, or text and Buffers for literals) and reads its tagged reply. */
  async send(parts: string | (string | Buffer)[]): Promise<TaggedReply> {
    const tag = `r${++this.tagCount}`;
    const chunks = typeof parts === 'string' ? [parts] : parts;
    this.socket.write(Buffer.concat([Buffer.from(`${tag} `), ...chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)), Buffer.from('\r\n')]));
    const untagged: string[] = [];
    for (;;) {
      const line = await this.reader.line();
      if (line.startsWith(`${tag} `)) {
        const m = /^\S+ (OK|NO|BAD) ?(.*)$/.exec(line);
        if (!m) throw new Error(`unparsable IMAP reply: ${line}`);
        return { status: m[1] as TaggedReply['status'], text: m[2], untagged };
      }
      // "+ ..." would be a continuation request: only sent for synchronizing literals, which
      // this client never uses.
      if (line.startsWith('+')) throw new Error(`unexpected continuation request: ${line}`);
      untagged.push(line);
    }
  }

  /** Like send(), but an answer other than OK throws an ImapError naming `what`. */
  async run(parts: string | (string | Buffer)[], what = typeof parts === 'string' ? parts.split(' ')[0] : 'command'): Promise<TaggedReply> {
    const reply = await this.send(parts);
    if (reply.status !== 'OK') throw new ImapError(what, reply);
    return reply;
  }

  /** CREATE with a SPECIAL-USE attribute when given, and SUBSCRIBE; a folder that exists
   *  already is fine (INBOX always does). A top-level folder gets its attribute with CREATE ...
   *  (USE (...)) (RFC 6154 CREATE-SPECIAL-USE). Cyrus 3.6 answers that for a folder below another
   *  one with "NO SPECIAL-USE flag conflict" whatever the attribute, so such a folder is created
   *  plain and gets the attribute as the /private/specialuse annotation (RFC 6154 section 5:
   *  SETMETADATA), which is where Cyrus keeps it. */
  async createFolder(path: string, specialUse?: string): Promise<void> {
    // Cyrus checks the attribute before the name: CREATE "Sent" (USE (\Sent)) for an existing
    // Sent answers "NO [USEATTR] SPECIAL-USE flag conflict", so look first.
    if (path.toUpperCase() !== 'INBOX' && !(await this.exists(path))) {
      const nested = path.includes('/');
      await this.run(`CREATE ${mailboxArg(path)}${specialUse && !nested ? ` (USE (${specialUse}))` : ''}`, `CREATE ${path}`);
      if (specialUse && nested) await this.setSpecialUse(path, specialUse);
    }
    await this.run(`SUBSCRIBE ${mailboxArg(path)}`, `SUBSCRIBE ${path}`);
  }

  /** True when LIST finds the folder. */
  async exists(path: string): Promise<boolean> {
    const reply = await this.run(`LIST "" ${mailboxArg(path)}`, `LIST ${path}`);
    return reply.untagged.some((l) => /^\* LIST /i.test(l));
  }

  /** Sets (or with null removes) a folder's SPECIAL-USE attribute through METADATA (RFC 5464). */
  async setSpecialUse(path: string, specialUse: string | null): Promise<void> {
    const value = specialUse === null ? 'NIL' : quoted(specialUse);
    await this.run(`SETMETADATA ${mailboxArg(path)} (/private/specialuse ${value})`, `SETMETADATA ${path}`);
  }

  /** The folder's SPECIAL-USE attribute(s) from METADATA, or null. */
  async specialUse(path: string): Promise<string | null> {
    const reply = await this.run(`GETMETADATA ${mailboxArg(path)} /private/specialuse`, `GETMETADATA ${path}`);
    for (const line of reply.untagged) {
      // * METADATA Sent ("/private/specialuse" {5}\Sent)   (the literal is inlined by the reader)
      const m = /"\/private\/specialuse" (?:NIL|\{\d+\}(.*)|"((?:[^"\\]|\\.)*)")\)$/i.exec(line);
      if (m) return (m[1] ?? m[2]?.replace(/\\(.)/g, '$1')) || null;
    }
    return null;
  }

  /** Deletes a folder and creates it again, empty, with a new UIDVALIDITY (RFC 3501 2.3.1.1: a
   *  name reused for a new mailbox must not reuse the old UIDVALIDITY), keeping its SPECIAL-USE
   *  attribute and subscription. Cyrus refuses to DELETE a folder with a SPECIAL-USE attribute
   *  (specialuse_protect: "NO SPECIAL-USE flag conflict"), so the attribute is removed first. */
  async recreateFolder(path: string, specialUse?: string): Promise<void> {
    if (path.toUpperCase() === 'INBOX') throw new Error('INBOX cannot be deleted');
    const current = specialUse ?? ((await this.hasMetadata()) ? await this.specialUse(path) : null);
    if (current && (await this.hasMetadata())) await this.setSpecialUse(path, null);
    await this.run(`DELETE ${mailboxArg(path)}`, `DELETE ${path}`);
    await this.createFolder(path, current ?? undefined);
  }

  private capabilities: Set<string> | undefined;

  /** The server's capabilities (after login). */
  async capability(): Promise<Set<string>> {
    if (!this.capabilities) {
      const reply = await this.run('CAPABILITY');
      const line = reply.untagged.find((l) => /^\* CAPABILITY /i.test(l)) ?? '';
      this.capabilities = new Set(line.replace(/^\* CAPABILITY /i, '').toUpperCase().split(' '));
    }
    return this.capabilities;
  }

  private async hasMetadata(): Promise<boolean> {
    return (await this.capability()).has('METADATA');
  }

  /** APPENDs messages in order, `batch` at a time in one MULTIAPPEND each. */
  async append(path: string, messages: SeedMessage[], batch = 500): Promise<void> {
    for (let i = 0; i < messages.length; i += batch) {
      const parts: (string | Buffer)[] = [`APPEND ${mailboxArg(path)}`];
      for (const m of messages.slice(i, i + batch)) {
        const data = typeof m.raw === 'string' ? Buffer.from(m.raw, 'utf8') : m.raw;
        const flags = m.flags && m.flags.length > 0 ? ` (${m.flags.join(' ')})` : '';
        const date = m.internalDate ? ` ${quoted(imapDateTime(m.internalDate))}` : '';
        parts.push(`${flags}${date} {${data.length}+}\r\n`, data);
      }
      await this.run(parts, `APPEND to ${path}`);
    }
  }

  close(): void {
    this.socket.end('z LOGOUT\r\n');
  }
}
