import type { Role } from '../core/auth/auth.models';

/** An API key, as `GET /api/v1/api-keys` answers (never the key itself): active ones, then revoked ones. */
export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it (`amoi_Xk3f9aQ`). */
  prefix: string;
  role: Role;
  createdAt: string;
  /** `null` when the key has never been used. */
  lastUsedAt: string | null;
  /** When it was revoked (it no longer works); `null` for an active key. */
  revokedAt: string | null;
}

export interface CreateApiKeyRequest {
  name: string;
  role: Role;
}

/** Answer of `POST /api/v1/api-keys`: `key` is shown this once and never again. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  key: string;
}

/** The header client apps send the key in. */
export const API_KEY_HEADER = 'X-Api-Key';
