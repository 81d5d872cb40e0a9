import type { LptrackerClient, LptrackerRequest } from '../../lptracker/client/lptracker-client';
import { LptrackerAccountApi } from '../../lptracker/client/lptracker-account-api';
import type { LptrackerMetadataService } from '../../lptracker/metadata/lptracker-metadata.service';
import type { KeyedLockService } from '../keyed-lock.service';
import type { LptrackerEchoGuardService, LptrackerWrite } from './lptracker-echo-guard.service';
import { LptrackerLeadWriteService } from './lptracker-lead-write.service';
import type { LptrackerLeadInput } from './lptracker-lead-write.plan';

/** A tiny LPTracker: contacts found by phone, leads per contact, POST /lead makes both; every request is kept. */
function world() {
  const sent: LptrackerRequest[] = [];
  const contacts: { id: number; phone: string }[] = [];
  const leads: { id: number; contact_id: number; name: string }[] = [];
  const send = async (request: LptrackerRequest): Promise<unknown> => {
    sent.push(request);
    await new Promise((resolve) => setImmediate(resolve));
    if (request.path === '/contact/search')
      return contacts
        .filter((contact) => contact.phone === request.query?.phone)
        .map((contact) => ({
          id: contact.id,
          project_id: 7,
          details: [{ type: 'phone', data: contact.phone }],
        }));
    const ofContact = /^\/contact\/(\d+)\/leads$/.exec(request.path);
    if (ofContact) return leads.filter((lead) => lead.contact_id === Number(ofContact[1]));
    if (request.path === '/lead' && request.method === 'POST') {
      const body = request.body as {
        contact_id?: number;
        name: string;
        contact?: { details: { data: string }[] };
      };
      let contactId = body.contact_id;
      if (contactId === undefined) {
        contactId = contacts.length + 100;
        contacts.push({ id: contactId, phone: body.contact!.details[0].data });
      }
      const lead = { id: leads.length + 1, contact_id: contactId, name: body.name };
      leads.push(lead);
      return lead;
    }
    throw new Error(`unexpected ${request.method} ${request.path}`);
  };
  const client = { forWorkspace: () => new LptrackerAccountApi(send) } as unknown as LptrackerClient;
  const queues = new Map<string, Promise<unknown>>();
  const locks = {
    withLocks: <T>(
      keys: readonly string[],
      work: (held: { lost: boolean; assertHeld(): void }) => Promise<T>,
    ) => {
      const key = keys.join('|');
      const run = (queues.get(key) ?? Promise.resolve()).then(() =>
        work({ lost: false, assertHeld: () => undefined }),
      );
      queues.set(
        key,
        run.catch(() => undefined),
      );
      return run;
    },
  } as unknown as KeyedLockService;
  const echoes: { leadId: number; write: LptrackerWrite }[] = [];
  const echo = {
    recordWrite: (_workspaceId: string, leadId: number, write: LptrackerWrite): Promise<void> => {
      echoes.push({ leadId, write });
      return Promise.resolve();
    },
  } as unknown as LptrackerEchoGuardService;
  return {
    sent,
    leads,
    echoes,
    service: new LptrackerLeadWriteService(client, locks, echo, {} as LptrackerMetadataService),
  };
}

const input = (phone: string, name = 'Окна'): LptrackerLeadInput => ({
  name,
  contactName: 'Пётр',
  phone,
  email: null,
  contactFields: {},
  custom: {},
  stageId: null,
  ownerId: null,
  view: {},
});

describe('LptrackerLeadWriteService.findOrCreate', () => {
  it('concurrent rows with one phone make one lead; every POST /lead has callback: false', async () => {
    const { sent, leads, service } = world();
    const options = { lane: 'import' as const, recordEcho: false };
    const results = await Promise.all([
      service.findOrCreate('w', 7, input('+79160000001'), options),
      service.findOrCreate('w', 7, input('+79160000001'), options),
      service.findOrCreate('w', 7, input('+79160000002'), options),
    ]);
    expect(leads).toHaveLength(2);
    expect(results.map((result) => result.created)).toEqual([true, false, true]);
    expect(results[1].lead.id).toBe(results[0].lead.id);
    const posts = sent.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(2);
    for (const post of posts) expect(post.body).toMatchObject({ callback: false });
  });

  it('another name for a known contact is a new lead of that contact', async () => {
    const { sent, leads, service } = world();
    const options = { lane: 'import' as const, recordEcho: false };
    await service.findOrCreate('w', 7, input('+79160000001'), options);
    await service.findOrCreate('w', 7, input('+79160000001', 'Двери'), options);
    expect(leads.map((lead) => lead.contact_id)).toEqual([100, 100]);
    expect(sent.filter((request) => request.method === 'POST')[1].body).toMatchObject({ contact_id: 100 });
  });

  it('records the echo only when asked (a lead made from an amoCRM-side record)', async () => {
    const { echoes, service } = world();
    await service.findOrCreate('w', 7, input('+79160000001'), { lane: 'sync', recordEcho: false });
    expect(echoes).toEqual([]);
    await service.findOrCreate('w', 7, input('+79160000003'), { lane: 'sync', recordEcho: true });
    expect(echoes).toEqual([{ leadId: 2, write: { name: 'Окна' } }]);
  });
});
