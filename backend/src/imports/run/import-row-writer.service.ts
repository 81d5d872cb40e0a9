import { Injectable } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import { AppConfig } from '../../config/app-config';
import type { ContactEntity } from '../../contacts/contact.entity';
import { ContactsService } from '../../contacts/contacts.service';
import { inAmocrmLane } from '../../sync/amocrm-lane';
import { ContactSyncService } from '../../sync/contacts/contact-sync.service';
import { ContactUpdateService } from '../../sync/contacts/contact-update.service';
import { LeadSyncService } from '../../sync/leads/lead-sync.service';
import { SyncMetadataService } from '../../sync/sync-metadata.service';
import type { ImportMapping } from '../mapping/import-mapping';
import type { ImportRowEntity } from './import-row.entity';
import type { RowOutcome } from './import-rows.repository';
import { outcome, reasonOf } from './row-outcome';
import { planRow, type PlannedRow, type RowField } from './row-plan';
import { LptrackerRowWriter } from './lptracker-row-writer';
import { typedRow } from './amocrm-row-values';
import type { WriteOptions } from '../../sync/engine-writes';

/** Imported rows are written as the engine's `import` writes: mirror source `import`, their rules run. */
const IMPORT: WriteOptions = { origin: 'import' };
/** The same, while the contacts mirror is complete and current (ContactMirrorListing): no amoCRM search on a miss. */
const IMPORT_TRUSTING_MIRROR: WriteOptions = { origin: 'import', trustMirror: true };

const EXISTS = 'Контакт с таким телефоном или e-mail уже есть в CRM';

/**
 * What one staged row becomes, through the engine only (ContactSyncService / LeadSyncService find-or-create,
 * ContactUpdateService): never a second path to amoCRM. Creates of concurrent rows are coalesced by the engine's
 * batcher into requests of up to 50, in the amoCRM limiter's `import` lane. A dry run reads the mirror and writes nothing.
 *
 * Duplicate policy, for a contact already in the CRM (the mirror, or amoCRM when find-or-create finds it there):
 * - contacts: `skip` leaves it; `update` writes the row's name and custom fields to it; `create` leaves it too
 *   (the engine never makes a second contact with the same phone or e-mail).
 * - leads: `skip` leaves a row whose contact the mirror has; `update` and `create` find-or-create the lead for it
 *   (a new lead unless the contact has an open lead of that name, which is reused, as for webhooks).
 */
@Injectable()
export class ImportRowWriter {
  private readonly region: CountryCode;

  constructor(
    config: AppConfig,
    private readonly mirror: ContactsService,
    private readonly contacts: ContactSyncService,
    private readonly contactUpdates: ContactUpdateService,
    private readonly leads: LeadSyncService,
    private readonly lptracker: LptrackerRowWriter,
    private readonly metadata: SyncMetadataService,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  async write(
    workspaceId: string,
    mapping: ImportMapping,
    fields: readonly RowField[],
    row: ImportRowEntity,
    trustMirror = false,
  ): Promise<RowOutcome> {
    if (mapping.target === 'lptracker') return this.lptracker.write(workspaceId, mapping, fields, row);
    const n = row.rowNumber;
    const options = trustMirror ? IMPORT_TRUSTING_MIRROR : IMPORT;
    if (row.duplicateOf !== null)
      return outcome(n, 'skipped', `Повтор строки ${row.duplicateOf}: тот же телефон или e-mail`);
    // call results are written a batch at a time by CallRowWriter (the runner never hands them here)
    if (mapping.kind === 'call_results') throw new Error('call result rows are written by CallRowWriter');
    const plan = planRow(row.cells, fields, mapping.kind, this.region);
    if (!plan.ok) return outcome(n, 'failed', plan.message);
    try {
      const planned = await this.typed(workspaceId, plan.row);
      if (!planned.ok) return outcome(n, 'failed', planned.message);
      return await this.planned(workspaceId, n, mapping, planned.row, options);
    } catch (error) {
      return outcome(n, 'failed', reasonOf(error));
    }
  }

  /** Custom-field values typed for their amoCRM fields as the mapping engine converts them (metadata cache). */
  private async typed(workspaceId: string, row: PlannedRow): Promise<ReturnType<typeof typedRow>> {
    if (!row.contact.customFields && !row.lead?.customFields) return { ok: true, row };
    const metadata = await this.metadata.current(workspaceId);
    return typedRow(row, metadata);
  }

  private async planned(
    workspaceId: string,
    n: number,
    mapping: ImportMapping,
    planned: PlannedRow,
    options: WriteOptions,
  ): Promise<RowOutcome> {
    if (mapping.dryRun) return this.wouldDo(n, mapping, await this.inMirror(workspaceId, planned));
    // a contact row's find-or-create looks the contact up itself, under the identity's locks: reading the mirror
    // before it too would cost two more statements per new contact (most rows of an import)
    const existing = mapping.kind === 'contacts' ? null : await this.inMirror(workspaceId, planned);
    // the limiter's import lane: live webhooks and API calls (interactive) go first
    return inAmocrmLane('import', () =>
      mapping.kind === 'contacts'
        ? this.contact(workspaceId, n, mapping, planned, existing, options)
        : this.lead(workspaceId, n, mapping, planned, existing, options),
    );
  }

  private async inMirror(workspaceId: string, row: PlannedRow): Promise<ContactEntity | null> {
    const byPhone = row.contact.phone ? await this.mirror.findByPhone(workspaceId, row.contact.phone) : null;
    if (byPhone) return byPhone;
    return row.contact.email ? this.mirror.findByEmail(workspaceId, row.contact.email) : null;
  }

  private wouldDo(n: number, mapping: ImportMapping, existing: ContactEntity | null): RowOutcome {
    const ids = { contact: existing?.amocrmId ?? null };
    if (!existing) return outcome(n, 'created', 'Проверка: будет создан', ids);
    if (mapping.dedupe === 'skip') return outcome(n, 'skipped', `Проверка: будет пропущена. ${EXISTS}`, ids);
    if (mapping.kind === 'leads')
      return outcome(n, 'created', 'Проверка: будет создана сделка у существующего контакта', ids);
    if (mapping.dedupe === 'update') return outcome(n, 'updated', 'Проверка: контакт будет обновлён', ids);
    return outcome(n, 'skipped', `Проверка: будет пропущена. ${EXISTS}; дубли не создаются`, ids);
  }

  private async contact(
    workspaceId: string,
    n: number,
    mapping: ImportMapping,
    row: PlannedRow,
    existing: ContactEntity | null,
    options: WriteOptions,
  ): Promise<RowOutcome> {
    let contact = existing;
    if (!contact) {
      const found = await this.contacts.findOrCreate(workspaceId, row.contact, options);
      if (found.created) return outcome(n, 'created', null, { contact: found.contact.amocrmId });
      contact = found.contact;
    }
    const ids = { contact: contact.amocrmId };
    if (mapping.dedupe === 'update') {
      const updated = await this.contactUpdates.update(
        workspaceId,
        contact.id,
        {
          name: row.contact.name,
          ...(row.contact.customFields ? { customFields: row.contact.customFields } : {}),
        },
        IMPORT,
      );
      return outcome(n, 'updated', null, { contact: updated.amocrmId });
    }
    return outcome(n, 'skipped', mapping.dedupe === 'create' ? `${EXISTS}; дубли не создаются` : EXISTS, ids);
  }

  private async lead(
    workspaceId: string,
    n: number,
    mapping: ImportMapping,
    row: PlannedRow,
    existing: ContactEntity | null,
    options: WriteOptions,
  ): Promise<RowOutcome> {
    if (existing && mapping.dedupe === 'skip')
      return outcome(n, 'skipped', EXISTS, { contact: existing.amocrmId });
    const lead = row.lead ?? { name: row.contact.name };
    const result = await this.leads.findOrCreate(workspaceId, { ...lead, contact: row.contact }, options);
    const ids = { contact: result.contact.amocrmId, lead: result.lead.amocrmId };
    if (result.created) return outcome(n, 'created', null, ids);
    return outcome(n, 'skipped', 'У контакта уже есть открытая сделка с таким названием', ids);
  }
}
