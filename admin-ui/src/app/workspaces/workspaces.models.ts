/** A workspace, as `GET /api/v1/workspaces` answers (super admins only). */
export interface Workspace {
  id: string;
  name: string;
  /** The workspace created at first start (it holds the super admin). */
  isDefault: boolean;
  /** Number of users. */
  users: number;
  /** Turned off: its users and API keys are refused; its webhooks are still accepted. */
  disabled: boolean;
  createdAt: string;
}

/** `GET /api/v1/workspaces/current`: where the caller acts now. */
export interface CurrentWorkspace {
  id: string;
  name: string;
  disabled: boolean;
  /** A super admin working in a workspace they opened (not their own). */
  acting: boolean;
  /** Their own workspace while acting in another one. */
  home: { id: string; name: string } | null;
}

export interface CreateWorkspaceRequest {
  name: string;
  adminEmail: string;
  adminPassword: string;
}
