// A small synchronous MIME reader for the few bodies the analysis looks at (auto-replies and
// delivery status notifications). It finds the text, the delivery-status part, the headers of
// the returned original and the disposition part; it never throws and bounds its work.
import { firstHeader, parseHeaderBlock } from './headers.js';
import { htmlToText } from './html-text.js';
import { MAIL_LIMITS } from './limits.js';

export interface BodyParts {
  /** Decoded text/plain parts (text/html with tags removed when there is no plain part). */
  text: string;
  /** message/delivery-status parts (RFC 3464), decoded. */
  deliveryStatus: string[];
  /** Header blocks of the returned original: message/rfc822 or text/rfc822-headers parts. */
  originalHeaders: string[];
  /** message/disposition-notification parts (RFC 8098). */
  dispositions: string[];
  /** text/calendar parts (RFC 5546). */
  calendar: string[];
}

/** Bodies beyond this are cut: a DSN's diagnostic and headers sit at the start. */
const MAX_BODY_CHARS = MAIL_LIMITS.bodyChars;
const MAX_DEPTH = MAIL_LIMITS.mimeDepth;
const MAX_PARTS = MAIL_LIMITS.mimeParts;

interface ContentType {
  type: string;
  params: Record<string, string>;
}

export function parseContentType(value: string | null | undefined): ContentType {
  if (!value) return { type: 'text/plain', params: {} };
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase() || 'text/plain';
  const params: Record<string, string> = {};
  if (semi >= 0) {
    const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
    let m: RegExpExecArray | null;
    const rest = value.slice(semi);
    while ((m = re.exec(rest))) params[m[1].toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { type, params };
}

/** The string's bytes: latin1 when it was read as binary, UTF-8 when it holds wider characters. */
function bytesOf(s: string): Buffer {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(s) ? Buffer.from(s, 'utf8') : Buffer.from(s, 'latin1');
}

function decodeQuotedPrintable(s: string): Buffer {
  const src = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  const raw = bytesOf(src);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x3d && i + 2 < raw.length) {
      const hex = String.fromCharCode(raw[i + 1], raw[i + 2]);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    out.push(c);
  }
  return Buffer.from(out);
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const cs = (charset || 'utf-8').toLowerCase().replace(/^"|"$/g, '');
  try {
    const text = new TextDecoder(cs === 'us-ascii' ? 'utf-8' : cs).decode(bytes);
    if (cs.startsWith('utf') && text.includes('\uFFFD')) return bytes.toString('latin1');
    return text;
  } catch {
    return bytes.toString('latin1');
  }
}

function decodePart(body: string, encoding: string | null, charset: string | undefined): string {
  const enc = (encoding || '').trim().toLowerCase();
  let bytes: Buffer;
  if (enc === 'base64') bytes = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  else if (enc === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else bytes = bytesOf(body);
  return decodeCharset(bytes, charset);
}

/** Split an entity into its header block and body at the first empty line. */
function splitEntity(entity: string): { header: string; body: string } {
  const m = /\r?\n\r?\n/.exec(entity);
  if (!m) return { header: entity, body: '' };
  return { header: entity.slice(0, m.index), body: entity.slice(m.index + m[0].length) };
}

const HEADER_NAMES_OF_A_MESSAGE = ['from', 'date', 'message-id', 'content-type', 'received', 'subject', 'mime-version', 'return-path'];

/** Whether `text` starts with a message's header block (a full source rather than BODY[TEXT]). */
function looksLikeFullSource(text: string): boolean {
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(text)) return false;
  const { header } = splitEntity(text.slice(0, 256 * 1024));
  const map = parseHeaderBlock(header);
  return HEADER_NAMES_OF_A_MESSAGE.some((n) => map.has(n));
}

/**
 * BODY[TEXT] of a single-part message comes without its Content-Transfer-Encoding header (sync
 * does not keep it): a body of nothing but base64 lines is base64, one with "=XX" escapes and
 * soft line breaks is quoted-printable.
 */
function guessTransferEncoding(contentType: string | null | undefined, body: string): string | null {
  if (parseContentType(contentType).type.startsWith('multipart/')) return null;
  const sample = body.slice(0, 4096).trim();
  if (sample.length >= 16 && /^[A-Za-z0-9+/=\r\n]+$/.test(sample) && /^[A-Za-z0-9+/]{16,}/.test(sample)) return 'base64';
  if (/=\r?\n/.test(sample) && /=[0-9A-F]{2}/.test(sample)) return 'quoted-printable';
  return null;
}

/**
 * Read a message body. `text` is either the whole source (headers and body) or only the body
 * (IMAP BODY[TEXT]); in the second case `contentType` (the record's Content-Type header) says how
 * to read it. Strings read as latin1 ("binary") keep 8-bit charsets intact.
 */
export function readBody(text: string, contentType?: string | null): BodyParts {
  const out: BodyParts = { text: '', deliveryStatus: [], originalHeaders: [], dispositions: [], calendar: [] };
  let src = text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text;
  // An mbox "From " separator line (RFC 4155) before the headers of a saved message.
  if (/^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(src)) src = src.slice(src.indexOf('\n') + 1);
  const plain: string[] = [];
  const html: string[] = [];
  let parts = 0;

  const walk = (ctValue: string | null, encoding: string | null, body: string, depth: number) => {
    if (++parts > MAX_PARTS || depth > MAX_DEPTH) return;
    const ct = parseContentType(ctValue);
    if (ct.type.startsWith('multipart/')) {
      const boundary = ct.params.boundary;
      if (!boundary) {
        plain.push(body);
        return;
      }
      const delim = '--' + boundary;
      const chunks = body.split(delim);
      // chunks[0] is the preamble; a chunk starting with "--" is the epilogue after the close.
      for (let i = 1; i < chunks.length && parts < MAX_PARTS; i++) {
        let chunk = chunks[i];
        if (chunk.startsWith('--')) break;
        chunk = chunk.replace(/^[ \t]*\r?\n/, '');
        const { header, body: partBody } = splitEntity(chunk);
        const h = parseHeaderBlock(header);
        walk(firstHeader(h, 'content-type') ?? (ct.type === 'multipart/digest' ? 'message/rfc822' : null), firstHeader(h, 'content-transfer-encoding'), partBody, depth + 1);
      }
      return;
    }
    if (ct.type === 'message/rfc822' || ct.type === 'message/global') {
      // The returned original: its headers matter, its text does not (it is the user's own words).
      const inner = decodePart(body, encoding, 'utf-8');
      out.originalHeaders.push(splitEntity(inner.replace(/^\s+/, '')).header);
      return;
    }
    if (ct.type === 'text/rfc822-headers' || ct.type === 'message/global-headers') {
      out.originalHeaders.push(decodePart(body, encoding, ct.params.charset));
      return;
    }
    if (ct.type === 'message/delivery-status' || ct.type === 'message/global-delivery-status') {
      out.deliveryStatus.push(decodePart(body, encoding, 'utf-8'));
      return;
    }
    if (ct.type === 'message/disposition-notification') {
      out.dispositions.push(decodePart(body, encoding, 'utf-8'));
      return;
    }
    if (ct.type === 'text/calendar') {
      out.calendar.push(decodePart(body, encoding, ct.params.charset));
      return;
    }
    if (ct.type === 'text/html') html.push(htmlToText(decodePart(body, encoding, ct.params.charset)));
    else if (ct.type.startsWith('text/') || ct.type === 'application/octet-stream' && !encoding) {
      plain.push(decodePart(body, encoding, ct.params.charset));
    }
  };

  try {
    if (looksLikeFullSource(src)) {
      const { header, body } = splitEntity(src);
      const h = parseHeaderBlock(header);
      walk(firstHeader(h, 'content-type'), firstHeader(h, 'content-transfer-encoding'), body, 0);
    } else {
      walk(contentType ?? null, guessTransferEncoding(contentType, src), src, 0);
    }
  } catch {
    // Hostile MIME: whatever was read so far is kept.
  }
  const lf = (v: string) => v.replace(/\r\n?/g, '\n');
  out.text = lf((plain.length ? plain : html).join('\n'));
  out.deliveryStatus = out.deliveryStatus.map(lf);
  out.originalHeaders = out.originalHeaders.map(lf);
  out.dispositions = out.dispositions.map(lf);
  return out;
}
