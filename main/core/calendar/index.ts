// The business calendar, shared by contacts, triage and follow-ups: time zones and their offsets,
// the recipient's zone inferred from Date headers, weekends (CLDR week data) and public holidays,
// business hours, the send window, and the fast business clock rhythms count with. Pure.
export { parseDateHeader, type DateHeaderOffset } from './date-header.js';
export { inferTimeZone, ZONE_SCORING, type InferTimeZoneInput, type TimeZoneInference, type TimeZoneSource } from './timezone.js';
export {
  ZONES,
  countryForZone,
  mainZoneForCountry,
  countryForAddress,
  curatedZonesForCountry,
  isKnownCountry,
  normalizeZone,
  normalizeCountry,
  zoneEntry,
  type ZoneEntry,
  type DomainCountry,
} from './zones.js';
export { DAY, instantToWallClock, localDayNumber, wallClockToInstant, zoneOffset } from './offset.js';
export { weekendDays, intlWeekInfoSupported } from './workweek.js';
export { publicHolidays, type HolidayInterval } from './holidays.js';
export { localTimeZone } from './local-zone.js';
export { parseHoursRange, storedHours } from './hours.js';
export { calendarFor, parseHours, type Calendar } from './calendar.js';
export { DAY_MS, approxOffset, businessMs, calendarOf, clock, headerOffset, msToHours, windowHours, type WindowSpec } from './business-clock.js';
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
} from './window.js';
