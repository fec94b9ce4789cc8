// Contact rhythm (issue 8, item 1): how fast each known contact answers the user, in their own
// business hours, and when in their week and day they write. Pure: no I/O, `now` injected.
//
// Decisions, with their reasons:
// - A reply is a message from the contact whose direct parent (In-Reply-To, else the last
//   Reference) is a mail the user sent, or, for mail that carries no threading ids (Outlook and
//   others strip them), a "Re:" with the same subject key after the user's latest mail to that
//   contact within 60 days (threading.ts's fallback rule). A message that answers someone else in
//   the thread did not answer the user. Auto-replies, out-of-office notes, bounces and read
//   receipts never count (classifyAutomated); replies in Junk do (a person did answer).
// - Each of the user's mails counts once per contact: their first reply to it. The delay runs
//   from the user's Date to theirs and counts only the contact's business window (their zone,
//   their country's weekend and public holidays, their hours): a Friday-evening mail answered on
//   Monday at 10:00 waited 1 hour with 09:00–17:00.
// - Their weekday and hour shares, last time they wrote and the active period come from the mail
//   they wrote themselves (no automatic mail, nothing in Junk, where their address may be forged),
//   read on their own clock: the Date header's offset, except +0000 and -0000 where their zone says
//   otherwise (Exchange Online writes +0000 whatever the sender's zone).
// - Known contacts: as contacts.ts defines them (someone the user wrote to, whose mail the user
//   answered, or who answered the user), from mail outside Junk, found in the same pass.
import type { BusinessHours } from '../calendar/index.js';
import { DEFAULT_HOURS, parseHoursRange, DAY_MS, approxOffset, businessMs, calendarOf, headerOffset, msToHours, windowHours } from '../calendar/index.js';
import type { ActivePeriod, Rhythm } from '../api.js';

export type { Rhythm };
import { isNoReplyAddress, isOwnAddress, classifyAutomated, isHumanAnswer, hasReplyPrefix, subjectKey, recordTime, idsOfSeveralSenders } from '../mail/index.js';
import type { Address, FolderRole, MessageRecord } from '../model.js';
import { ownAddresses, roleMap, type Mailbox } from '../store/index.js';
import { ZoneTable, inferContactZone, type ZoneObservation } from './rhythm-zone.js';
import { activePeriod, median, percentile, shares } from './rhythm-stats.js';



/** What the user set for a contact (contacts/prefs.ts ContactPrefs has this shape). */
export interface RhythmOverride {
  timeZone?: string;
  country?: string;
  /** 'HH:MM-HH:MM' as stored, or parsed. */
  hours?: string | BusinessHours;
}

export interface ComputeRhythmsInput {
  mailboxes: Mailbox[];
  /** Mail that arrived after it is not looked at (a replay with --now sees the past). */
  now: Date | string;
  /** Per contact address (lower case). */
  overrides?: ReadonlyMap<string, RhythmOverride>;
  /** Only these addresses (known or not); default: every known contact. */
  only?: Iterable<string>;
  /** The business hours when a contact has none set (the app's setting); default 09:00–17:00. */
  defaultHours?: BusinessHours | null;
  /** The zone of accounts that have none set (the caller's machine zone); default UTC. */
  defaultTimeZone?: string;
  /** Bodies of automatic mail by record _id (as findUnanswered takes them); record.bodyText otherwise. */
  bodies?: Map<string, string>;
  /** When given, filled with each contact's single observations (the pictures draw them). */
  samples?: Map<string, RhythmSamples>;
}

/** A contact's observations, on their clock (weekday 0 = Monday, hour 0–23). */
export interface RhythmSamples {
  /** The mails they wrote themselves. */
  wrote: { weekday: number; hour: number }[];
  /** Their replies to the user: when they came, and the delay in their business hours. */
  replies: { weekday: number; hour: number; delayHours: number }[];
  /** Length of one of their business days in hours. */
  hoursPerDay: number;
}

/** Weekday (0 = Monday) and hour of a local wall-clock time in ms. */
function localSlot(localMs: number): { weekday: number; hour: number } {
  const day = Math.floor(localMs / DAY_MS);
  return { weekday: (((day + 3) % 7) + 7) % 7, hour: Math.floor((localMs - day * DAY_MS) / 3_600_000) };
}

interface Accumulator {
  address: string;
  name: string | null;
  /** The user's mail (mailbox ordinal · 2^32 + record index) → slot in replySent/replyAt. */
  replySlot: Map<number, number>;
  /** Per answered mail: when it was sent, when their first reply came (ms). */
  replySent: number[];
  replyAt: number[];
  /** Mail they wrote themselves: instant, and the written offset (NaN when none). */
  ownMs: number[];
  ownOffset: number[];
  /** Every mail of theirs outside Junk with a written offset: the zone's evidence. */
  obsMs: number[];
  obsOffset: number[];
  accountTimeZone: string;
  accountCountry: string | null;
  /** Whether the address is a robot's (isRobotSender of its first mail), once per contact. */
  robot?: boolean;
}

const SUBJECT_GAP_MS = 60 * DAY_MS;
const NOT_SENT_ROLES: ReadonlySet<FolderRole> = new Set(['junk', 'trash', 'drafts']);

/** Rhythms of every known contact (or of `only`), by lower-case address. */
export function computeRhythms(input: ComputeRhythmsInput): Map<string, Rhythm> {
  const nowIso = new Date(input.now).toISOString();
  const only = input.only ? new Set([...input.only].map((a) => a.toLowerCase())) : null;
  const run: Run = { input, nowIso, only, known: new Set(), accs: new Map(), memo: new Map() };
  const scans = input.mailboxes.map((mb, ordinal) => scanMailbox(mb, ordinal, run));
  const { known, accs } = run;
  const targets = only ?? known;
  for (const scan of scans) collect(scan, targets, run);

  const zones = new ZoneTable();
  const out = new Map<string, Rhythm>();
  for (const address of targets) {
    const acc = accs.get(address) ?? newAccumulator(address, input.mailboxes[0], input);
    out.set(address, finish(acc, input, zones, known.has(address)));
  }
  return out;
}

function newAccumulator(address: string, mb: Mailbox | undefined, input: ComputeRhythmsInput): Accumulator {
  return {
    address,
    name: null,
    replySlot: new Map(),
    replySent: [],
    replyAt: [],
    ownMs: [],
    ownOffset: [],
    obsMs: [],
    obsOffset: [],
    accountTimeZone: mb?.account.timeZone ?? input.defaultTimeZone ?? 'UTC',
    accountCountry: mb?.account.country ?? null,
  };
}

/** One computeRhythms call's state. */
interface Run {
  input: ComputeRhythmsInput;
  nowIso: string;
  only: Set<string> | null;
  known: Set<string>;
  accs: Map<string, Accumulator>;
  /** Record → written by a person. */
  memo: Map<MessageRecord, boolean>;
}

/** What the first pass over one mailbox found, for the second. */
interface Scan {
  mb: Mailbox;
  ordinal: number;
  own: Set<string>;
  /** The user's sent mail: Message-ID → record index. */
  sentById: Map<string, number>;
  /** Indices of mail from anyone else (before `now`), and its sender (read once). */
  others: number[];
  senders: string[];
  junkFolders: Set<string>;
}

/**
 * Pass 1: the user's sent mail, whom it went to and what it answered; then who else is known
 * (their mail answered by the user, or answering the user). Known over all accounts before any
 * rhythm is counted, so nothing is counted for strangers (newsletters, spam).
 */
function scanMailbox(mb: Mailbox, ordinal: number, run: Run): Scan {
  const { nowIso, known } = run;
  const records = mb.messages;
  const own = ownAddresses(mb.account);
  const roles = roleMap(mb);
  const junkFolders = new Set<string>();
  for (const [path, role] of roles) if (role === 'junk') junkFolders.add(path);
  const sentById = new Map<string, number>();
  const answeredIds = new Set<string>();
  const others: number[] = [];
  const senders: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r.internalDate > nowIso) continue;
    const sender = r.from[0]?.address;
    if (!sender) continue;
    if (!isOwn(sender, own)) {
      others.push(i);
      senders.push(sender);
      continue;
    }
    if (!countsAsSent(r, roles)) continue;
    sentById.set(r.messageId, i);
    if (r.inReplyTo) answeredIds.add(r.inReplyTo);
    for (const id of r.references) answeredIds.add(id);
    recipients(run, mb, own, r.to);
    recipients(run, mb, own, r.cc);
    recipients(run, mb, own, r.bcc);
  }
  // An answered id carried by mail of several senders: which one was answered is unknown.
  const answeredMail: MessageRecord[] = [];
  for (const i of others) if (answeredIds.has(records[i].messageId) && !inJunk(records[i], junkFolders)) answeredMail.push(records[i]);
  const ambiguous = idsOfSeveralSenders(answeredMail, answeredIds);
  for (let k = 0; k < others.length; k++) {
    const sender = senders[k];
    if (known.has(sender)) continue;
    const r = records[others[k]];
    if (inJunk(r, junkFolders)) continue;
    if ((answeredIds.has(r.messageId) && !ambiguous.has(r.messageId)) || (!r.headers['list-id'] && namesAny(r, sentById))) known.add(sender);
  }
  return { mb, ordinal, own, sentById, others, senders, junkFolders };
}

/** The people a mail of the user's went to are known; their display name is kept. */
function recipients(run: Run, mb: Mailbox, own: Set<string>, list: Address[]): void {
  for (const a of list) {
    if (isOwn(a.address, own)) continue;
    run.known.add(a.address);
    if (a.name && run.only?.has(a.address) !== false) nameOf(run, mb, a.address, a.name);
  }
}

/** isOwnAddress for record addresses, which are lower case already (types.ts): no copy made. */
function isOwn(address: string, own: ReadonlySet<string>): boolean {
  return own.has(address) || (address.includes('+') && isOwnAddress(address, own));
}

function inJunk(r: MessageRecord, junkFolders: Set<string>): boolean {
  for (const l of r.locations) if (junkFolders.has(l.folder)) return true;
  return false;
}

function accumulator(run: Run, mb: Mailbox, address: string): Accumulator {
  let a = run.accs.get(address);
  if (!a) run.accs.set(address, (a = newAccumulator(address, mb, run.input)));
  return a;
}

/** A recipient's display name, kept until their own mail gives one. */
function nameOf(run: Run, mb: Mailbox, address: string, name: string): void {
  const a = accumulator(run, mb, address);
  a.name ??= name;
}

/** Pass 2: the replies, evidence and own mail of the contacts wanted. */
function collect(scan: Scan, targets: Set<string>, run: Run): void {
  const { mb, ordinal, sentById, others, senders, junkFolders } = scan;
  const records = mb.messages;
  const subjectCandidates: number[] = [];
  for (let k = 0; k < others.length; k++) {
    const sender = senders[k];
    if (!targets.has(sender)) continue;
    const i = others[k];
    const r = records[i];
    const a = accumulator(run, mb, sender);
    const parentId = directParent(r);
    const direct = parentId === null ? undefined : sentById.get(parentId);
    const maybeAutomatic = mayBeAutomatic(r, (a.robot ??= isRobotSender(sender, r.from[0].name)));
    if (direct !== undefined) addReply(a, ordinal, records, direct, i, run, maybeAutomatic);
    // Every reply prefix ends in a colon (subject.ts): the regex only runs where one is.
    else if (parentId === null && /[:：]/.test(r.subject) && hasReplyPrefix(r.subject)) subjectCandidates.push(i);
    if (inJunk(r, junkFolders)) continue;
    const name = r.from[0].name;
    if (name) a.name = name;
    const ms = recordTime(r);
    const offset = headerOffset(r.dateHeader);
    if (offset !== null) {
      a.obsMs.push(ms);
      a.obsOffset.push(offset);
    }
    if (!maybeAutomatic || classify(r, run)) {
      a.ownMs.push(ms);
      a.ownOffset.push(offset ?? NaN);
    }
  }
  if (subjectCandidates.length) matchBySubject(ordinal, records, scan.own, sentById, subjectCandidates, run);
}

/**
 * The message it answers: In-Reply-To, else the last Reference (threading.ts's ancestorIds,
 * nearest last, without building the list). RFC 5322 §3.6.4: ids without '@' are not usable.
 */
function directParent(r: MessageRecord): string | null {
  const irt = r.inReplyTo;
  if (irt && irt.includes('@') && irt.length < 1000) return irt;
  const refs = r.references;
  for (let k = refs.length - 1; k >= 0; k--) if (refs[k].includes('@') && refs[k].length < 1000) return refs[k];
  return null;
}

/** Whether it names one of the user's mails as parent or ancestor (contacts.ts answersUser). */
function namesAny(r: MessageRecord, sentById: Map<string, number>): boolean {
  if (r.inReplyTo && sentById.has(r.inReplyTo)) return true;
  for (const id of r.references) if (sentById.has(id)) return true;
  return false;
}

function countsAsSent(r: MessageRecord, roles: Map<string, FolderRole>): boolean {
  for (const loc of r.locations) {
    if (NOT_SENT_ROLES.has(roles.get(loc.folder) ?? 'other')) continue;
    if (loc.flags.some((f) => f.toLowerCase() === '\\draft')) continue;
    return true;
  }
  return false;
}

const AUTOMATION_HEADERS: ReadonlySet<string> = new Set(['auto-submitted', 'x-autoreply', 'x-autorespond', 'precedence', 'x-auto-response-suppress']);
/**
 * A colon, parenthesis or bracket after the leading run of reply and forward prefixes ("Re: AW:
 * Fwd[2]:", a person answering): "Re: Automatic reply: ..." has one, "Re: Proposal" has none.
 * The prefixes are matched atomically (a lookahead and its backreference), so a prefix's own
 * colon never counts.
 */
const COLON_AFTER_PREFIXES = /^(?=((?:\s*(?:re|aw|sv|vs|antw|r[ée]f|rif|rv|res|odp|fwd?|wg|tr|enc)\s*(?:(?:\[\d+\]|\(\d+\))\s*)?[:：])*))\1[^:：([]*[:：([]/i;
/** Words of automatic subjects that need no colon ("Return Receipt", "Delivery Status Notification (Failure)"). */
const AUTOMATIC_WORDS = /receipt|notification|notice|complaint|automati|auto[- ]?re|out of (?:the )?office|abwesen|absen|vacation|urlaub|cong[ée]|undeliver|deliver|failure|returned|bounce|report|gelesen|lesebest|accus[ée]|le[íi]do/i;
/** Local parts of mailboxes no person reads, beyond addresses.ts's no-reply list. */
const ROBOT_LOCAL = /daemon|post[-_.]?master|mailer|bounce|owner-|-owner|-request|-admin|no-?reply|notif/i;

/**
 * Whether mail from a contact's address may be automatic; only such mail goes through
 * classifyAutomated (a regex-heavy read), the rest is the person's own. Automatic mail from a
 * person's mailbox says so: in Auto-Submitted (RFC 3834 §5) or a vendor header (X-Autoreply,
 * X-Auto-Response-Suppress, Precedence), in its type (multipart/report: DSNs, MDNs, ARF; a
 * calendar reply), in its subject ("Automatic reply:", "Read:", "Undeliverable:", "Return
 * Receipt"), or it comes from a robot's address. A subject of reply prefixes and a topic says
 * nothing of the kind. tests/unit/contacts/rhythm.test.ts (the .eml fixtures) and
 * tests/eval/rhythm-screen.test.ts (corpus 03: real auto-replies and DSNs) check that all mail
 * classifyAutomated calls automatic passes here.
 */
export function mayBeAutomatic(r: MessageRecord, robotSender?: boolean): boolean {
  if (r.bodyText !== undefined) return true;
  const headers = r.headers;
  for (const name in headers) {
    if (AUTOMATION_HEADERS.has(name)) return true;
    if (name === 'content-type' && /report|calendar|disposition|delivery-status/i.test(headers[name]!)) return true;
  }
  const from = r.from[0];
  if (!from || (robotSender ?? isRobotSender(from.address, from.name))) return true;
  return COLON_AFTER_PREFIXES.test(r.subject) || AUTOMATIC_WORDS.test(r.subject);
}

/** A mailbox no person reads, by its address or display name ("Mail Delivery System"). */
export function isRobotSender(address: string, name = ''): boolean {
  return ROBOT_LOCAL.test(address.slice(0, address.lastIndexOf('@'))) || isNoReplyAddress(address) || AUTOMATIC_WORDS.test(name);
}

/** Whether a person wrote it (memoised for the run: a reply is also their own mail). */
function classify(r: MessageRecord, run: Run): boolean {
  let human = run.memo.get(r);
  if (human === undefined) {
    human = isHumanAnswer(classifyAutomated(r, run.input.bodies?.get(r._id) ?? r.bodyText));
    run.memo.set(r, human);
  }
  return human;
}

function addReply(a: Accumulator, ordinal: number, records: MessageRecord[], sent: number, reply: number, run: Run, maybeAutomatic = mayBeAutomatic(records[reply])): void {
  const sentMs = recordTime(records[sent]);
  const replyMs = recordTime(records[reply]);
  if (!(replyMs > sentMs)) return; // an earlier message never answers a later one
  if (maybeAutomatic && !classify(records[reply], run)) return;
  const key = ordinal * 2 ** 32 + sent;
  const slot = a.replySlot.get(key);
  if (slot === undefined) {
    a.replySlot.set(key, a.replyAt.length);
    a.replySent.push(sentMs);
    a.replyAt.push(replyMs);
  } else if (replyMs < a.replyAt[slot]) a.replyAt[slot] = replyMs;
}

/** Replies without threading ids: "Re: <subject>" after the user's latest mail to them on it. */
function matchBySubject(
  ordinal: number,
  records: MessageRecord[],
  own: Set<string>,
  sentById: Map<string, number>,
  candidates: number[],
  run: Run,
): void {
  const wantedKeys = new Map<number, string>();
  const keys = new Set<string>();
  for (const i of candidates) {
    const k = subjectKey(records[i].subject).key;
    if (!k) continue;
    wantedKeys.set(i, k);
    keys.add(k);
  }
  // subject key + recipient → the user's mails, in time order.
  const index = new Map<string, number[]>();
  for (const s of sentById.values()) {
    const r = records[s];
    const k = subjectKey(r.subject).key;
    if (!keys.has(k)) continue;
    for (const list of [r.to, r.cc, r.bcc]) {
      for (const a of list) {
        if (isOwnAddress(a.address, own)) continue;
        const key = `${k}\u0000${a.address}`;
        const l = index.get(key);
        if (l) l.push(s);
        else index.set(key, [s]);
      }
    }
  }
  for (const [i, k] of wantedKeys) {
    const sender = records[i].from[0].address;
    const a = run.accs.get(sender);
    if (!a) continue;
    const t = recordTime(records[i]);
    let best = -1;
    for (const s of index.get(`${k}\u0000${sender}`) ?? []) {
      const st = recordTime(records[s]);
      if (st < t && t - st <= SUBJECT_GAP_MS && (best === -1 || st > recordTime(records[best]))) best = s;
    }
    if (best !== -1) addReply(a, ordinal, records, best, i, run);
  }
}

function resolveHours(o: RhythmOverride | undefined, fallback: BusinessHours): BusinessHours {
  if (!o?.hours) return fallback;
  if (typeof o.hours !== 'string') return o.hours;
  try {
    return parseHoursRange(o.hours);
  } catch {
    return fallback; // contacts/prefs.ts validates on the way in; a hand-edited store falls back
  }
}

function finish(acc: Accumulator, input: ComputeRhythmsInput, zones: ZoneTable, known: boolean): Rhythm {
  const override = input.overrides?.get(acc.address);
  const observations: ZoneObservation[] = acc.obsMs.map((ms, k) => ({ ms, offset: acc.obsOffset[k] }));
  const zone = inferContactZone({
    address: acc.address,
    observations,
    overrides: override ? { timeZone: override.timeZone ?? null, country: override.country ?? null } : null,
    accountTimeZone: acc.accountTimeZone,
    accountCountry: acc.accountCountry,
  }, zones);
  const hours = resolveHours(override, input.defaultHours ?? DEFAULT_HOURS);
  const calendar = calendarOf({ timeZone: zone.timeZone, country: zone.country, hours });
  const perDay = windowHours(calendar);

  const delays: number[] = [];
  for (let k = 0; k < acc.replyAt.length; k++) delays.push(msToHours(businessMs(calendar, acc.replySent[k], acc.replyAt[k])));
  delays.sort((a, b) => a - b);
  const med = median(delays);
  const p80 = percentile(delays, 0.8);

  const weekdays = new Array<number>(7).fill(0);
  const hoursOfDay = new Array<number>(24).fill(0);
  const minutes: number[] = [];
  /** Each own mail's weekday and hour, for the samples. */
  const wrote: RhythmSamples['wrote'] | null = input.samples ? [] : null;
  let last = -Infinity;
  for (let k = 0; k < acc.ownMs.length; k++) {
    const ms = acc.ownMs[k];
    const written = acc.ownOffset[k];
    const zoneOffset = approxOffset(calendar, ms);
    // +0000 from a sender whose zone is elsewhere is a server's clock, not theirs.
    const offset = Number.isNaN(written) || (written === 0 && zoneOffset !== 0) ? zoneOffset : written;
    const local = ms + offset * 60_000;
    const day = Math.floor(local / DAY_MS);
    const minute = Math.floor((local - day * DAY_MS) / 60_000);
    const weekday = (((day + 3) % 7) + 7) % 7;
    const hour = Math.floor(minute / 60);
    weekdays[weekday]++;
    hoursOfDay[hour]++;
    wrote?.push({ weekday, hour });
    minutes.push(minute);
    if (ms > last) last = ms;
  }
  if (input.samples && wrote) {
    const replies = acc.replyAt.map((at, k) => ({
      ...localSlot(at + approxOffset(calendar, at) * 60_000),
      delayHours: msToHours(businessMs(calendar, acc.replySent[k], at)),
    }));
    input.samples.set(acc.address, { wrote, replies, hoursPerDay: perDay });
  }
  const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  return {
    address: acc.address,
    known,
    name: acc.name,
    answered: delays.length,
    medianReplyHours: round2(med),
    p80ReplyHours: round2(p80),
    medianReplyDays: round2(med === null ? null : med / perDay),
    p80ReplyDays: round2(p80 === null ? null : p80 / perDay),
    messages: acc.ownMs.length,
    weekdayShare: shares(weekdays),
    hourShare: shares(hoursOfDay),
    activePeriod: activePeriod(minutes),
    lastWroteAt: Number.isFinite(last) ? new Date(last).toISOString() : null,
    timeZone: zone.timeZone,
    timeZoneSource: zone.source,
    country: zone.country,
    hours,
  };
}
