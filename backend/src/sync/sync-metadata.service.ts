import { Injectable } from '@nestjs/common';
import type { AmocrmMetadata } from '../amocrm/metadata/amocrm-metadata.types';
import { AmocrmMetadataService } from '../amocrm/metadata/amocrm-metadata.service';

/** A snapshot younger than this is not reloaded just because a request names an id it does not know. */
const RELOAD_AFTER_MS = 60_000;

/**
 * The account metadata as the client API needs it to validate writes: the cached snapshot, loaded from amoCRM
 * (interactive lane) when there is none yet, and reloaded at most once a minute when a request names a field,
 * option, pipeline or status the snapshot does not know (an admin may have just added it in amoCRM).
 */
@Injectable()
export class SyncMetadataService {
  private readonly reloading = new Map<string, Promise<AmocrmMetadata>>();

  constructor(private readonly metadata: AmocrmMetadataService) {}

  /** The cached snapshot, or null when none was loaded yet (reads never call amoCRM). */
  cached(workspaceId: string): Promise<AmocrmMetadata | null> {
    return this.metadata.getMetadata(workspaceId);
  }

  /** The snapshot, loaded from amoCRM when missing (throws the amoCRM errors: 503 when unreachable or paused). */
  async current(workspaceId: string): Promise<AmocrmMetadata> {
    return (await this.metadata.getMetadata(workspaceId)) ?? (await this.reload(workspaceId));
  }

  /**
   * Validates with the snapshot; when `check` finds problems and the snapshot is older than a minute, reloads it
   * once and checks again. Answers the last snapshot and problems.
   */
  async validated<P>(
    workspaceId: string,
    check: (metadata: AmocrmMetadata) => P[],
  ): Promise<{ metadata: AmocrmMetadata; problems: P[] }> {
    const metadata = await this.current(workspaceId);
    const problems = check(metadata);
    if (problems.length === 0 || Date.now() - metadata.fetchedAt.getTime() < RELOAD_AFTER_MS)
      return { metadata, problems };
    const fresh = await this.reload(workspaceId);
    return { metadata: fresh, problems: check(fresh) };
  }

  private reload(workspaceId: string): Promise<AmocrmMetadata> {
    let pending = this.reloading.get(workspaceId);
    if (!pending) {
      pending = this.metadata
        .refresh(workspaceId, 'interactive')
        .finally(() => this.reloading.delete(workspaceId));
      this.reloading.set(workspaceId, pending);
    }
    return pending;
  }
}
