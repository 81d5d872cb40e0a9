import type { SelectQueryBuilder } from 'typeorm';
import { escapeLike } from '../database/like';
import type { ContactEntity } from './contact.entity';

/** The filters of the contacts list (and of its exports). */
export interface ContactFilters {
  /** Free text: part of the name, digits of the main phone, the beginning of any e-mail, or a phone. */
  search?: string;
  /** `search` as an E.164 phone, when it is one: matches any of a contact's phones. */
  searchPhone?: string;
  /** Exact E.164 phone. */
  phone?: string;
  /** Exact lower-case e-mail. */
  email?: string;
}

/** Contact ids of the workspace with an identity of this kind whose value matches `condition` (on `i.value`). */
function identityIds(kind: 'phone' | 'email', condition: string): string {
  return `c.id IN (SELECT i.contact_id FROM contact_identities i WHERE i.workspace_id = :workspaceId AND i.kind = '${kind}' AND ${condition})`;
}

/**
 * The list's filters on a query builder over live contacts `c` of `:workspaceId`. Phones and e-mails are matched on
 * `contact_identities` (every one of a contact's, not only the main one), each an indexed lookup on its primary key:
 * an exact phone or e-mail; a free text that is a phone matches any phone equal to it in E.164, and any e-mail that
 * begins with it; the name (and the main phone's digits) are still matched as parts of the text.
 */
export function applyContactFilters(
  qb: SelectQueryBuilder<ContactEntity>,
  filters: ContactFilters,
): SelectQueryBuilder<ContactEntity> {
  for (const kind of ['phone', 'email'] as const) {
    const value = filters[kind];
    if (value) qb.andWhere(identityIds(kind, `i.value = :${kind}`), { [kind]: value });
  }
  if (filters.search) {
    const text = filters.search.trim();
    const digits = text.replace(/\D/g, '');
    const any = ['c.name LIKE :contains', identityIds('email', 'i.value LIKE :prefix')];
    if (digits.length >= 5) any.push('c.phone LIKE :digits');
    if (filters.searchPhone) any.push(identityIds('phone', 'i.value = :searchPhone'));
    qb.andWhere(`(${any.join(' OR ')})`, {
      contains: `%${escapeLike(text)}%`,
      prefix: `${escapeLike(text.toLowerCase())}%`,
      digits: `%${digits}%`,
      searchPhone: filters.searchPhone,
    });
  }
  return qb;
}
