/**
 * amoCRM API v4 shapes, as amoCRM sends and accepts them (snake_case kept on purpose: nothing is renamed on the
 * way in or out). Only the fields this service relies on are typed precisely; amoCRM may add more.
 */

export interface AmoLinks {
  self?: { href: string };
  next?: { href: string };
  prev?: { href: string };
}

export interface AmoCustomFieldValueItem {
  value?: string | number | boolean | null;
  enum_id?: number;
  enum_code?: string | null;
}

/** A custom field value as read (`field_id`, `field_name`…) or written (`field_id` or `field_code`). */
export interface AmoCustomFieldValue {
  field_id?: number;
  field_code?: string | null;
  field_name?: string;
  field_type?: string;
  values: AmoCustomFieldValueItem[];
}

export interface AmoTag {
  id: number;
  name: string;
  color?: string | null;
}

export interface AmoEntityRef {
  id: number;
  is_main?: boolean;
  _links?: AmoLinks;
}

export interface AmoContact {
  id: number;
  name: string;
  first_name?: string;
  last_name?: string;
  responsible_user_id: number;
  group_id?: number;
  created_by?: number;
  updated_by?: number;
  created_at: number;
  updated_at: number;
  is_deleted?: boolean;
  custom_fields_values: AmoCustomFieldValue[] | null;
  account_id?: number;
  _links?: AmoLinks;
  _embedded?: { tags?: AmoTag[]; companies?: AmoEntityRef[]; leads?: AmoEntityRef[] };
}

export interface AmoLead {
  id: number;
  name: string;
  price: number | null;
  responsible_user_id: number;
  group_id?: number;
  status_id: number;
  pipeline_id: number;
  loss_reason_id?: number | null;
  created_by?: number;
  updated_by?: number;
  created_at: number;
  updated_at: number;
  closed_at?: number | null;
  is_deleted?: boolean;
  custom_fields_values: AmoCustomFieldValue[] | null;
  account_id?: number;
  _links?: AmoLinks;
  _embedded?: { tags?: AmoTag[]; companies?: AmoEntityRef[]; contacts?: AmoEntityRef[] };
}

/** Tags to set on write: existing by id, or new/existing by name. */
export type AmoTagInput = { id: number } | { name: string };

export interface AmoContactInput {
  name?: string;
  first_name?: string;
  last_name?: string;
  responsible_user_id?: number;
  custom_fields_values?: AmoCustomFieldValue[];
  _embedded?: { tags?: AmoTagInput[] };
  /** Set by the client when absent: the index of the entity in the call. */
  request_id?: string;
}

export interface AmoContactUpdate extends AmoContactInput {
  id: number;
}

export interface AmoLeadInput {
  name?: string;
  price?: number;
  status_id?: number;
  pipeline_id?: number;
  responsible_user_id?: number;
  custom_fields_values?: AmoCustomFieldValue[];
  _embedded?: {
    tags?: AmoTagInput[];
    contacts?: { id: number; is_main?: boolean }[];
    companies?: { id: number }[];
  };
  request_id?: string;
}

export interface AmoLeadUpdate extends AmoLeadInput {
  id: number;
}

/** `leads/complex`: a lead with at most one contact and one company, new (fields) or existing (`id`). */
export interface AmoComplexLeadInput extends Omit<AmoLeadInput, '_embedded'> {
  _embedded?: {
    tags?: AmoTagInput[];
    contacts?: (AmoContactInput | { id: number })[];
    companies?: ({ name: string; custom_fields_values?: AmoCustomFieldValue[] } | { id: number })[];
  };
}

export interface AmoAccount {
  id: number;
  name: string;
  subdomain: string;
  current_user_id?: number;
  currency?: string;
  country?: string;
  created_at?: number;
  _links?: AmoLinks;
}

export interface AmoUser {
  id: number;
  name: string;
  email?: string | null;
  rights?: { is_admin?: boolean; is_active?: boolean } & Record<string, unknown>;
}

export interface AmoPipelineStatus {
  id: number;
  name: string;
  sort: number;
  pipeline_id: number;
  color?: string | null;
  /** 0: a regular stage; 1: incoming (unsorted). */
  type: number;
  is_editable?: boolean;
}

export interface AmoPipeline {
  id: number;
  name: string;
  sort: number;
  is_main: boolean;
  is_archive?: boolean;
  is_unsorted_on?: boolean;
  _embedded: { statuses: AmoPipelineStatus[] };
}

export interface AmoCustomFieldEnum {
  id: number;
  value: string;
  sort: number;
  code?: string | null;
}

export interface AmoCustomField {
  id: number;
  name: string;
  type: string;
  code: string | null;
  sort: number;
  entity_type?: string;
  is_predefined?: boolean;
  enums: AmoCustomFieldEnum[] | null;
}

export type AmoCustomFieldEntity = 'contacts' | 'leads' | 'companies';

/** Webhook events amoCRM accepts in `settings`. */
export type AmoWebhookEvent =
  | `${'add' | 'update' | 'delete' | 'restore' | 'responsible' | 'note'}_${'lead' | 'contact' | 'company' | 'customer' | 'task'}`
  | 'status_lead';

export interface AmoWebhook {
  id: number;
  destination: string;
  created_at?: number;
  updated_at?: number;
  account_id?: number;
  created_by?: number;
  sort: number;
  disabled: boolean;
  settings: string[];
}

/** A page of a list: `_embedded[key]` holds the items. */
export interface AmoListPage<K extends string, T> {
  _page?: number;
  _links?: AmoLinks;
  _embedded?: { [key in K]?: T[] };
}

/** One written entity matched back to its input. */
export interface AmoWriteResult {
  requestId: string;
  id: number;
}

export interface AmoUpdateResult {
  requestId: string;
  id: number;
  updatedAt: number | null;
}

export interface AmoComplexResult {
  requestId: string;
  leadId: number;
  contactId: number | null;
  companyId: number | null;
  /** amoCRM merged the contact into an existing one (duplicate control). */
  merged: boolean;
}

export interface AmoContactListQuery {
  /** Broad search over filled fields (not an exact phone match). */
  query?: string;
  with?: 'leads'[];
  filter?: {
    id?: number[];
    name?: string[];
    updated_at?: { from?: number; to?: number };
    responsible_user_id?: number[];
  };
  order?: { id?: 'asc' | 'desc'; created_at?: 'asc' | 'desc'; updated_at?: 'asc' | 'desc' };
  /** Page size, at most 250 (the default). */
  limit?: number;
}

export interface AmoLeadListQuery {
  query?: string;
  with?: ('contacts' | 'loss_reason' | 'is_price_modified_by_robot')[];
  filter?: {
    id?: number[];
    pipeline_id?: number[];
    statuses?: { pipeline_id: number; status_id?: number }[];
    updated_at?: { from?: number; to?: number };
    responsible_user_id?: number[];
  };
  order?: { id?: 'asc' | 'desc'; created_at?: 'asc' | 'desc'; updated_at?: 'asc' | 'desc' };
  limit?: number;
}

export interface SubscribeWebhookResult {
  webhook: AmoWebhook;
  /** `unchanged`: the hook already had these settings; `replaced`: it was deleted and re-added with them. */
  outcome: 'created' | 'unchanged' | 'replaced';
}
