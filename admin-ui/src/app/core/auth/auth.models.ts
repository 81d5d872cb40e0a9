export const ROLES = ['admin', 'manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  workspaceId: string;
  isSuperAdmin: boolean;
}

/** Answer of `POST /api/v1/auth/login` and `POST /api/v1/auth/refresh`. */
export interface AuthSession {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
  user: AuthUser;
}

export interface LoginRequest {
  email: string;
  password: string;
}

/** Body of `POST /api/v1/auth/password`. */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}
