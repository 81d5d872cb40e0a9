import { asInteger } from '../amocrm/json-input';
import { httpProblem } from '../amocrm/problems';
import type { LpAccount } from './lp-account';
import type { CallbackDeliveryFilter } from './lp-callback-dispatcher';
import type { LpControlContext, LpControlRoutes } from './lp-control-api';
import { readLeadPatch, readNewLead } from './lp-input';
import {
  addContactField,
  addCustomField,
  addProject,
  addStaff,
  addStage,
  removeCustomField,
  removeStage,
} from './lp-metadata';
import type { LpActor, LpProject } from './lp-records';
import {
  renderContact,
  renderContactField,
  renderCustomField,
  renderLead,
  renderStaff,
  renderStage,
} from './lp-render';
import type { LpRequestFilter } from './lp-request-log';

/** Control routes for an account's metadata, a simulated manager's lead changes, and what was recorded. */

const num = (c: LpControlContext, name: string): number => Number(c.params[name]);

function requiredName(c: LpControlContext): string {
  const name = typeof c.body.name === 'string' ? c.body.name.trim() : '';
  if (name === '') throw httpProblem(400, 'name is required');
  return name;
}

function optionalString(c: LpControlContext, key: string): string | undefined {
  const value = c.body[key];
  return typeof value === 'string' ? value : undefined;
}

export function renderProjectFull(project: LpProject): Record<string, unknown> {
  return {
    id: project.id,
    name: project.name,
    page: project.page,
    domain: project.domain,
    customs: project.customs.map(renderCustomField),
    fields: project.fields.map(renderContactField),
    funnel: project.stages.map(renderStage),
    callbackUrls: project.callbacks.map((callback) => ({ ...callback })),
  };
}

/** A change "made by hand in LPTracker": by `?staffId=` or the first staff member, through no service. */
function manager(c: LpControlContext, account: LpAccount): LpActor {
  const staffId = asInteger(c.query.get('staffId') ?? undefined) ?? account.staff[0]?.id ?? null;
  return { staffId, service: null };
}

function leadJson(account: LpAccount, leadId: number): Record<string, unknown> {
  const lead = account.requireLead(leadId);
  return renderLead(lead, account.requireContact(lead.contactId), account.requireProject(lead.projectId));
}

export function registerLpDataRoutes(routes: LpControlRoutes): void {
  routes
    .add('GET', '/accounts/:key/projects', (c) =>
      c.json([...c.account().projects.values()].map(renderProjectFull)),
    )
    .add('POST', '/accounts/:key/projects', (c) => {
      const stages = Array.isArray(c.body.stages) ? c.body.stages.map(String) : undefined;
      const input = {
        name: requiredName(c),
        domain: optionalString(c, 'domain'),
        page: optionalString(c, 'page'),
        stages,
      };
      c.json(renderProjectFull(addProject(c.account(), input)), 201);
    })
    .add('POST', '/accounts/:key/projects/#pid/customs', (c) => {
      const options = Array.isArray(c.body.options) ? c.body.options.map(String) : undefined;
      const input = { name: requiredName(c), type: optionalString(c, 'type'), options };
      c.json(renderCustomField(addCustomField(c.account(), num(c, 'pid'), input)), 201);
    })
    .add('DELETE', '/accounts/:key/projects/#pid/customs/#fid', (c) => {
      removeCustomField(c.account(), num(c, 'pid'), num(c, 'fid'));
      c.exchange.sendEmpty(204);
    })
    .add('POST', '/accounts/:key/projects/#pid/fields', (c) => {
      const input = { name: requiredName(c), type: optionalString(c, 'type') };
      c.json(renderContactField(addContactField(c.account(), num(c, 'pid'), input)), 201);
    })
    .add('POST', '/accounts/:key/projects/#pid/stages', (c) => {
      c.json(renderStage(addStage(c.account(), num(c, 'pid'), { name: requiredName(c) })), 201);
    })
    .add('DELETE', '/accounts/:key/projects/#pid/stages/#sid', (c) => {
      removeStage(c.account(), num(c, 'pid'), num(c, 'sid'));
      c.exchange.sendEmpty(204);
    })
    .add('GET', '/accounts/:key/staff', (c) => c.json(c.account().staff.map(renderStaff)))
    .add('POST', '/accounts/:key/staff', (c) => {
      const input = {
        name: requiredName(c),
        job: optionalString(c, 'job'),
        email: optionalString(c, 'email'),
      };
      c.json(renderStaff(addStaff(c.account(), input)), 201);
    });

  routes
    .add('GET', '/accounts/:key/leads', (c) => {
      const account = c.account();
      c.json([...account.leads.keys()].map((id) => leadJson(account, id)));
    })
    .add('GET', '/accounts/:key/leads/#id', (c) => c.json(leadJson(c.account(), num(c, 'id'))))
    .add('GET', '/accounts/:key/contacts', (c) => {
      const account = c.account();
      c.json(
        [...account.contacts.values()].map((contact) =>
          renderContact(contact, account.projects.get(contact.projectId)),
        ),
      );
    })
    .add('POST', '/accounts/:key/manager/leads', (c) => {
      const account = c.account();
      const lead = account.service.createLead(readNewLead(c.body), manager(c, account));
      c.json(leadJson(account, lead.id), 201);
    })
    .add('PUT', '/accounts/:key/manager/leads/#id', (c) => {
      const account = c.account();
      account.service.updateLead(num(c, 'id'), readLeadPatch(c.body), manager(c, account));
      c.json(leadJson(account, num(c, 'id')));
    })
    .add('POST', '/accounts/:key/manager/leads/#id/stage', (c) => {
      const account = c.account();
      const stageId = asInteger(c.body.stage_id ?? c.body.funnel);
      if (stageId === undefined) throw httpProblem(400, 'stage_id is required');
      account.service.updateLead(num(c, 'id'), { stageId }, manager(c, account));
      c.json(leadJson(account, num(c, 'id')));
    })
    .add('DELETE', '/accounts/:key/manager/leads/#id', (c) => {
      const account = c.account();
      account.service.deleteLead(num(c, 'id'), manager(c, account));
      c.exchange.sendEmpty(204);
    })
    .add('POST', '/accounts/:key/manager/leads/#id/calls', (c) => {
      const account = c.account();
      const lead = account.requireLead(num(c, 'id'));
      const type = c.body.type === 'in' ? 'in' : 'out';
      const actor = manager(c, account);
      const call = account.service.finishCall(
        lead.id,
        {
          time: Math.floor(Date.now() / 1000),
          duration: asInteger(c.body.duration) ?? 60,
          type,
          disposition: optionalString(c, 'disposition') ?? 'ANSWERED',
          record: optionalString(c, 'record') ?? null,
          ownerId: actor.staffId,
        },
        actor,
      );
      c.json({ ...call }, 201);
    });

  routes
    .add('GET', '/accounts/:key/requests', (c) =>
      c.json(c.account().requests.list(readRequestFilter(c.query))),
    )
    .add('GET', '/accounts/:key/request-counts', (c) =>
      c.json(c.account().requests.counts(readRequestFilter(c.query))),
    )
    .add('DELETE', '/accounts/:key/requests', (c) => {
      c.account().requests.clear();
      c.exchange.sendEmpty(204);
    })
    .add('GET', '/accounts/:key/callback-calls', (c) => {
      const calls = c.account().callbackCalls;
      c.json({ count: calls.length, calls });
    })
    .add('DELETE', '/accounts/:key/callback-calls', (c) => {
      c.account().callbackCalls.length = 0;
      c.exchange.sendEmpty(204);
    })
    .add('GET', '/accounts/:key/deliveries', (c) =>
      c.json(c.account().dispatcher.list(readDeliveryFilter(c.query))),
    );
}

function readRequestFilter(query: URLSearchParams): LpRequestFilter {
  const since = query.get('since');
  return {
    method: query.get('method') ?? undefined,
    pathPrefix: query.get('path') ?? undefined,
    route: query.get('route') ?? undefined,
    since: since === null ? undefined : Number(since),
  };
}

function readDeliveryFilter(query: URLSearchParams): CallbackDeliveryFilter {
  const state = query.get('state');
  const leadId = query.get('leadId');
  return {
    url: query.get('url') ?? undefined,
    leadId: leadId === null ? undefined : Number(leadId),
    state: state === 'pending' || state === 'delivered' || state === 'failed' ? state : undefined,
  };
}
