import type { CustomFieldInput } from './contacts.models';
import type { CustomFieldValues } from '../custom-field-values';

/** A lead (deal) of the local mirror (see `backend/src/leads`). */
export interface Lead {
  id: string;
  amocrmId: number | null;
  name: string;
  statusId: number | null;
  /** Name of the stage when the lead was last synced (the metadata has the current one). */
  status: string | null;
  pipelineId: number | null;
  /** Name of the pipeline from the server's metadata cache. */
  pipeline?: string | null;
  /** Neither won (142) nor lost (143). */
  isOpen?: boolean;
  price: number | null;
  contactId: string | null;
  /** The linked contact: included in the answer of `POST /leads` (not in lists). */
  contact?: { id: string; name: string } | null;
  responsibleUserId: number | null;
  customFields: CustomFieldValues[] | null;
  tags: string[] | null;
  /** Where it came from: `api`, `amocrm`, `lptracker:<id>`, `import:<id>`… */
  source: string | null;
  createdAt: string;
  updatedAt: string;
  syncedAt?: string | null;
  closedAt?: string | null;
  deletedAt?: string | null;
}

export interface FoundOrCreatedLead extends Lead {
  created: boolean;
}

export interface NewLeadContact {
  name: string;
  phone?: string;
  email?: string;
}

export interface CreateLeadRequest {
  name: string;
  contactId?: string;
  contact?: NewLeadContact;
  pipelineId?: number;
  statusId?: number;
  price?: number;
  customFields?: CustomFieldInput[];
  tags?: string[];
}

export interface UpdateLeadRequest {
  name?: string;
  pipelineId?: number;
  statusId?: number;
  price?: number;
  tags?: string[];
  customFields?: CustomFieldInput[];
}

export interface LeadQuery {
  search?: string;
  pipelineId?: number | null;
  statusId?: number | null;
  contactId?: string | null;
  /** A column of the list (`name`, `status`, `price`, `createdAt`); newest first when absent. */
  sort?: string;
  order?: 'asc' | 'desc';
  page: number;
  limit: number;
}
