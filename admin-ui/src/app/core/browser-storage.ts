import { Injectable } from '@angular/core';

/**
 * `localStorage` that never throws (storage can be disabled or full in some browsers):
 * a failed read is `null`, a failed write is ignored.
 */
@Injectable({ providedIn: 'root' })
export class BrowserStorage {
  get(key: string): string | null {
    try {
      return globalThis.localStorage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  set(key: string, value: string): void {
    try {
      globalThis.localStorage?.setItem(key, value);
    } catch {
      // Storage unavailable: the setting just is not remembered.
    }
  }

  remove(key: string): void {
    try {
      globalThis.localStorage?.removeItem(key);
    } catch {
      // Nothing to do.
    }
  }
}
