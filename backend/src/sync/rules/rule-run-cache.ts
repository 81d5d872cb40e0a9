import type { RuleForRun } from './rule.types';

/**
 * The enabled rules of a (workspace, settings version), kept in memory so a run does not read the database on
 * every event. Safe because what was in force at a settings version never changes: each rule change bumps the
 * version in the transaction that writes it. Bounded: past `cap` entries the least recently used one goes; a
 * failed read is not kept.
 */
export class RulesForRunCache {
  private readonly entries = new Map<string, Promise<RuleForRun[]>>();

  constructor(private readonly cap = 256) {}

  get(
    workspaceId: string,
    settingsVersion: number,
    load: () => Promise<RuleForRun[]>,
  ): Promise<RuleForRun[]> {
    const key = `${workspaceId}#${settingsVersion}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const loading = load();
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    if (this.entries.size >= this.cap) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, loading);
    return loading;
  }

  get size(): number {
    return this.entries.size;
  }
}
