import type { TranslationKey } from '../core/i18n/i18n.types';
import type { AmocrmWritePlan, FieldCatalog, LptrackerWritePlan, NamedId } from './mappings.models';

export interface PreviewRow {
  label: string;
  value: string;
}

export interface PreviewSection {
  title: string;
  rows: PreviewRow[];
}

type Translate = (key: TranslationKey) => string;
type CustomValues = AmocrmWritePlan['lead']['customFields'];

function nameOf(list: readonly NamedId[] | undefined, id: number | null): string | null {
  if (id === null) {
    return null;
  }
  return list?.find((item) => item.id === id)?.name ?? `#${id}`;
}

function push(rows: PreviewRow[], label: string, value: string | number | null | undefined): void {
  if (value !== null && value !== undefined && value !== '') {
    rows.push({ label, value: String(value) });
  }
}

/** amoCRM custom field values by the field's name (and the chosen option's text for lists). */
function amocrmCustoms(
  rows: PreviewRow[],
  values: CustomValues,
  entity: 'lead' | 'contact',
  catalog: FieldCatalog | null,
): void {
  for (const field of values) {
    const known = catalog?.amocrm.find((candidate) => candidate.ref === `${entity}.custom.${field.fieldId}`);
    const text = field.values
      .map((value) =>
        value.enumId !== undefined
          ? (known?.options?.find((option) => option.id === value.enumId)?.value ?? `#${value.enumId}`)
          : String(value.value ?? ''),
      )
      .join(', ');
    push(rows, known?.name ?? `#${field.fieldId}`, text);
  }
}

function amocrmSections(plan: AmocrmWritePlan, catalog: FieldCatalog | null, t: Translate): PreviewSection[] {
  const contact: PreviewRow[] = [];
  push(contact, t('mappings.preview.name'), plan.contact.name);
  push(contact, t('mappings.preview.phones'), plan.contact.phones.join(', '));
  push(contact, t('mappings.preview.emails'), plan.contact.emails.join(', '));
  amocrmCustoms(contact, plan.contact.customFields, 'contact', catalog);

  const lead: PreviewRow[] = [];
  push(lead, t('mappings.preview.name'), plan.lead.name);
  push(lead, t('mappings.preview.price'), plan.lead.price);
  push(lead, t('mappings.preview.tags'), plan.lead.tags.join(', '));
  push(lead, t('mappings.preview.responsible'), nameOf(catalog?.amocrmUsers, plan.lead.responsibleUserId));
  const pipeline = catalog?.amocrmPipelines.find((candidate) => candidate.id === plan.lead.pipelineId);
  push(lead, t('mappings.preview.pipeline'), nameOf(catalog?.amocrmPipelines, plan.lead.pipelineId));
  push(lead, t('mappings.preview.status'), nameOf(pipeline?.statuses, plan.lead.statusId));
  amocrmCustoms(lead, plan.lead.customFields, 'lead', catalog);

  return [
    { title: t('mappings.preview.amocrmContact'), rows: contact },
    { title: t('mappings.preview.amocrmLead'), rows: lead },
  ];
}

function lptrackerSections(
  plan: LptrackerWritePlan,
  catalog: FieldCatalog | null,
  t: Translate,
): PreviewSection[] {
  const lead: PreviewRow[] = [];
  push(lead, t('mappings.preview.name'), plan.name);
  push(lead, t('mappings.preview.stage'), nameOf(catalog?.lptrackerStages, plan.stageId));
  push(lead, t('mappings.preview.owner'), nameOf(catalog?.lptrackerStaff, plan.ownerId));
  for (const [id, value] of Object.entries(plan.custom)) {
    const known = catalog?.lptracker.find((field) => field.ref === `lead.custom.${id}`);
    push(lead, known?.name ?? `#${id}`, value);
  }
  return [{ title: t('mappings.preview.lptrackerLead'), rows: lead }];
}

/** What a write plan would write, as labelled rows per record (names from the catalog, ids when unknown). */
export function previewSections(
  plan: AmocrmWritePlan | LptrackerWritePlan,
  catalog: FieldCatalog | null,
  t: Translate,
): PreviewSection[] {
  return 'contact' in plan ? amocrmSections(plan, catalog, t) : lptrackerSections(plan, catalog, t);
}
