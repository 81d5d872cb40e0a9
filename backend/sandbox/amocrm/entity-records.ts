/** What the sandbox stores per account, and the v4 JSON shapes it answers with. */

export type EntityKind = 'contacts' | 'leads' | 'companies';

export type CustomFieldType =
  | 'text'
  | 'textarea'
  | 'url'
  | 'numeric'
  | 'price'
  | 'checkbox'
  | 'select'
  | 'radiobutton'
  | 'multiselect'
  | 'multitext'
  | 'date'
  | 'date_time'
  | 'birthday';

export interface FieldEnum {
  id: number;
  value: string;
  sort: number;
  /** `WORK`, `MOB`… for multitext enums; null for select options. */
  code: string | null;
}

export interface CustomFieldDefinition {
  id: number;
  name: string;
  code: string | null;
  type: CustomFieldType;
  sort: number;
  entityType: EntityKind;
  enums: FieldEnum[] | null;
  isPredefined: boolean;
}

export interface StoredFieldValue {
  value: string | number | boolean;
  enumId?: number;
}

export interface StoredCustomField {
  fieldId: number;
  values: StoredFieldValue[];
}

interface EntityAudit {
  id: number;
  responsibleUserId: number;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
  isDeleted: boolean;
  customFields: StoredCustomField[];
  tagIds: number[];
}

export interface ContactRecord extends EntityAudit {
  name: string;
  firstName: string;
  lastName: string;
  companyIds: number[];
}

export interface LeadContactLink {
  contactId: number;
  isMain: boolean;
}

export interface LeadRecord extends EntityAudit {
  name: string;
  price: number;
  statusId: number;
  pipelineId: number;
  closedAt: number | null;
  contacts: LeadContactLink[];
  companyIds: number[];
}

export interface CompanyRecord extends EntityAudit {
  name: string;
}

export interface AmoUser {
  id: number;
  name: string;
  email: string;
  isAdmin: boolean;
}

export interface PipelineStatus {
  id: number;
  name: string;
  sort: number;
  isEditable: boolean;
  pipelineId: number;
  color: string;
  /** 1 = incoming (unsorted), 0 = a regular stage. */
  type: 0 | 1;
}

export interface Pipeline {
  id: number;
  name: string;
  sort: number;
  isMain: boolean;
  isArchive: boolean;
  statuses: PipelineStatus[];
}

export const WON_STATUS_ID = 142;
export const LOST_STATUS_ID = 143;

export interface Tag {
  id: number;
  name: string;
}

// ---- v4 JSON answers ----

export interface HrefJson {
  href: string;
}

export interface SelfLinksJson {
  self: HrefJson;
}

export interface CustomFieldValueJson {
  field_id: number;
  field_name: string;
  field_code: string | null;
  field_type: CustomFieldType;
  values: { value: string | number | boolean; enum_id?: number; enum_code?: string | null }[];
}

export interface TagJson {
  id: number;
  name: string;
  color: string | null;
}

export interface EmbeddedRefJson {
  id: number;
  _links: SelfLinksJson;
}

export interface ContactJson {
  id: number;
  name: string;
  first_name: string;
  last_name: string;
  responsible_user_id: number;
  group_id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closest_task_at: number | null;
  is_deleted: boolean;
  is_unsorted: boolean;
  custom_fields_values: CustomFieldValueJson[] | null;
  account_id: number;
  _links: SelfLinksJson;
  _embedded: { tags: TagJson[]; companies: EmbeddedRefJson[]; leads?: EmbeddedRefJson[] };
}

export interface LeadJson {
  id: number;
  name: string;
  price: number;
  responsible_user_id: number;
  group_id: number;
  status_id: number;
  pipeline_id: number;
  loss_reason_id: number | null;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closest_task_at: number | null;
  is_deleted: boolean;
  custom_fields_values: CustomFieldValueJson[] | null;
  score: number | null;
  account_id: number;
  labor_cost: number | null;
  _links: SelfLinksJson;
  _embedded: {
    tags: TagJson[];
    companies: EmbeddedRefJson[];
    contacts?: (EmbeddedRefJson & { is_main: boolean })[];
  };
}
