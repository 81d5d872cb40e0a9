import { Injectable } from '@nestjs/common';
import { ContactsService } from '../../contacts/contacts.service';
import { NotFoundProblem } from '../../http/problem';
import { LeadsService } from '../../leads/leads.service';
import { SettingsVersionService } from '../../settings/settings-version.service';
import type { WriteOrigin } from '../engine-writes';
import { CallResultsService } from '../call-results/call-results.service';
import { LptrackerLinksService } from '../lptracker/lptracker-links.service';
import type { SyncTrace } from '../lptracker/lptracker-sync.types';
import {
  callWithMirror,
  mirrorWriteContexts,
  type MirrorSubject,
  type MirrorWrite,
} from './mirror-rule-context';
import type { RuleEventContext } from './rule-evaluate';
import { RuleRunnerService, type RuleRunRecord } from './rule-runner.service';
import { CoalescedVersionReads } from './coalesced-version-reads';

/** The engine write of an event: whose record (a `leads` / `contacts` mirror row id, or a call result id). */
export interface MirrorWriteOf extends MirrorWrite {
  entity: 'lead' | 'contact' | 'call';
  id: string;
}

/** What the rules did with an engine write, or why none ran. */
export type MirrorRunResult =
  { ran: true; records: RuleRunRecord[]; acted: boolean } | { ran: false; reason: string };

/** The records an engine write's rules read and act on. */
interface WriteSubject extends MirrorSubject {
  contexts: RuleEventContext[];
  lptrackerLeadId: number | null;
}

/**
 * The rules on the engine's own writes for client apps (`api`) and imports (`import`): the enabled rules of the
 * event's settings version whose trigger source is the write's origin, on contexts built from the mirror as it is
 * when the event runs (the lead and its contact; a finished call with the lead and contact it is linked to), through
 * RuleRunnerService.run (explanations in the trace, actions with their done-markers, retries without repeating done
 * actions). Actions address the lead's amoCRM records and, when the lead is linked, its LPTracker lead.
 */
@Injectable()
export class RuleRunnerMirror {
  /** The version reads of watches(): one per workspace for the notices told in one turn (an import's 50 creates). */
  private readonly versions = new CoalescedVersionReads((workspaceId) =>
    this.settings.currentSettingsVersion(workspaceId),
  );

  constructor(
    private readonly runner: RuleRunnerService,
    private readonly leads: LeadsService,
    private readonly contacts: ContactsService,
    private readonly calls: CallResultsService,
    private readonly links: LptrackerLinksService,
    private readonly settings: SettingsVersionService,
  ) {}

  /**
   * Whether an enabled rule of the source is in force now (the current settings version; the rules of a version are
   * read once, see RuleRunnerService.forRun). A rule enabled later bumps the version, so a write recorded as
   * unwatched ran no rule in any case.
   */
  async watches(workspaceId: string, origin: WriteOrigin): Promise<boolean> {
    const version = await this.versions.current(workspaceId);
    const rules = await this.runner.forRun(workspaceId, version);
    return rules.some((rule) => rule.document.trigger.source === origin);
  }

  async run(
    event: { workspaceId: string; id: string; settingsVersion: number },
    changeKey: string,
    write: MirrorWriteOf,
    trace: SyncTrace,
  ): Promise<MirrorRunResult> {
    const all = await this.runner.forRun(event.workspaceId, event.settingsVersion);
    const rules = all.filter((rule) => rule.document.trigger.source === write.origin);
    if (rules.length === 0) return { ran: false, reason: `no enabled rule for the source ${write.origin}` };
    const subject = await this.subjectOf(event.workspaceId, write);
    if (!subject) return { ran: false, reason: `the ${write.entity} is no longer here` };
    const { lead, contact } = subject;
    const [link] = lead?.amocrmId
      ? await this.links.findByAmocrmLeadIds(event.workspaceId, [lead.amocrmId])
      : [];
    const records = await this.runner.run(
      {
        workspaceId: event.workspaceId,
        eventId: event.id,
        changeKey,
        settingsVersion: event.settingsVersion,
        contexts: subject.contexts,
        target: {
          amocrmLeadId: lead?.amocrmId ?? null,
          amocrmContactId: contact?.amocrmId ?? null,
          lptrackerLeadId: link?.lptrackerLeadId ?? subject.lptrackerLeadId,
          lptrackerContactId: link?.lptrackerContactId ?? null,
          lptrackerProjectId: link?.projectId ?? null,
          lptrackerLeadName: lead?.name ?? null,
        },
        leadMirrorId: lead?.id ?? null,
        trace,
      },
      rules,
    );
    return { ran: true, records, acted: records.some((record) => record.outcome === 'matched') };
  }

  /**
   * A lead event: the lead and its contact; a contact event: the contact; a call: the call's lead and contact. Null
   * when the written record is gone.
   */
  private async subjectOf(workspaceId: string, write: MirrorWriteOf): Promise<WriteSubject | null> {
    const lead = (id: string | null) => (id === null ? null : orNull(this.leads.get(workspaceId, id)));
    const contact = (id: string | null) => (id === null ? null : orNull(this.contacts.get(workspaceId, id)));
    if (write.entity === 'lead') {
      const found = await lead(write.id);
      if (!found) return null;
      const subject = { lead: found, contact: await contact(found.contactId) };
      return { ...subject, contexts: mirrorWriteContexts(write, subject), lptrackerLeadId: null };
    }
    if (write.entity === 'contact') {
      const found = await contact(write.id);
      if (!found) return null;
      const subject = { lead: null, contact: found };
      return { ...subject, contexts: mirrorWriteContexts(write, subject), lptrackerLeadId: null };
    }
    const call = await orNull(this.calls.get(workspaceId, write.id));
    if (!call) return null;
    const callLead = await lead(call.leadId);
    const subject = { lead: callLead, contact: await contact(call.contactId ?? callLead?.contactId ?? null) };
    const context = callWithMirror(await this.calls.ruleContext(workspaceId, call.id), subject);
    return { ...subject, contexts: [context], lptrackerLeadId: call.lptrackerLeadId };
  }
}

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFoundProblem) return null;
    throw error;
  }
}
