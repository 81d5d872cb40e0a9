/** The account metadata other modules map fields and stages against, in our own camelCase shape. */

export interface AmocrmAccountInfo {
  id: number;
  name: string;
  subdomain: string;
  currentUserId: number | null;
  currency: string | null;
}

export interface AmocrmUserMeta {
  id: number;
  name: string;
  email: string | null;
  isAdmin: boolean;
  isActive: boolean;
}

export interface AmocrmStatusMeta {
  id: number;
  name: string;
  color: string | null;
  /** 0 regular, 1 incoming (unsorted); 142 won and 143 lost are ids, not types. */
  type: number;
  sort: number;
}

export interface AmocrmPipelineMeta {
  id: number;
  name: string;
  isMain: boolean;
  isArchive: boolean;
  sort: number;
  statuses: AmocrmStatusMeta[];
}

export interface AmocrmFieldEnumMeta {
  id: number;
  value: string;
  sort: number;
}

export interface AmocrmCustomFieldMeta {
  id: number;
  name: string;
  /** `PHONE`, `EMAIL`… for predefined fields; null otherwise. */
  code: string | null;
  /** `text`, `numeric`, `select`, `multiselect`, `multitext`, `date`… */
  type: string;
  sort: number;
  enums: AmocrmFieldEnumMeta[] | null;
}

export interface AmocrmMetadataSnapshot {
  account: AmocrmAccountInfo;
  users: AmocrmUserMeta[];
  pipelines: AmocrmPipelineMeta[];
  contactFields: AmocrmCustomFieldMeta[];
  leadFields: AmocrmCustomFieldMeta[];
}

export interface AmocrmMetadata extends AmocrmMetadataSnapshot {
  fetchedAt: Date;
}

export type AmocrmFieldEntity = 'contacts' | 'leads';
