import type { Expected } from './access-matrix';

/**
 * Acting on a more privileged target (issue #10.1), written down by hand: nobody changes a user whose
 * privileges exceed their own. Only the super-admin changes or deletes the super-admin; an ordinary admin
 * (user or admin API key) of the same workspace gets 403 for its password, role, disabled flag, e-mail or
 * deletion; an admin acting on an admin peer is allowed; another workspace's users and keys answer 404;
 * nobody makes a super-admin through the users API.
 */
export type TargetActor = 'superAdmin' | 'adminUser' | 'adminKey' | 'managerUser' | 'otherAdmin';

export type TargetKind =
  | 'superAdmin' // the platform super-admin (admin of workspace A)
  | 'adminPeer' // a fresh ordinary admin of workspace A
  | 'otherWorkspaceAdmin' // a fresh admin of workspace B (not the caller `otherAdmin`)
  | 'adminKeyPeer' // a fresh admin API key of workspace A
  | 'otherWorkspaceKey'; // a fresh admin API key of workspace B

export type TargetAction =
  | 'password' // PATCH /api/v1/users/:id {password}
  | 'role' // PATCH {role: 'viewer'}
  | 'disabled' // PATCH {disabled: true}
  | 'email' // PATCH {email}: not a field of the users API
  | 'grantSuperAdmin' // PATCH {isSuperAdmin: true}: not a field of the users API
  | 'delete' // DELETE /api/v1/users/:id
  | 'revoke'; // DELETE /api/v1/api-keys/:id

export interface TargetCase {
  actor: TargetActor;
  target: TargetKind;
  action: TargetAction;
  expect: Expected;
}

const USER_CHANGES: readonly TargetAction[] = ['password', 'role', 'disabled', 'delete'];

function cases(actor: TargetActor, target: TargetKind, actions: readonly TargetAction[], expect: Expected) {
  return actions.map((action): TargetCase => ({ actor, target, action, expect }));
}

/** 2xx for the action when it is allowed. */
const DONE: Record<TargetAction, number> = {
  password: 200,
  role: 200,
  disabled: 200,
  email: 200,
  grantSuperAdmin: 200,
  delete: 204,
  revoke: 204,
};
const allowed = (actor: TargetActor, target: TargetKind, actions: readonly TargetAction[]) =>
  actions.map((action): TargetCase => ({ actor, target, action, expect: DONE[action] }));

export const TARGET_MATRIX: readonly TargetCase[] = [
  // a more privileged target: the super-admin, even in the admin's own workspace
  ...cases('adminUser', 'superAdmin', USER_CHANGES, 403),
  ...cases('adminKey', 'superAdmin', USER_CHANGES, 403),
  // the e-mail is not changeable through this API at all (400), and never by an admin (403)
  ...cases('adminUser', 'superAdmin', ['email'], [400, 403]),
  ...cases('adminKey', 'superAdmin', ['email'], [400, 403]),
  // a manager cannot manage users at all
  ...cases('managerUser', 'superAdmin', ['password', 'delete'], 403),
  ...cases('managerUser', 'adminPeer', ['role'], 403),
  // another workspace's admin does not even see the super-admin or A's users
  ...cases('otherAdmin', 'superAdmin', USER_CHANGES, 404),
  ...cases('otherAdmin', 'adminPeer', ['password', 'disabled', 'delete'], 404),
  // an admin acting on an admin peer of its workspace: allowed
  ...allowed('adminUser', 'adminPeer', USER_CHANGES),
  ...allowed('adminKey', 'adminPeer', USER_CHANGES),
  ...allowed('superAdmin', 'adminPeer', ['password', 'role', 'delete']),
  // nobody is made super-admin through the users API (the field does not exist)
  ...cases('adminUser', 'adminPeer', ['grantSuperAdmin'], 400),
  ...cases('adminKey', 'adminPeer', ['grantSuperAdmin'], 400),
  // a workspace admin cannot act on another workspace's users or keys
  ...cases('adminUser', 'otherWorkspaceAdmin', USER_CHANGES, 404),
  ...cases('adminKey', 'otherWorkspaceAdmin', ['password', 'role', 'delete'], 404),
  ...cases('adminUser', 'otherWorkspaceKey', ['revoke'], 404),
  ...cases('adminKey', 'otherWorkspaceKey', ['revoke'], 404),
  ...cases('otherAdmin', 'adminKeyPeer', ['revoke'], 404),
  // … while revoking a peer admin key of its own workspace is allowed
  ...allowed('adminUser', 'adminKeyPeer', ['revoke']),
  ...allowed('adminKey', 'adminKeyPeer', ['revoke']),
];

/** The request an action makes. */
export function targetRequest(
  action: TargetAction,
  id: string,
): { method: string; path: string; body?: Record<string, unknown> } {
  const path = action === 'revoke' ? `/api/v1/api-keys/${id}` : `/api/v1/users/${id}`;
  switch (action) {
    case 'password':
      return { method: 'PATCH', path, body: { password: NEW_PASSWORD } };
    case 'role':
      return { method: 'PATCH', path, body: { role: 'viewer' } };
    case 'disabled':
      return { method: 'PATCH', path, body: { disabled: true } };
    case 'email':
      return { method: 'PATCH', path, body: { email: 'taken-over@example.test' } };
    case 'grantSuperAdmin':
      return { method: 'PATCH', path, body: { isSuperAdmin: true } };
    case 'delete':
    case 'revoke':
      return { method: 'DELETE', path };
  }
}

/** The password an allowed reset sets. */
export const NEW_PASSWORD = 'Fresh-reset-pass-77';
