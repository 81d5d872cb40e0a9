import type { Tag, TagJson } from './entity-records';
import type { FormValue } from './form-encoding';
import { asInteger, isRecord } from './json-input';
import type { EntityIssues } from './problems';

/** A tag named in a request: an existing id, or a name to create on commit. */
export type TagRef = { id: number } | { name: string };

/** The tags of one entity type in one account (amoCRM keeps lead and contact tags apart). */
export class TagRegistry {
  private readonly tags = new Map<number, Tag>();

  constructor(private readonly nextId: () => number) {}

  /** Validates `_embedded.tags`; `issues` points at `_embedded.tags`. */
  read(raw: unknown, issues: EntityIssues): TagRef[] | undefined {
    if (raw === undefined) return undefined;
    if (raw === null) return [];
    if (!Array.isArray(raw)) {
      issues.add('InvalidType', '', 'tags must be an array');
      return undefined;
    }
    const refs: TagRef[] = [];
    raw.forEach((item: unknown, index) => {
      const id = isRecord(item) ? asInteger(item.id) : undefined;
      const name = isRecord(item) && typeof item.name === 'string' ? item.name.trim() : undefined;
      if (id !== undefined) {
        if (this.tags.has(id)) refs.push({ id });
        else issues.add('NotSupportedChoice', `${index}.id`, `Tag ${id} not found`);
      } else if (name) {
        refs.push({ name });
      } else {
        issues.add('FieldMissing', `${index}`, 'A tag needs id or name');
      }
    });
    return refs;
  }

  /** Turns refs into ids, creating tags named for the first time. */
  commit(refs: readonly TagRef[]): number[] {
    const ids = refs.map((ref) => ('id' in ref ? ref.id : this.idForName(ref.name)));
    return [...new Set(ids)];
  }

  private idForName(name: string): number {
    for (const tag of this.tags.values()) if (tag.name.toLowerCase() === name.toLowerCase()) return tag.id;
    const tag = { id: this.nextId(), name };
    this.tags.set(tag.id, tag);
    return tag.id;
  }

  render(ids: readonly number[]): TagJson[] {
    return ids.flatMap((id) => {
      const tag = this.tags.get(id);
      return tag ? [{ id: tag.id, name: tag.name, color: null }] : [];
    });
  }

  names(ids: readonly number[]): string[] {
    return this.render(ids).map((tag) => tag.name);
  }

  legacy(ids: readonly number[]): FormValue[] {
    return this.render(ids).map((tag) => ({ id: tag.id, name: tag.name }));
  }
}
