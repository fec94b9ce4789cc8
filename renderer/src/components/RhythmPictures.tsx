// A contact's rhythm as pictures (issue 12 item 2): a week heat map of when they write and when
// they answer (their clock), their business window and holidays drawn on it, the follow-up's
// planned time placed on that week, and the histogram of their reply delays with the median and
// p80 marked. Every number comes from the core (api.rhythmPicture); this file only draws.
//
// Plain SVG rather than a charting library: two fixed grids of 7 × 24 cells and one bar chart
// with two marks need no scales, axes or layout engine, and a library (recharts, visx, nivo)
// would add ~100-400 kB to the renderer and style through inline attributes that the page's CSP
// ("style-src 'self'") and the theme's CSS variables fit less well. Colours are CSS classes
// (styles.css, .rp-*), so light and dark come from the same variables as the rest of the app.
//
// Text alternatives: each picture is role="img" with a <title> (what it shows) and an
// aria-describedby sentence (what it says), and a visually hidden table carries the numbers.
import { useId } from 'react';
import type { PictureDay, RhythmPicture } from '../../../main/core/api';

const W = 24;
const CELL = 13;
const LABEL = 64;
const TOP = 16;
const HOURS_SHOWN = [0, 3, 6, 9, 12, 15, 18, 21];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hh = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "Mon 23" of a picture day (its date is the contact's local date). */
function dayLabel(d: PictureDay): string {
  return `${WEEKDAYS[d.weekday - 1]} ${Number(d.date.slice(8, 10))}`;
}

/** Shade 0..4 of a count against the grid's largest (0: none). */
function shade(count: number, max: number): number {
  if (!count || !max) return 0;
  return Math.min(4, 1 + Math.floor((3 * count) / max + 0.0001));
}

function WeekMap({ picture, cells, title, kind }: { picture: RhythmPicture; cells: number[][]; title: string; kind: 'wrote' | 'answered' }) {
  const id = useId();
  const max = Math.max(0, ...cells.flat());
  const width = LABEL + W * CELL + 4;
  const height = TOP + 7 * CELL + 4;
  const p = picture.planned;
  const total = cells.flat().reduce((a, b) => a + b, 0);
  const words =
    total === 0
      ? `${title}: nothing yet.`
      : `${title}: ${total} in all; the busiest hours are ${busiest(cells)
          .map(([d, h, n]) => `${WEEKDAYS[d]} ${hh(h * 60)} (${n})`)
          .join(', ')}.`;
  return (
    <figure className="rp-figure" data-testid={`heatmap-${kind}`}>
      <figcaption className="rp-caption">{title}</figcaption>
      <svg role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} viewBox={`0 0 ${width} ${height}`} width={width} height={height} className="rp-svg">
        <title id={`${id}-t`}>{`${title}, by weekday and hour, in ${picture.timeZone} time`}</title>
        {HOURS_SHOWN.map((h) => (
          <text key={h} x={LABEL + h * CELL} y={TOP - 5} className="rp-axis">
            {String(h).padStart(2, '0')}
          </text>
        ))}
        {picture.days.map((d, row) => {
          const y = TOP + row * CELL;
          return (
            <g key={d.date} data-day={d.date} className={d.holidays.length ? 'rp-holiday' : d.weekend ? 'rp-weekend' : undefined}>
              <text x={0} y={y + CELL - 3} className={`rp-axis${d.holidays.length ? ' rp-axis-holiday' : ''}`}>
                {dayLabel(d)}
                {d.holidays.length ? ' ★' : ''}
              </text>
              {/* Closed days behind the cells: weekend and holidays shaded. */}
              {(d.weekend || d.holidays.length > 0) && <rect x={LABEL} y={y} width={W * CELL} height={CELL} className={d.holidays.length ? 'rp-closed rp-closed-holiday' : 'rp-closed'} />}
              {cells[row].map((n, h) => (
                <rect key={h} x={LABEL + h * CELL + 1} y={y + 1} width={CELL - 2} height={CELL - 2} rx={2} className={`rp-cell rp-${kind}-${shade(n, max)}`} data-count={n}>
                  <title>{`${WEEKDAYS[row]} ${hh(h * 60)}–${hh(h * 60 + 60)}: ${n}`}</title>
                </rect>
              ))}
              {d.open.map((o) => (
                <rect key={o.start} x={LABEL + (o.start / 60) * CELL} y={y + 0.5} width={((o.end - o.start) / 60) * CELL} height={CELL - 1} className="rp-window" data-testid="business-window" />
              ))}
            </g>
          );
        })}
        {p && p.dayIndex >= 0 && p.dayIndex < 7 && (
          <g className="rp-planned" data-testid="planned-mark">
            <line x1={LABEL + (p.minute / 60) * CELL} x2={LABEL + (p.minute / 60) * CELL} y1={TOP - 2} y2={TOP + 7 * CELL} />
            <circle cx={LABEL + (p.minute / 60) * CELL} cy={TOP + p.dayIndex * CELL + CELL / 2} r={4.5} />
          </g>
        )}
      </svg>
      <p id={`${id}-d`} className="sr-only">
        {words}
      </p>
      {/* A table is never narrower than its text: the hiding box is a div around it. */}
      <div className="sr-only">
      <table>
        <caption>{`${title} (${picture.timeZone} time): mails per hour`}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Hours with mail</th>
          </tr>
        </thead>
        <tbody>
          {picture.days.map((d, row) => (
            <tr key={d.date}>
              <th scope="row">{`${dayLabel(d)}${d.holidays.length ? ` (holiday: ${d.holidays.join(', ')})` : d.weekend ? ' (weekend)' : ''}`}</th>
              <td>
                {cells[row]
                  .map((n, h) => (n ? `${hh(h * 60)}: ${n}` : ''))
                  .filter(Boolean)
                  .join(', ') || 'none'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

/** The three busiest cells: [weekday, hour, count]. */
function busiest(cells: number[][]): [number, number, number][] {
  const all: [number, number, number][] = [];
  cells.forEach((row, d) => row.forEach((n, h) => n && all.push([d, h, n])));
  return all.sort((a, b) => b[2] - a[2]).slice(0, 3);
}

/** Where a delay in hours falls on the histogram's x axis (bins of equal width). */
function xOfHours(hours: number, bins: RhythmPicture['delays']['bins'], left: number, binW: number): number {
  const i = bins.findIndex((b) => b.toHours === null || hours < b.toHours);
  const b = bins[i];
  const frac = b.toHours === null ? 0.5 : (hours - b.fromHours) / (b.toHours - b.fromHours);
  return left + (i + Math.max(0, Math.min(1, frac))) * binW;
}

function DelayChart({ picture }: { picture: RhythmPicture }) {
  const id = useId();
  const { bins, medianHours, p80Hours, replies, hoursPerDay } = picture.delays;
  const left = 8;
  const binW = 38;
  const chartH = 70;
  // Room above the bars for the two marks' labels, one row each, clear of the counts.
  const top = 32;
  const width = left + bins.length * binW + 8;
  const height = top + chartH + 28;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const fmt = (h: number) => (h < hoursPerDay ? `${Number(h.toFixed(1))} h` : `${Number((h / hoursPerDay).toFixed(1))} business days`);
  const marks = [
    { name: 'median', hours: medianHours, cls: 'rp-median' },
    { name: 'p80', hours: p80Hours, cls: 'rp-p80' },
  ].filter((m): m is { name: string; hours: number; cls: string } => m.hours !== null && replies > 0);
  return (
    <figure className="rp-figure" data-testid="delay-histogram">
      <figcaption className="rp-caption">How long they take to answer you (their business time)</figcaption>
      <svg role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} viewBox={`0 0 ${width} ${height}`} width={width} height={height} className="rp-svg">
        <title id={`${id}-t`}>Reply delays of {replies} replies, in business hours and days</title>
        <line x1={left} x2={width - 8} y1={top + chartH} y2={top + chartH} className="rp-baseline" />
        {bins.map((b, i) => {
          const h = (b.count / max) * chartH;
          return (
            <g key={b.label}>
              {b.count > 0 && <rect x={left + i * binW + 3} y={top + chartH - h} width={binW - 6} height={h} rx={2} className="rp-bar" data-count={b.count} />}
              {b.count > 0 && (
                <text x={left + i * binW + binW / 2} y={top + chartH - h - 3} className="rp-axis rp-center">
                  {b.count}
                </text>
              )}
              <text x={left + i * binW + binW / 2} y={top + chartH + 12} className="rp-axis rp-center rp-small">
                {b.label}
              </text>
            </g>
          );
        })}
        {marks.map((m, k) => {
          const x = xOfHours(m.hours, bins, left, binW);
          return (
            <g key={m.name} className={m.cls} data-testid={`mark-${m.name}`}>
              <line x1={x} x2={x} y1={k * 11 + 2} y2={top + chartH} />
              <text x={x + 3} y={k * 11 + 9} className="rp-axis rp-mark-label">
                {m.name}
              </text>
            </g>
          );
        })}
        {!replies && (
          <text x={width / 2} y={top + chartH / 2} className="rp-axis rp-center">
            No replies measured yet
          </text>
        )}
      </svg>
      <p id={`${id}-d`} className="sr-only">
        {replies
          ? `${replies} replies. Half came within ${fmt(medianHours ?? 0)}, 80% within ${fmt(p80Hours ?? 0)}. ` + bins.filter((b) => b.count).map((b) => `${b.label}: ${b.count}`).join('; ') + '.'
          : 'No replies measured yet.'}
      </p>
      <div className="rp-legend" aria-hidden="true">
        {medianHours !== null && replies > 0 && (
          <span>
            <i className="rp-key rp-median" /> median {fmt(medianHours)}
          </span>
        )}
        {p80Hours !== null && replies > 0 && (
          <span>
            <i className="rp-key rp-p80" /> 80% within {fmt(p80Hours)}
          </span>
        )}
      </div>
    </figure>
  );
}

/** The contact's pictures with their legend and the same in words. */
export function RhythmPictures({ picture, compact = false }: { picture: RhythmPicture; compact?: boolean }) {
  return (
    <section className="rp" aria-label={`Rhythm of ${picture.name || picture.address}`} data-testid="rhythm-pictures">
      <div className="rp-legend" aria-hidden="true">
        <span>
          <i className="rp-key rp-window-key" /> business hours {picture.hours.replace('-', '–')}
        </span>
        <span>
          <i className="rp-key rp-closed-key" /> weekend
        </span>
        {picture.days
          .filter((d) => d.holidays.length)
          .map((d) => (
            <span key={d.date} data-testid="holiday">
              ★ {dayLabel(d)}: {d.holidays.join(', ')}
            </span>
          ))}
        {picture.planned && (
          <span>
            <i className="rp-key rp-planned-key" /> {picture.planned.source === 'queued' ? 'follow-up goes' : 'a follow-up now would go'}
          </span>
        )}
      </div>
      <div className={compact ? 'rp-maps compact' : 'rp-maps'}>
        <WeekMap picture={picture} cells={picture.wrote} title="When they write (all their mail)" kind="wrote" />
        <WeekMap picture={picture} cells={picture.answered} title="When they answer you (all their replies)" kind="answered" />
      </div>
      <DelayChart picture={picture} />
      <ul className="rp-summary" data-testid="rhythm-summary">
        {picture.summary.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </section>
  );
}
