import type { CustomFieldValues } from '../custom-field-values';

/** A contact of the local mirror (`ContactDto` of the backend). */
export interface Contact {
  id: string;
  amocrmId: number | null;
  name: string;
  /** Main phone in E.164 (`+79161234567`). */
  phone: string | null;
  email: string | null;
  phones: string[];
  emails: string[];
  responsibleUserId: number | null;
  customFields: CustomFieldValues[];
  createdAt: string;
  updatedAt: string;
  syncedAt: string | null;
  /** Where it came from (`api`, `amocrm`…). */
  source?: string | null;
  /** Set when the contact was deleted in amoCRM (lists leave such contacts out). */
  deletedAt?: string | null;
}

/** `POST /contacts` answers the contact and whether it was created now (201) or found (200). */
export interface FoundOrCreatedContact extends Contact {
  created: boolean;
}

export interface CustomFieldInput {
  fieldId: number;
  values: { value?: string | number | boolean; enumId?: number }[];
}

export interface CreateContactRequest {
  name: string;
  phone?: string;
  email?: string;
  customFields?: CustomFieldInput[];
}

/** `PATCH /contacts/:id`: a phone or e-mail is added to the contact's list (the old ones stay). */
export interface UpdateContactRequest {
  name?: string;
  phone?: string;
  email?: string;
  customFields?: CustomFieldInput[];
}

export interface ContactQuery {
  search?: string;
  phone?: string;
  email?: string;
  /** A column of the list (`name`, `phone`, `email`, `createdAt`); newest first when absent. */
  sort?: string;
  order?: 'asc' | 'desc';
  page: number;
  limit: number;
}
