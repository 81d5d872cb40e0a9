import type {
  CatalogOption,
  FieldCatalog,
  FieldRef,
  MappingDirection,
  MappingDocument,
  MappingTransform,
  TransformType,
} from './mappings.models';

/** The groups the field pickers show, in order (keys of `mappings.groups` in the dictionaries). */
export type FieldGroup =
  'lptrackerLead' | 'lptrackerContact' | 'lptrackerView' | 'amocrmLead' | 'amocrmContact';

/** One choice of a field picker. */
export interface PickerField {
  ref: FieldRef;
  name: string;
  type: string;
  group: FieldGroup;
  /** The choices of a list field: what an enum map may map to (`id` is what is stored). */
  options: CatalogOption[];
}

export interface PickerGroup {
  group: FieldGroup;
  fields: PickerField[];
}

export type MappingSide = 'lptracker' | 'amocrm';

/** Which system a direction reads from and writes to. */
export function sidesOf(direction: MappingDirection): { source: MappingSide; target: MappingSide } {
  return direction === 'lptracker_to_amocrm'
    ? { source: 'lptracker', target: 'amocrm' }
    : { source: 'amocrm', target: 'lptracker' };
}

function groupOf(side: MappingSide, ref: FieldRef): FieldGroup {
  if (side === 'lptracker') {
    if (ref.startsWith('contact.')) {
      return 'lptrackerContact';
    }
    return ref.startsWith('view.') ? 'lptrackerView' : 'lptrackerLead';
  }
  return ref.startsWith('contact.') ? 'amocrmContact' : 'amocrmLead';
}

function options(raw: readonly (string | CatalogOption)[] | null | undefined): CatalogOption[] {
  return (raw ?? []).map((option) => (typeof option === 'string' ? { id: option, value: option } : option));
}

/** The catalog's fields of one system, as picker choices. */
export function pickerFields(catalog: FieldCatalog | null, side: MappingSide): PickerField[] {
  if (!catalog) {
    return [];
  }
  const fields = side === 'lptracker' ? catalog.lptracker : catalog.amocrm;
  return fields.map((field) => ({
    ref: field.ref,
    name: field.name,
    type: field.type,
    group: groupOf(side, field.ref),
    options: options(field.options),
  }));
}

const GROUP_ORDER: readonly FieldGroup[] = [
  'lptrackerLead',
  'lptrackerContact',
  'lptrackerView',
  'amocrmLead',
  'amocrmContact',
];

/** The fields whose name, type or reference contain `query` (any case), grouped; empty groups left out. */
export function groupFields(fields: readonly PickerField[], query: string): PickerGroup[] {
  const needle = query.trim().toLowerCase();
  const matching = fields.filter(
    (field) =>
      needle === '' ||
      field.name.toLowerCase().includes(needle) ||
      field.type.toLowerCase().includes(needle) ||
      field.ref.toLowerCase().includes(needle),
  );
  return GROUP_ORDER.map((group) => ({
    group,
    fields: matching.filter((field) => field.group === group),
  })).filter((entry) => entry.fields.length > 0);
}

/** Transforms that ignore the source field (it is saved as null). */
export function sourceless(type: TransformType): boolean {
  return type === 'constant' || type === 'template';
}

/** A fresh transform of `type` (parameters empty, to be filled in). */
export function newTransform(type: TransformType): MappingTransform {
  switch (type) {
    case 'date':
      return { type, format: 'DD.MM.YYYY' };
    case 'enum_map':
      return { type, map: [] };
    case 'constant':
      return { type, value: '' };
    case 'template':
      return { type, template: '' };
    default:
      return { type };
  }
}

export function emptyDocument(): MappingDocument {
  return { lines: [], pipelineId: null, statusId: null, createAs: 'lead', stageMap: [], userMap: [] };
}

/** A deep copy (the editor changes its draft, never the version it came from). */
export function copyDocument(document: MappingDocument): MappingDocument {
  return structuredClone(document);
}
