import type { InboxVerdict } from '../inbox/source-adapter';

/** How long a workspace's enabled projects are remembered on the hot path. */
export const PROJECTS_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

/**
 * Whether every project a delivery names is enabled in the workspace (`enabled` null: LPTracker not connected).
 * Pure.
 */
export function projectVerdict(enabled: readonly number[] | null, named: readonly number[]): InboxVerdict {
  if (enabled === null) {
    return {
      ok: false,
      reason: 'lptracker_not_connected',
      detail:
        'LPTracker is not connected for this workspace, so the project cannot be checked: connect LPTracker under Connections first.',
    };
  }
  const unknown = named.filter((projectId) => !enabled.includes(projectId));
  if (named.length === 0 || unknown.length > 0) {
    return {
      ok: false,
      reason: 'project_mismatch',
      detail: `The callback names LPTracker project ${unknown.join(', ') || '?'}, which is not an enabled project of this workspace (enabled: ${enabled.join(', ') || 'none'}).`,
    };
  }
  return { ok: true };
}

/** The enabled projects per workspace, remembered for a few seconds (the hot path must stay cheap). */
export class EnabledProjectsCache {
  private readonly entries = new Map<string, { projects: number[] | null; until: number }>();

  constructor(
    private readonly lookup: (workspaceId: string) => Promise<number[] | null>,
    private readonly ttlMs = PROJECTS_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(workspaceId: string): Promise<number[] | null> {
    const now = this.now();
    const cached = this.entries.get(workspaceId);
    if (cached && cached.until > now) return cached.projects;
    const projects = await this.lookup(workspaceId);
    if (this.entries.size >= CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(workspaceId, { projects, until: now + this.ttlMs });
    return projects;
  }

  /** Forgets a workspace (a project was enabled or disabled in this process). */
  forget(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }

  async verify(workspaceId: string, named: readonly number[]): Promise<InboxVerdict> {
    return projectVerdict(await this.get(workspaceId), named);
  }
}
