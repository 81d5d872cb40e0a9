/** A workspace, as `GET /api/v1/workspaces` answers (super admins only). */
export interface Workspace {
  id: string;
  name: string;
  /** The workspace created at first start (it holds the super admin). */
  isDefault: boolean;
  /** Number of users. */
  users: number;
  createdAt: string;
}

export interface CreateWorkspaceRequest {
  name: string;
  adminEmail: string;
  adminPassword: string;
}
