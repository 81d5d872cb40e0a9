import { isKnownTimeZone, isWorkingTime, workingMsBetween, type WorkingHours } from './working-hours';

const HOUR = 3_600_000;
const weekdays: WorkingHours = { days: [1, 2, 3, 4, 5], from: 9, to: 18, timeZone: 'Europe/Moscow' };

describe('working hours', () => {
  it('reads the weekday and hour in the schedule’s time zone', () => {
    // 2026-12-07 is a Monday; 06:30 UTC is 09:30 in Moscow (UTC+3), 07:30 in Berlin (UTC+1)
    const monday = new Date('2026-12-07T06:30:00Z');
    expect(isWorkingTime(monday, weekdays)).toBe(true);
    expect(isWorkingTime(monday, { ...weekdays, timeZone: 'Europe/Berlin' })).toBe(false);
    expect(isWorkingTime(new Date('2026-12-07T15:00:00Z'), weekdays)).toBe(false); // 18:00 Moscow: closed
    expect(isWorkingTime(new Date('2026-12-05T09:00:00Z'), weekdays)).toBe(false); // Saturday
  });

  it('counts only working time: Friday 17:00 to Monday 10:00 is two hours', () => {
    const friday = new Date('2026-12-04T14:00:00Z'); // 17:00 Moscow
    const monday = new Date('2026-12-07T07:00:00Z'); // 10:00 Moscow
    expect(workingMsBetween(friday, monday, weekdays, 100 * HOUR)).toBe(2 * HOUR);
    expect(workingMsBetween(friday, monday, weekdays, 1 * HOUR)).toBe(HOUR);
  });

  it('counts partial quarter hours and nothing over a weekend', () => {
    const from = new Date('2026-12-07T06:07:00Z'); // Monday 09:07 Moscow
    const to = new Date('2026-12-07T06:52:00Z'); // 09:52
    expect(workingMsBetween(from, to, weekdays, 10 * HOUR)).toBe(45 * 60_000);
    const saturday = new Date('2026-12-05T06:00:00Z');
    const sunday = new Date('2026-12-06T20:00:00Z');
    expect(workingMsBetween(saturday, sunday, weekdays, 10 * HOUR)).toBe(0);
    expect(
      workingMsBetween(saturday, sunday, { ...weekdays, days: [6, 7], from: 0, to: 24 }, 100 * HOUR),
    ).toBe(38 * HOUR);
  });

  it('knows IANA time zones and refuses made-up ones', () => {
    expect(isKnownTimeZone('Asia/Yekaterinburg')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
