import { Injectable } from '@nestjs/common';
import type { AmoContactInput } from '../../amocrm/client/amocrm-api.types';
import type { AmoUnsortedFormInput } from '../../amocrm/client/amocrm-unsorted';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { ContactEntity } from '../../contacts/contact.entity';
import type { LeadEntity } from '../../leads/lead.entity';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { explainAmocrmRefusal } from '../amocrm-paths';
import { AmocrmWriteBatcher } from '../amocrm-write-batcher.service';
import { ContactSyncService } from '../contacts/contact-sync.service';
import type { PreparedContact } from '../contacts/contact-writes';
import type { HeldLocks } from '../keyed-lock.service';
import { LeadSyncService } from '../leads/lead-sync.service';
import type { PreparedLead } from '../leads/lead-writes';

/** An incoming lead made in amoCRM, with what was mirrored. */
export interface IncomingLeadMade {
  amocrmLeadId: number;
  amocrmContactId: number | null;
  lead: LeadEntity | null;
  contact: ContactEntity | null;
}

/**
 * `createAs: unsorted`: the LPTracker lead goes to amoCRM's «Неразобранное» of the pipeline (`leads/unsorted/forms`,
 * batched with concurrent ones), with the contact found under the identity's locks (by id) or the new one. Mirrored
 * in the pipeline's incoming status and recorded for the echo guard like other creates; accepting it in amoCRM keeps
 * the lead id, so the link stays.
 */
@Injectable()
export class LptrackerIncomingLeadService {
  constructor(
    private readonly batcher: AmocrmWriteBatcher,
    private readonly contacts: ContactSyncService,
    private readonly leads: LeadSyncService,
  ) {}

  async create(
    workspaceId: string,
    lead: LptrackerLead,
    prepared: PreparedLead,
    preparedContact: PreparedContact,
    existing: ContactEntity | null,
    metadata: AmocrmMetadata,
    held: HeldLocks,
  ): Promise<IncomingLeadMade> {
    const contactRef: AmoContactInput & { id?: number } =
      existing?.amocrmId != null ? { id: existing.amocrmId } : preparedContact.amo;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const { amo } = prepared;
    const input: AmoUnsortedFormInput = {
      source_uid: `lptracker:${lead.projectId}:${lead.id}`,
      source_name: 'LPTracker',
      pipeline_id: prepared.placement.pipeline.id,
      created_at: nowSeconds,
      metadata: {
        form_id: `lptracker-${lead.projectId}`,
        form_name: `LPTracker, проект ${lead.projectId}`,
        form_page: lead.view.source ?? 'LPTracker',
        form_sent_at: nowSeconds,
      },
      _embedded: {
        leads: [
          {
            ...(amo.name !== undefined ? { name: amo.name } : {}),
            ...(amo.price !== undefined ? { price: amo.price } : {}),
            ...(amo.custom_fields_values ? { custom_fields_values: amo.custom_fields_values } : {}),
            ...(amo._embedded?.tags ? { _embedded: { tags: amo._embedded.tags } } : {}),
          },
        ],
        contacts: [contactRef],
      },
    };
    held.assertHeld();
    let result;
    try {
      result = await this.batcher.createIncomingLead(workspaceId, input, held);
    } catch (error) {
      throw explainAmocrmRefusal(error, { prefix: '', customFields: prepared.shape.customFields });
    }
    let contact = existing;
    if (!contact && result.contactId !== null)
      contact = await this.contacts.saveCreated(workspaceId, result.contactId, preparedContact, metadata);
    const incoming = prepared.placement.pipeline.statuses.find((status) => status.type === 1);
    const placed: PreparedLead = incoming
      ? { ...prepared, placement: { pipeline: prepared.placement.pipeline, status: incoming } }
      : prepared;
    const mirrored = contact
      ? await this.leads.saveCreated(workspaceId, result.leadId, contact.id, placed, metadata)
      : null;
    return { amocrmLeadId: result.leadId, amocrmContactId: result.contactId, lead: mirrored, contact };
  }
}
