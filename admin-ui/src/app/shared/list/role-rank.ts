import type { Role } from '../../core/auth/auth.models';

/** Roles in order of what they may do, for sorting by role (admin first when descending). */
export const ROLE_RANK: Readonly<Record<Role, number>> = { admin: 3, manager: 2, viewer: 1 };
