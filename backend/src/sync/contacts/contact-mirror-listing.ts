import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { CountryCode } from 'libphonenumber-js';
import type { AmoContact, AmoContactListQuery } from '../../amocrm/client/amocrm-api.types';
import { AmocrmClient } from '../../amocrm/client/amocrm-client';
import { AppConfig } from '../../config/app-config';
import { ContactsService } from '../../contacts/contacts.service';
import { ContactQueryDto } from '../../contacts/dto/contact.dto';
import { REDIS } from '../../redis/redis.module';
import { callerLane } from '../amocrm-lane';
import { SOURCE_AMOCRM } from '../mirror-sources';
import { SyncMetadataService } from '../sync-metadata.service';
import { contactDataFromAmo } from './contact-mapping';
import { contactFieldIdsOf } from './contact-writes';

/** amoCRM's largest page of contacts. */
export const LISTING_PAGE_SIZE = 250;
/** How often a trusted mirror catches up with what changed in amoCRM since its last listing. */
export const CATCH_UP_MS = 60_000;
/** amoCRM's `updated_at` is in seconds: each listing starts this far before the point it continues from. */
const OVERLAP_SECONDS = 5;
/** A "complete as of" point older than this is not continued from: the next import lists the account again. */
const COMPLETE_TTL_SECONDS = 24 * 3600;

/**
 * Whether listing every amoCRM contact (pages of 250) is cheaper than one amoCRM search per row: the pages the
 * account needs, estimated from the contacts the mirror holds (at least one page), against the rows to look up.
 */
export function cheaperToList(mirroredContacts: number, rowsToLookUp: number): boolean {
  return Math.max(1, Math.ceil(mirroredContacts / LISTING_PAGE_SIZE)) < rowsToLookUp;
}

function completeKey(workspaceId: string): string {
  return `amocrm:contacts-mirror-complete:${workspaceId}`;
}

/**
 * The mirror of amoCRM contacts made complete and current for a workspace, so that a big import's find-or-create
 * can trust a mirror miss (no amoCRM search per row; `WriteOptions.trustMirror`). A full listing (`order[id]=asc`,
 * 250 a page) records "complete as of T" in Redis; later listings continue from T (`filter[updated_at][from]`),
 * for the next import and every CATCH_UP_MS while an import writes. Only imports ask for it.
 */
@Injectable()
export class ContactMirrorListing {
  private readonly logger = new Logger(ContactMirrorListing.name);
  private readonly region: CountryCode;
  private readonly caughtUpAt = new Map<string, number>();
  /** How often a trusted mirror catches up while an import writes (tests shorten it). */
  catchUpEveryMs = CATCH_UP_MS;

  constructor(
    config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly client: AmocrmClient,
    private readonly contacts: ContactsService,
    private readonly metadata: SyncMetadataService,
    private readonly dataSource: DataSource,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  /**
   * Makes the mirror complete and current when that is cheaper than `rowsToLookUp` amoCRM searches; answers
   * whether the mirror may be trusted now. A listing that grows past that many pages stops (per-row lookups then).
   */
  async prepare(workspaceId: string, rowsToLookUp: number): Promise<boolean> {
    const since = await this.completeAsOf(workspaceId);
    if (since !== null) return this.catchUp(workspaceId, true);
    const mirrored = (await this.contacts.list(workspaceId, mirrorCountQuery())).total;
    if (!cheaperToList(mirrored, rowsToLookUp)) return false;
    const start = nowSeconds();
    const complete = await this.list(workspaceId, { order: { id: 'asc' } }, rowsToLookUp - 1);
    if (!complete) return false;
    await this.markComplete(workspaceId, start);
    return true;
  }

  /**
   * Lists what changed in amoCRM since the mirror's complete point (at most every `catchUpEveryMs` unless `force`);
   * answers whether the mirror is still trusted (false once the point is gone or too old).
   *
   * While an import creates contacts, this lists them once more (one page per 250 created: ~1/6 of the import lane
   * at full speed), though the mirror has them already. They are not left out because amoCRM cannot be asked for
   * "changed, but not by this import": its list filters include (ids, users, time ranges) and never exclude, and a
   * filter by user (`filter[created_by]`) would also drop contacts a person creates in amoCRM as the same user the
   * integration writes as (often the admin who connected it) — the very contacts a trusted mirror must not miss, or
   * a pending row with that phone makes a second contact. Listing less often saves nothing: each created contact
   * is listed once either way.
   */
  async catchUp(workspaceId: string, force = false): Promise<boolean> {
    const since = await this.completeAsOf(workspaceId);
    if (since === null) return false;
    if (!force && Date.now() - (this.caughtUpAt.get(workspaceId) ?? 0) < this.catchUpEveryMs) return true;
    const start = nowSeconds();
    await this.list(workspaceId, { filter: { updated_at: { from: since - OVERLAP_SECONDS } } }, Infinity);
    await this.markComplete(workspaceId, start);
    return true;
  }

  /** Forgets the complete point (the next import lists the account again). */
  async forget(workspaceId: string): Promise<void> {
    this.caughtUpAt.delete(workspaceId);
    await this.redis.del(completeKey(workspaceId));
  }

  private async completeAsOf(workspaceId: string): Promise<number | null> {
    const raw = await this.redis.get(completeKey(workspaceId));
    const since = raw === null ? NaN : Number(raw);
    return Number.isSafeInteger(since) ? since : null;
  }

  private async markComplete(workspaceId: string, asOf: number): Promise<void> {
    this.caughtUpAt.set(workspaceId, Date.now());
    await this.redis.set(completeKey(workspaceId), String(asOf), 'EX', COMPLETE_TTL_SECONDS);
  }

  /** Mirrors every page of the listing; false when it needed more than `maxPages` pages (it stops there). */
  private async list(workspaceId: string, query: AmoContactListQuery, maxPages: number): Promise<boolean> {
    const api = this.client.forWorkspace(workspaceId, callerLane());
    const fieldIds = contactFieldIdsOf(await this.metadata.cached(workspaceId));
    let pages = 0;
    for await (const page of api.listContacts({ ...query, limit: LISTING_PAGE_SIZE })) {
      if (pages >= maxPages) {
        this.logger.log({ workspaceId, pages }, 'contacts listing stopped: per-row lookups are cheaper');
        return false;
      }
      pages += 1;
      await this.mirrorPage(workspaceId, page, fieldIds);
    }
    return true;
  }

  /**
   * Mirrors one page (up to 250 contacts) with a few statements instead of an upsert (a transaction of 5-8) per
   * contact: one read of which are mirrored already, one INSERT IGNORE of the others (with their identities), and
   * the mirrored ones locked and saved in one multi-row statement. A contact whose row appeared meanwhile (a create
   * of the import) is saved one by one as before.
   */
  private async mirrorPage(
    workspaceId: string,
    page: readonly AmoContact[],
    fieldIds: ReturnType<typeof contactFieldIdsOf>,
  ): Promise<void> {
    const now = new Date();
    const data = page
      .filter((contact) => contact.is_deleted !== true)
      .map((contact) => contactDataFromAmo(contact, this.region, fieldIds, now));
    if (data.length === 0) return;
    const known = new Set(
      (
        await this.contacts.mirrorRowsOf(
          workspaceId,
          data.map((row) => row.amocrmId),
        )
      ).map((row) => row.amocrmId),
    );
    const absent = data.filter((row) => !known.has(row.amocrmId));
    const present = data.filter((row) => known.has(row.amocrmId));
    if (absent.length > 0) {
      const { inserted } = await this.dataSource.transaction((manager) =>
        this.contacts.insertMirrorRowsIfAbsent(manager, workspaceId, absent, SOURCE_AMOCRM),
      );
      if (inserted < absent.length)
        for (const row of absent) await this.contacts.upsertMirrorRow(workspaceId, row, SOURCE_AMOCRM);
    }
    if (present.length > 0)
      await this.dataSource.transaction(async (manager) => {
        const before = new Map(
          (
            await this.contacts.lockMirrorRows(
              manager,
              workspaceId,
              present.map((row) => row.amocrmId),
            )
          ).map((row) => [row.amocrmId as number, row]),
        );
        await this.contacts.saveMirrorRows(
          manager,
          workspaceId,
          present.filter((row) => before.has(row.amocrmId)),
          SOURCE_AMOCRM,
          before,
        );
      });
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function mirrorCountQuery(): ContactQueryDto {
  return Object.assign(new ContactQueryDto(), { page: 1, limit: 1 });
}
