import { Injectable } from '@angular/core';
import { NativeDateAdapter } from '@angular/material/core';

const DAY_FIRST = /^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$/;

/**
 * The native date adapter, but typed dates are read day first (`31.12.2026`, `31/12/2026`), as
 * both console languages (ru-RU, en-GB) write them; the browser's `Date.parse` reads them as
 * month first or not at all.
 */
@Injectable()
export class DayFirstDateAdapter extends NativeDateAdapter {
  override parse(value: unknown, parseFormat?: object): Date | null {
    if (typeof value === 'string') {
      const match = DAY_FIRST.exec(value);
      if (match) {
        const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
        const date = new Date(year, month - 1, day);
        const exists = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
        return exists ? date : this.invalid();
      }
    }
    return super.parse(value, parseFormat);
  }
}
