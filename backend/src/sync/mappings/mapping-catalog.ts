import type { AmocrmCustomFieldMeta, AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import type { FieldRef } from './mapping.types';

export interface LptrackerCatalogField {
  ref: FieldRef;
  name: string;
  type: string;
  options?: string[];
}

export interface AmocrmCatalogField {
  ref: FieldRef;
  name: string;
  type: string;
  entity: 'contact' | 'lead';
  options?: { id: number; value: string }[];
}

/** What the mapping editor picks from: fields of both systems, stages, pipelines, staff and users. */
export interface MappingCatalog {
  lptracker: LptrackerCatalogField[];
  amocrm: AmocrmCatalogField[];
  lptrackerStages: { id: number; name: string }[];
  amocrmPipelines: { id: number; name: string; statuses: { id: number; name: string }[] }[];
  lptrackerStaff: { id: number; name: string }[];
  amocrmUsers: { id: number; name: string }[];
}

const LPTRACKER_BUILTINS: LptrackerCatalogField[] = [
  { ref: 'lead.name', name: 'Название заявки', type: 'text' },
  { ref: 'lead.stage', name: 'Этап', type: 'stage' },
  { ref: 'lead.owner', name: 'Ответственный', type: 'owner' },
  { ref: 'lead.created_at', name: 'Дата заявки', type: 'date' },
  { ref: 'contact.name', name: 'Имя контакта', type: 'text' },
  { ref: 'contact.phone', name: 'Телефоны', type: 'phone' },
  { ref: 'contact.email', name: 'E-mail', type: 'email' },
  { ref: 'view.source', name: 'Источник', type: 'text' },
  { ref: 'view.campaign', name: 'Кампания', type: 'text' },
  { ref: 'view.keyword', name: 'Ключевое слово', type: 'text' },
];

const AMOCRM_BUILTINS: AmocrmCatalogField[] = [
  { ref: 'lead.name', name: 'Название сделки', type: 'text', entity: 'lead' },
  { ref: 'lead.price', name: 'Бюджет', type: 'numeric', entity: 'lead' },
  { ref: 'lead.tags', name: 'Теги', type: 'tags', entity: 'lead' },
  { ref: 'lead.responsible', name: 'Ответственный', type: 'user', entity: 'lead' },
  { ref: 'lead.status', name: 'Этап', type: 'status', entity: 'lead' },
  { ref: 'contact.name', name: 'Имя контакта', type: 'text', entity: 'contact' },
  { ref: 'contact.phone', name: 'Телефоны', type: 'phone', entity: 'contact' },
  { ref: 'contact.email', name: 'E-mail', type: 'email', entity: 'contact' },
];

/**
 * The field catalog of one project from the two metadata caches (empty parts when a cache is not loaded). LPTracker's
 * contact fields are left out: callbacks do not carry them.
 */
export function buildCatalog(
  amocrm: AmocrmMetadata | null,
  lptracker: LptrackerProjectMetadata | null,
): MappingCatalog {
  const amoField =
    (entity: 'contact' | 'lead') =>
    (field: AmocrmCustomFieldMeta): AmocrmCatalogField => ({
      ref: `${entity}.custom.${field.id}`,
      name: field.name,
      type: field.type,
      entity,
      ...(field.enums
        ? { options: field.enums.map((option) => ({ id: option.id, value: option.value })) }
        : {}),
    });
  // the contact's phone and e-mail fields are written through contact.phone / contact.email
  const contactFields = (amocrm?.contactFields ?? []).filter(
    (field) => !['PHONE', 'EMAIL'].includes((field.code ?? '').toUpperCase()),
  );
  return {
    lptracker: [
      ...LPTRACKER_BUILTINS,
      ...(lptracker?.customs ?? []).map((field) => ({
        ref: `lead.custom.${field.id}`,
        name: field.name,
        type: field.type,
        ...(field.options ? { options: field.options } : {}),
      })),
    ],
    amocrm: [
      ...AMOCRM_BUILTINS,
      ...(amocrm?.leadFields ?? []).map(amoField('lead')),
      ...contactFields.map(amoField('contact')),
    ],
    lptrackerStages: (lptracker?.funnel ?? []).map((stage) => ({ id: stage.id, name: stage.name })),
    amocrmPipelines: (amocrm?.pipelines ?? []).map((pipeline) => ({
      id: pipeline.id,
      name: pipeline.name,
      statuses: pipeline.statuses.map((status) => ({ id: status.id, name: status.name })),
    })),
    lptrackerStaff: (lptracker?.staff ?? []).map((person) => ({ id: person.id, name: person.name })),
    amocrmUsers: (amocrm?.users ?? []).map((user) => ({ id: user.id, name: user.name })),
  };
}
