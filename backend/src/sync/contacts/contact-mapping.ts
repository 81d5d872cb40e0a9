import type { CountryCode } from 'libphonenumber-js';
import type { AmoContact, AmoCustomFieldValue } from '../../amocrm/client/amocrm-api.types';
import type { CrmContactData } from '../../contacts/contacts.service';
import { customFieldsFromAmo } from '../custom-fields';
import { emailsOf, phonesOf } from './contact-matching';

/** Field ids of PHONE and EMAIL from the metadata, for values amoCRM answers without `field_code`. */
export interface ContactFieldIds {
  phone?: number;
  email?: number;
}

/**
 * The mirror row of an amoCRM contact: phones in E.164 and e-mails lower-case (the first one is the main one),
 * the other custom fields as amoCRM has them.
 */
export function contactDataFromAmo(
  contact: Pick<AmoContact, 'id' | 'name' | 'responsible_user_id' | 'custom_fields_values'>,
  region: CountryCode,
  fieldIds: ContactFieldIds,
  syncedAt: Date,
): CrmContactData {
  const phones = phonesOf(contact, region, fieldIds.phone);
  const emails = emailsOf(contact, fieldIds.email);
  const others = (contact.custom_fields_values ?? []).filter((field) => !isPhoneOrEmail(field, fieldIds));
  return {
    amocrmId: contact.id,
    name: contact.name,
    phone: phones[0] ?? null,
    email: emails[0] ?? null,
    phones,
    emails,
    responsibleUserId: typeof contact.responsible_user_id === 'number' ? contact.responsible_user_id : null,
    customFields: customFieldsFromAmo(others),
    syncedAt,
  };
}

export function isPhoneOrEmail(field: AmoCustomFieldValue, fieldIds: ContactFieldIds): boolean {
  const code = field.field_code?.toUpperCase();
  return (
    code === 'PHONE' ||
    code === 'EMAIL' ||
    (field.field_id !== undefined && (field.field_id === fieldIds.phone || field.field_id === fieldIds.email))
  );
}
