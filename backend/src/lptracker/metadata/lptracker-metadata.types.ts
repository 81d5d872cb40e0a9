/** LPTracker metadata in our own camelCase shape: what mappings pick fields, stages and owners from. */

export interface LptrackerProjectInfo {
  id: number;
  name: string;
  domain: string | null;
}

/** A lead custom field (`customs`); types seen: text, funnel, owner, cats, map. */
export interface LptrackerCustomFieldMeta {
  id: number;
  name: string;
  type: string;
  /** Options of list-like fields as LPTracker gives them (`value`), when any. */
  options: string[] | null;
}

export interface LptrackerContactFieldMeta {
  id: number;
  name: string;
  type: string;
}

export interface LptrackerStageMeta {
  id: number;
  name: string;
}

export interface LptrackerStaffMeta {
  id: number;
  name: string;
  job: string | null;
}

export interface LptrackerProjectMetadataSnapshot {
  project: LptrackerProjectInfo;
  customs: LptrackerCustomFieldMeta[];
  contactFields: LptrackerContactFieldMeta[];
  funnel: LptrackerStageMeta[];
  staff: LptrackerStaffMeta[];
}

export interface LptrackerProjectMetadata extends LptrackerProjectMetadataSnapshot {
  fetchedAt: Date;
}
