// The follow-up feature's pure core: recipient time zone, business window, follow-up text.
// The queue, the SMTP sender and the CLI build on these (issue 6); rhythms and plans too (issue 8).
export { parseDateHeader, type DateHeaderOffset } from '../calendar/date-header.js';
export {
  inferTimeZone,
  type InferTimeZoneInput,
  type TimeZoneInference,
  type TimeZoneSource,
} from '../calendar/timezone.js';
export {
  ZONES,
  countryForZone,
  mainZoneForCountry,
  countryForAddress,
  normalizeZone,
  normalizeCountry,
  type ZoneEntry,
  type DomainCountry,
} from '../calendar/zones.js';
export { weekendDays, intlWeekInfoSupported } from '../calendar/workweek.js';
export { publicHolidays, type HolidayInterval } from '../calendar/holidays.js';
export {
  nextSendTime,
  isInsideWindow,
  businessHoursBetween,
  businessDaysBetween,
  addBusinessDays,
  MAX_SEARCH_DAYS,
  DEFAULT_HOURS,
  type BusinessHours,
  type Instant,
  type WindowOptions,
  type NextSendTimeInput,
  type SendTime,
  type SendRule,
  type IsInsideWindowInput,
  type BetweenInput,
  type AddBusinessDaysInput,
} from '../calendar/window.js';
export {
  FOLLOW_UP_TEMPLATES,
  MAX_QUOTED_LINES,
  templateForStep,
  renderFollowUp,
  replySubject,
  stripReplyPrefixes,
  firstNameFor,
  type FollowUpStep,
  type RenderFollowUpInput,
  type FirstNameInput,
} from './template.js';
