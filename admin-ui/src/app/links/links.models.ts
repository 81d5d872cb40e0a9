/** One row of `GET /api/v1/links`: an LPTracker lead and the amoCRM lead made for it. */
export interface LeadLink {
  id: string;
  projectId: number;
  lptrackerLeadId: number;
  amocrmLeadId: number;
  /** The lead in the local mirror (opens on the Leads page), when mirrored. */
  leadId: string | null;
  contactId: string | null;
  /** Names from the metadata caches (null when the cache does not know the id). */
  lptrackerStage: { id: number; name: string | null } | null;
  amocrmStatus: {
    pipelineId: number;
    statusId: number;
    pipelineName: string | null;
    statusName: string | null;
  } | null;
  leadName: string | null;
  contactName: string | null;
  phone: string | null;
  /** `lead` or `unsorted` («Неразобранное»). */
  createdAs: string;
  /** The direction of the last write. */
  lastDirection: 'lptracker_to_amocrm' | 'amocrm_to_lptracker' | null;
  lastSyncedAt: string | null;
}

export const LINK_SEARCH_KINDS = ['phone', 'lptrackerLeadId', 'amocrmLeadId'] as const;
export type LinkSearchKind = (typeof LINK_SEARCH_KINDS)[number];

export interface LinkQuery {
  phone?: string | null;
  lptrackerLeadId?: string | null;
  amocrmLeadId?: string | null;
  /** A column (`lptrackerLeadId`, `amocrmLeadId`, `contactName`, `createdAt`, `lastSyncedAt`); newest first when absent. */
  sort?: string;
  order?: 'asc' | 'desc';
  page: number;
  limit: number;
}
