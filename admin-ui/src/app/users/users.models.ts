import type { Role } from '../core/auth/auth.models';

/** A user of the workspace, as `GET /api/v1/users` answers. */
export interface User {
  id: string;
  email: string;
  role: Role;
  workspaceId: string;
  isSuperAdmin: boolean;
  disabled: boolean;
  /** ISO date-time, `null` when the user has never signed in. */
  lastLoginAt: string | null;
  createdAt: string;
}

export interface CreateUserRequest {
  email: string;
  password: string;
  role: Role;
}

/** Only the fields to change. */
export interface UpdateUserRequest {
  role?: Role;
  disabled?: boolean;
  password?: string;
}
