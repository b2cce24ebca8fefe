/** Business hours in a time zone (`policy.businessHours`): is a moment inside them? Pure; the zone data is the runtime's ICU. */
import type { BusinessHours } from './config/schema.ts';

const weekdayOf: Record<string, BusinessHours['days'][number]> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

export interface LocalTime {
  day: BusinessHours['days'][number];
  /** HH:MM on the 24-hour clock. */
  time: string;
  /** `2026-11-20 17:45 (Europe/Berlin)`, for evidence. */
  label: string;
}

/** The local weekday and time of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}`;
  return {
    day: weekdayOf[get('weekday')] ?? 'mon',
    time,
    label: `${get('year')}-${get('month')}-${get('day')} ${get('weekday')} ${time} (${timeZone})`,
  };
}

/** Is the instant within business hours (start inclusive, end exclusive)? */
export function withinBusinessHours(at: Date, hours: BusinessHours): boolean {
  const t = localTime(at, hours.timeZone);
  return hours.days.includes(t.day) && t.time >= hours.start && t.time < hours.end;
}
