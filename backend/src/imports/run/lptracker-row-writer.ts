import { Injectable } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import { AppConfig } from '../../config/app-config';
import type { LptrackerLeadInput } from '../../sync/lptracker/lptracker-lead-write.plan';
import { LptrackerLeadWriteService } from '../../sync/lptracker/lptracker-lead-write.service';
import type { ImportMapping } from '../mapping/import-mapping';
import type { ImportRowEntity } from './import-row.entity';
import type { RowOutcome } from './import-rows.repository';
import { planLptrackerRow } from './lptracker-row-plan';
import { outcome } from './row-outcome';
import type { RowField } from './row-plan';

/**
 * An import row into LPTracker: planned (planLptrackerRow), checked against the catalog of the mapping's LPTracker
 * project (`projectId`, else the workspace's one enabled project), then found or created by the engine
 * (LptrackerLeadWriteService, limiter lane `import`, `callback: false`). No amoCRM lead exists for it, so no link:
 * the LPTracker callback of the new lead reaches amoCRM through the existing sync, once. The report names the
 * LPTracker lead in its column and the row's message. A dry run plans, checks and does the real run's lookup
 * (LptrackerLeadWriteService.preview) to say whether the lead would be reused or created, and for which contact;
 * it writes nothing.
 */
@Injectable()
export class LptrackerRowWriter {
  private readonly region: CountryCode;

  constructor(
    config: AppConfig,
    private readonly leads: LptrackerLeadWriteService,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  async write(
    workspaceId: string,
    mapping: ImportMapping,
    fields: readonly RowField[],
    row: ImportRowEntity,
  ): Promise<RowOutcome> {
    const n = row.rowNumber;
    if (row.duplicateOf !== null)
      return outcome(n, 'skipped', `Повтор строки ${row.duplicateOf}: тот же телефон или e-mail`);
    if (mapping.kind !== 'leads') return outcome(n, 'failed', 'В LPTracker загружаются только заявки');
    const plan = planLptrackerRow(row.cells, fields, this.region);
    if (!plan.ok) return outcome(n, 'failed', plan.message);
    try {
      const target = await this.leads.targetOf(workspaceId, plan.lead, mapping.projectId ?? null);
      if (!target.ok) return outcome(n, 'failed', target.message);
      if (mapping.dryRun) return await this.wouldDo(workspaceId, n, target.projectId, plan.lead);
      const result = await this.leads.findOrCreate(workspaceId, target.projectId, plan.lead, {
        lane: 'import',
        recordEcho: false,
      });
      const ids = { lptrackerLead: result.lead.id };
      return result.created
        ? outcome(n, 'created', `Заявка LPTracker № ${result.lead.id}`, ids)
        : outcome(
            n,
            'skipped',
            `У контакта уже есть заявка с таким названием: LPTracker № ${result.lead.id}`,
            ids,
          );
    } catch {
      return outcome(
        n,
        'failed',
        mapping.dryRun
          ? 'Проверка: не удалось прочитать LPTracker; проверку можно повторить'
          : 'Не удалось записать в LPTracker; строку можно загрузить ещё раз',
      );
    }
  }

  /** A dry run: the real run's lookup (contact, then its lead of that name) tells what it would do; nothing written. */
  private async wouldDo(
    workspaceId: string,
    n: number,
    projectId: number,
    lead: LptrackerLeadInput,
  ): Promise<RowOutcome> {
    const found = await this.leads.preview(workspaceId, projectId, lead, 'import');
    if (found.reused)
      return outcome(
        n,
        'skipped',
        `Проверка: будет пропущена, у контакта уже есть заявка с таким названием: LPTracker № ${found.reused.id}`,
        { lptrackerLead: found.reused.id },
      );
    if (found.contactId !== null)
      return outcome(
        n,
        'created',
        `Проверка: будет создана заявка у существующего контакта LPTracker № ${found.contactId}`,
      );
    return outcome(n, 'created', 'Проверка: будут созданы контакт и заявка в LPTracker');
  }
}
