// What the pictures of a contact show (issue 12 item 2), computed here so every client draws the
// same thing and the renderer only draws: a week (their time zone, Monday first) with when they
// write and when they answer the user, their business window and public holidays of that week, the
// histogram of their reply delays with the median and the 80th percentile, and where a follow-up
// goes on that week. Pure: the rhythm's samples, a calendar and a clock in, numbers and sentences out.
import type { DelayHistogram, PictureDay, PlannedSend, Rhythm, RhythmPicture } from '../api.js';
import { DAY, calendarOf, clock, instantToWallClock, localDayNumber } from '../calendar/index.js';
import type { RhythmSamples } from './rhythm.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SHORT = WEEKDAYS.map((d) => d.slice(0, 3));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface PictureInput {
  rhythm: Rhythm;
  samples: RhythmSamples | undefined;
  /** The follow-up placed on the week (queued, or where one queued now would go); null: none. */
  planned: { at: string; source: PlannedSend['source']; followUpId: string | null; reason: string } | null;
  now: Date;
  /** The user's zone, for the planned time's "yours" in the sentences. */
  userTimeZone: string;
}

/** An empty 7 × 24 grid. */
const grid = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));

/** "2 h", "1.5 d": business time as people say it. */
function span(hours: number, perDay: number): string {
  if (hours < perDay) return `${Number(hours.toFixed(1))} h`;
  return `${Number((hours / perDay).toFixed(1))} d`;
}

/** Bins of business time: hours up to one business day, then days (1, 2, 3, 5, 10). */
export function delayHistogram(delays: readonly number[], perDay: number, median: number | null, p80: number | null): DelayHistogram {
  const day = perDay > 0 ? perDay : 8;
  const edges = [...new Set([0, 1, 2, 4, day, 2 * day, 3 * day, 5 * day, 10 * day])].sort((a, b) => a - b);
  const bins: DelayHistogram['bins'] = edges.map((from, i) => {
    const to = i + 1 < edges.length ? edges[i + 1] : null;
    const label = i === 0 ? `< ${span(to!, day)}` : to === null ? `> ${span(from, day)}` : `${span(from, day)}–${span(to, day)}`;
    return { fromHours: from, toHours: to, label, count: 0 };
  });
  for (const d of delays) {
    const i = bins.findIndex((b) => b.toHours === null || d < b.toHours);
    bins[i].count++;
  }
  return { bins, replies: delays.length, medianHours: median, p80Hours: p80, hoursPerDay: day };
}

/** YYYY-MM-DD of a local day number. */
const isoDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const dayLabel = (day: number) => {
  const d = new Date(day * DAY);
  return `${SHORT[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
};

/** The seven days from the Monday of the week holding `focusMs`, on the calendar's clock, and its zone. */
function weekOf(rhythm: Rhythm, focusMs: number): { days: PictureDay[]; first: number; zone: string } {
  const calendar = calendarOf({ timeZone: rhythm.timeZone, country: rhythm.country, hours: rhythm.hours });
  const today = localDayNumber(calendar.zone, focusMs);
  const first = today - ((((today + 3) % 7) + 7) % 7); // 1970-01-01 was a Thursday
  const days: PictureDay[] = [];
  for (let d = first; d < first + 7; d++) {
    const info = calendar.day(d);
    days.push({
      date: isoDate(d),
      weekday: info.weekday,
      weekend: info.weekend,
      holidays: [...info.holidays],
      open: info.free.map(([a, b]) => ({ start: Math.round((instantToWallClock(calendar.zone, a) - d * DAY) / 60_000), end: Math.round((instantToWallClock(calendar.zone, b) - d * DAY) / 60_000) })),
    });
  }
  return { days, first, zone: calendar.zone };
}

export function rhythmPicture(input: PictureInput): RhythmPicture {
  const { rhythm, samples, planned } = input;
  const plannedMs = planned ? Date.parse(planned.at) : NaN;
  const { days, first, zone } = weekOf(rhythm, Number.isFinite(plannedMs) ? plannedMs : input.now.getTime());

  const wrote = grid();
  const answered = grid();
  for (const s of samples?.wrote ?? []) wrote[s.weekday][s.hour]++;
  for (const s of samples?.replies ?? []) answered[s.weekday][s.hour]++;
  const delays = (samples?.replies ?? []).map((r) => r.delayHours).sort((a, b) => a - b);
  const perDay = samples?.hoursPerDay ?? 8;
  const histogram = delayHistogram(delays, perDay, rhythm.medianReplyHours, rhythm.p80ReplyHours);

  let place: PlannedSend | null = null;
  if (planned && Number.isFinite(plannedMs)) {
    const wall = instantToWallClock(zone, plannedMs);
    const day = Math.floor(wall / DAY);
    place = { ...planned, dayIndex: day - first, minute: Math.round((wall - day * DAY) / 60_000) };
  }
  const picture: RhythmPicture = {
    address: rhythm.address,
    name: rhythm.name,
    timeZone: rhythm.timeZone,
    country: rhythm.country,
    hours: `${rhythm.hours.start}-${rhythm.hours.end}`,
    days,
    wrote,
    answered,
    messages: rhythm.messages,
    activePeriod: rhythm.activePeriod,
    delays: histogram,
    planned: place,
    summary: [],
  };
  picture.summary = describe(picture, first, input.userTimeZone);
  return picture;
}

/** The busiest cell of a grid: weekday and hour, and its count. */
function peak(cells: number[][]): { weekday: number; hour: number; count: number } | null {
  let best: { weekday: number; hour: number; count: number } | null = null;
  cells.forEach((row, weekday) => row.forEach((count, hour) => {
    if (count > 0 && (!best || count > best.count)) best = { weekday, hour, count };
  }));
  return best;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The pictures in words: the text alternative a screen reader reads (and the CLI could print). */
function describe(p: RhythmPicture, first: number, userTimeZone: string): string[] {
  const out: string[] = [];
  const where = `their time, ${p.timeZone}`;
  const w = peak(p.wrote);
  if (!w) out.push(`No mail written by them yet: the week shows only their business hours (${where}).`);
  else {
    const period = p.activePeriod ? `, and more than half between ${p.activePeriod.start} and ${p.activePeriod.end}` : '';
    out.push(`Of ${plural(p.messages, 'mail')} they wrote, most were written on ${WEEKDAYS[w.weekday]}s at ${clock(w.hour * 60)}–${clock(w.hour * 60 + 60)}${period} (${where}).`);
  }
  const a = peak(p.answered);
  const d = p.delays;
  if (!a || !d.replies) out.push('They have not answered any of your mails yet, so no reply delays are known.');
  else {
    const per = d.hoursPerDay;
    out.push(
      `They answered ${plural(d.replies, 'mail')} of yours, most often on ${WEEKDAYS[a.weekday]}s at ${clock(a.hour * 60)}; ` +
        `half of the replies came within ${span(d.medianHours ?? 0, per)} of their business time and 80% within ${span(d.p80Hours ?? 0, per)}.`,
    );
  }
  const working = p.days.filter((x) => !x.weekend).map((x) => SHORT[x.weekday - 1]);
  const holidays = p.days.filter((x) => x.holidays.length).map((x, _i) => `${dayLabel(first + p.days.indexOf(x))} (${x.holidays.join(', ')})`);
  out.push(
    `Their business hours are ${p.hours.replace('-', '–')} on ${working.join(', ')}; the week of ${dayLabel(first)} ` +
      (holidays.length ? `has ${holidays.length === 1 ? 'a public holiday' : 'public holidays'}: ${holidays.join('; ')}.` : 'has no public holiday.'),
  );
  if (p.planned) {
    const at = Date.parse(p.planned.at);
    const theirs = `${dayLabel(first + p.planned.dayIndex)} ${clock(p.planned.minute)}`;
    const yours = clockIn(userTimeZone, at);
    out.push(`${p.planned.source === 'queued' ? 'The follow-up goes' : 'A follow-up queued now would go'} ${theirs} their time, ${yours} your time (${userTimeZone}).`);
  }
  return out;
}

/** "Tue 24 Nov 08:00" of an instant in a zone. */
function clockIn(zone: string, ms: number): string {
  const wall = instantToWallClock(zone, ms);
  const day = Math.floor(wall / DAY);
  return `${dayLabel(day)} ${clock(Math.round((wall - day * DAY) / 60_000))}`;
}
