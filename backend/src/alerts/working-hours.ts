/** When a workspace's team works: days of the week (1 = Monday … 7 = Sunday), hours [from, to) in its time zone. */
export interface WorkingHours {
  days: readonly number[];
  from: number;
  to: number;
  timeZone: string;
}

const SLOT_MS = 15 * 60_000;
/** How far back the count looks: a longer silence counts as what these days held. */
const LOOK_BACK_MS = 60 * 24 * 3_600_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows (e.g. `Europe/Moscow`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Whether the moment falls in working hours (local weekday and hour in the schedule's time zone). */
export function isWorkingTime(at: Date, schedule: WorkingHours): boolean {
  let weekday = 0;
  let hour = 0;
  for (const part of formatOf(schedule.timeZone).formatToParts(at)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
    if (part.type === 'hour') hour = Number(part.value) % 24;
  }
  return schedule.days.includes(weekday) && hour >= schedule.from && hour < schedule.to;
}

/**
 * Working time between `since` and `now` in milliseconds, counted in 15-minute steps back from `now` (a step
 * counts when its start is in working hours), stopping once `enough` is reached or 60 days are looked at.
 * So a webhook last seen on Friday at 17:00 with hours 9–18 on weekdays is 2 working hours old on Monday at 10:00.
 */
export function workingMsBetween(since: Date, now: Date, schedule: WorkingHours, enough: number): number {
  const start = Math.max(since.getTime(), now.getTime() - LOOK_BACK_MS);
  let total = 0;
  let end = now.getTime();
  while (end > start && total < enough) {
    const slotStart = Math.max(start, end % SLOT_MS === 0 ? end - SLOT_MS : end - (end % SLOT_MS));
    if (isWorkingTime(new Date(slotStart), schedule)) total += end - slotStart;
    end = slotStart;
  }
  return total;
}
