import type { CountryCode } from 'libphonenumber-js';
import { normalizeEmail, normalizePhone } from '../../contacts/phone';
import { ValidationProblem, type FieldError } from '../../http/problem';

/** How a contact is identified for find-or-create: E.164 phone and/or lower-case e-mail (at least one). */
export interface ContactIdentity {
  phone: string | null;
  email: string | null;
}

/**
 * Normalised phone and e-mail, or the field errors (the phone is invalid, or both are missing); field names carry
 * `prefix` (`contact.` for a lead's contact).
 */
export function checkIdentity(
  input: { phone?: string; email?: string },
  region: CountryCode,
  prefix = '',
): { identity?: ContactIdentity; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let phone: string | null = null;
  if (input.phone !== undefined && input.phone !== '') {
    phone = normalizePhone(input.phone, region);
    if (!phone)
      errors.push({
        field: `${prefix}phone`,
        code: 'phone',
        message: `${prefix}phone is not a valid phone number`,
      });
  }
  const email = input.email !== undefined && input.email !== '' ? normalizeEmail(input.email) : null;
  if (errors.length === 0 && !phone && !email) {
    const message = `give ${prefix}phone or ${prefix}email (at least one): the contact is found by them`;
    errors.push(
      { field: `${prefix}phone`, code: 'required', message },
      { field: `${prefix}email`, code: 'required', message },
    );
  }
  return errors.length > 0 ? { errors } : { identity: { phone, email }, errors };
}

/** Normalised phone and e-mail; a 400 naming the field when the phone is invalid or both are missing. */
export function identityOf(
  input: { phone?: string; email?: string },
  region: CountryCode,
  prefix = '',
): ContactIdentity {
  const { identity, errors } = checkIdentity(input, region, prefix);
  if (!identity) throw new ValidationProblem(errors);
  return identity;
}

/** The cross-process lock names of an identity's phone and e-mail. */
export function identityLockKeys(workspaceId: string, identity: ContactIdentity): string[] {
  return [
    ...(identity.phone ? [`foc:contact:${workspaceId}:phone:${identity.phone}`] : []),
    ...(identity.email ? [`foc:contact:${workspaceId}:email:${identity.email}`] : []),
  ];
}
