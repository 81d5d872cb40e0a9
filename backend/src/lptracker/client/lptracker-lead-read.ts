import { idOf, listOf } from './lptracker-read';

/**
 * LPTracker lead and contact answers (`GET/PUT /lead/{id}`, `POST /lead`, `GET /contact/search`) read defensively:
 * ids as numbers or digit strings, the stage as `stage_id`, `funnel` or `stage.id`, custom values as a list of
 * `{id, value}` or an object of id: value.
 */

export interface LptrackerLeadRecord {
  id: number;
  projectId: number | null;
  contactId: number | null;
  name: string | null;
  stageId: number | null;
  ownerId: number | null;
  /** Custom field id → value as LPTracker answered it. */
  custom: Map<number, unknown>;
}

export interface LptrackerContactRecord {
  id: number;
  projectId: number | null;
  name: string | null;
  details: { type: string; data: string }[];
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function customOf(value: unknown): Map<number, unknown> {
  const custom = new Map<number, unknown>();
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.filter(isRecord).map((item): [unknown, unknown] => [item.id, item.value])
    : isRecord(value)
      ? Object.entries(value)
      : [];
  for (const [rawId, raw] of entries) {
    const id = idOf(rawId);
    if (id !== null) custom.set(id, raw);
  }
  return custom;
}

/** A lead answer; null when it carries no usable id. */
export function readLeadRecord(result: unknown): LptrackerLeadRecord | null {
  const lead = isRecord(result) && isRecord(result.lead) ? result.lead : result;
  if (!isRecord(lead)) return null;
  const id = idOf(lead.id);
  if (id === null) return null;
  const stage = isRecord(lead.stage) ? lead.stage.id : undefined;
  return {
    id,
    projectId: idOf(lead.project_id),
    contactId: idOf(lead.contact_id) ?? (isRecord(lead.contact) ? idOf(lead.contact.id) : null),
    name: textOrNull(lead.name),
    stageId: idOf(lead.stage_id) ?? idOf(lead.funnel) ?? idOf(stage),
    ownerId: idOf(lead.owner_id) ?? idOf(lead.owner),
    custom: customOf(lead.custom),
  };
}

export function readContactRecords(result: unknown): LptrackerContactRecord[] {
  return listOf(
    Array.isArray(result) || !isRecord(result) || result.id === undefined ? result : [result],
  ).flatMap((entry) => {
    const id = idOf(entry.id);
    if (id === null) return [];
    const details = Array.isArray(entry.details)
      ? entry.details
      : Array.isArray(entry.contacts)
        ? entry.contacts
        : [];
    return [
      {
        id,
        projectId: idOf(entry.project_id),
        name: textOrNull(entry.name),
        details: details.filter(isRecord).flatMap((detail) => {
          const type = textOrNull(detail.type);
          const data = textOrNull(detail.data);
          return type !== null && data !== null ? [{ type, data }] : [];
        }),
      },
    ];
  });
}
