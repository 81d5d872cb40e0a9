export const ROLES = ['viewer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` is at least `required` (admin > manager > viewer). */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** Who is calling: a logged-in user or a client app's API key, always acting inside one workspace. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  workspaceId: string;
  role: Role;
  isSuperAdmin: boolean;
  /** E-mail of a user, name of an API key: for the audit log. */
  label: string;
  /** The login session of a bearer token (absent for API keys). */
  sessionId?: string;
  /**
   * Set when a super-admin acts in a workspace they opened (`workspaceId`): their own workspace. What they do there
   * is recorded in that workspace's audit log under their name.
   */
  homeWorkspaceId?: string;
}

/** The caller plus where the call came from, passed to services that write the audit log. */
export interface Actor {
  principal: Principal | null;
  ip: string;
}
