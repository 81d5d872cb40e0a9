import type { amoFieldValue } from '../../sync/mappings/amocrm-field-values';
import type { SyncMetadataService } from '../../sync/sync-metadata.service';

/** The amoCRM metadata snapshot as the engine hands it out (imports never reach the amoCRM module directly). */
export type AmocrmMetadata = Awaited<ReturnType<SyncMetadataService['current']>>;
/** A custom field of contacts or leads in that snapshot. */
export type AmocrmCustomFieldMeta = Parameters<typeof amoFieldValue>[0];
