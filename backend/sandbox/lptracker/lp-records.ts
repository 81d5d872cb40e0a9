/** What one LPTracker sandbox account keeps in memory. Times are unix milliseconds. */

export const CUSTOM_FIELD_TYPES = ['text', 'funnel', 'owner', 'cats', 'map'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** A lead custom field; `options` are the choices of a `cats` field. */
export interface LpCustomField {
  id: number;
  name: string;
  type: CustomFieldType;
  options: string[];
}

/** A contact field (`GET /project/{id}/fields`). */
export interface LpContactField {
  id: number;
  name: string;
  type: string;
}

export interface LpStage {
  id: number;
  name: string;
  notify: boolean;
  inLeads: boolean;
  inDeals: boolean;
}

export interface LpStaff {
  id: number;
  name: string;
  job: string;
  email: string;
}

/** One registered webhook destination of a project. */
export interface LpCallbackUrl {
  id: number;
  name: string;
  url: string;
}

export interface LpProject {
  id: number;
  name: string;
  page: string;
  domain: string;
  customs: LpCustomField[];
  fields: LpContactField[];
  stages: LpStage[];
  callbacks: LpCallbackUrl[];
}

export type DetailType = 'phone' | 'email';

export interface LpDetail {
  id: number;
  type: DetailType;
  data: string;
}

export interface LpContact {
  id: number;
  projectId: number;
  name: string;
  profession: string;
  site: string;
  details: LpDetail[];
  /** Contact field id → value. */
  fields: Map<number, string>;
  createdAt: number;
  updatedAt: number;
}

export interface LpView {
  id: number;
  source: string;
  campaign: string;
  keyword: string;
}

/** text and map: a string; funnel and owner: an id; cats: the chosen options. */
export type LpCustomValue = string | number | string[];

export interface LpPayment {
  category: string;
  purpose: string;
  sum: number;
}

export interface LpComment {
  id: number;
  text: string;
  authorId: number | null;
  createdAt: number;
}

export interface LpCall {
  id: number;
  /** Unix seconds. */
  time: number;
  duration: number;
  type: 'in' | 'out' | 'callback';
  disposition: string;
  record: string | null;
  ownerId: number | null;
}

export interface LpLead {
  id: number;
  projectId: number;
  contactId: number;
  name: string;
  stageId: number | null;
  ownerId: number | null;
  leadDate: number;
  view: LpView;
  /** Custom field id → value. */
  custom: Map<number, LpCustomValue>;
  payments: LpPayment[];
  comments: LpComment[];
  calls: LpCall[];
  createdAt: number;
  updatedAt: number;
}

/** Who made a change: a staff member, through a service (API login) or by hand (control API). */
export interface LpActor {
  staffId: number | null;
  service: string | null;
}

export const MANAGER_ACTOR: LpActor = { staffId: null, service: null };
