import { asInteger } from '../amocrm/json-input';
import type { HttpExchange } from '../amocrm/http-exchange';
import { RouteTable, type RouteParams } from '../amocrm/route-table';
import type { LpAccount } from './lp-account';
import { listCallbacks, setCallbackUrl } from './lp-callback-urls';
import { badRequest } from './lp-errors';
import {
  optionalId,
  optionalText,
  readContactInput,
  readLeadPatch,
  readNewLead,
  requireBody,
} from './lp-input';
import { MAX_LIST_LIMIT } from './lp-leads';
import type { LpActor, LpLead } from './lp-records';
import {
  customValues,
  renderCall,
  renderContact,
  renderContactField,
  renderCustomField,
  renderLead,
  renderProject,
  renderStaff,
  renderStage,
} from './lp-render';
import { formatCreatedAt } from './lp-runtime';
import type { LpSession } from './lp-sessions';

/** What an API handler gets: an authorised call of one login to its account. */
export interface LpApiContext {
  exchange: HttpExchange;
  account: LpAccount;
  session: LpSession;
  actor: LpActor;
  params: RouteParams;
  query: URLSearchParams;
  body: unknown;
}

export interface LpApiRoute {
  /** `GET /lead/{id}`: the name the request counters use. */
  name: string;
  /** Answer the result as a bare array instead of the envelope (some list calls do). */
  bare: boolean;
  handler: (context: LpApiContext) => unknown;
}

export type LpApiRoutes = RouteTable<LpApiRoute>;

const id = (context: LpApiContext, name = 'id'): number => Number(context.params[name]);

function leadJson(account: LpAccount, lead: LpLead): Record<string, unknown> {
  return renderLead(lead, account.requireContact(lead.contactId), account.requireProject(lead.projectId));
}

export function buildApiRoutes(): LpApiRoutes {
  const routes: LpApiRoutes = new RouteTable<LpApiRoute>();
  const add = (method: string, pattern: string, handler: LpApiRoute['handler'], bare = false): void => {
    const name = `${method} ${pattern.replace(/#(\w+)/g, '{$1}')}`;
    routes.add(method, pattern, { name, bare, handler });
  };

  add('GET', '/projects', ({ account }) => [...account.projects.values()].map(renderProject), true);
  add('GET', '/project/#id', (c) => renderProject(c.account.requireProject(id(c))));
  add('GET', '/project/#id/customs', (c) => c.account.requireProject(id(c)).customs.map(renderCustomField));
  add('GET', '/project/#id/fields', (c) => c.account.requireProject(id(c)).fields.map(renderContactField));
  add('GET', '/project/#id/funnel', (c) => c.account.requireProject(id(c)).stages.map(renderStage));
  add('GET', '/staff', ({ account }) => account.staff.map(renderStaff));
  add('GET', '/project/#id/callback-url', (c) => listCallbacks(c.account.requireProject(id(c))));
  add('PUT', '/project/#id/callback-url', (c) => {
    const body = requireBody(c.body);
    const project = c.account.requireProject(id(c));
    const url = (optionalText(body, 'url') ?? '').trim();
    const name = optionalText(body, 'name')?.trim() || c.session.service;
    return setCallbackUrl(project, url, name, () => c.account.nextId('callback'));
  });

  add('POST', '/lead', (c) => {
    const lead = c.account.service.createLead(readNewLead(requireBody(c.body)), c.actor, c.session.login);
    return leadJson(c.account, lead);
  });
  add('GET', '/lead/#id', (c) => leadJson(c.account, c.account.requireLead(id(c))));
  add('PUT', '/lead/#id', (c) => {
    const { lead } = c.account.service.updateLead(id(c), readLeadPatch(requireBody(c.body)), c.actor);
    return leadJson(c.account, lead);
  });
  add('DELETE', '/lead/#id', (c) => {
    c.account.service.deleteLead(id(c), c.actor);
    return { id: id(c) };
  });
  add('PUT', '/lead/#id/funnel', (c) => {
    const stageId = optionalId(requireBody(c.body), 'funnel');
    if (stageId === undefined) throw badRequest('funnel is required');
    return leadJson(c.account, c.account.service.updateLead(id(c), { stageId }, c.actor).lead);
  });
  add('PUT', '/lead/#id/custom/#field', (c) => {
    const body = requireBody(c.body);
    if (!('value' in body)) throw badRequest('value is required');
    const fieldId = id(c, 'field');
    const { lead } = c.account.service.updateLead(
      id(c),
      { custom: new Map([[fieldId, body.value]]) },
      c.actor,
    );
    const project = c.account.requireProject(lead.projectId);
    const field = project.customs.find((candidate) => candidate.id === fieldId);
    const set = customValues(lead, project).find((value) => value.id === fieldId);
    return set ?? { id: fieldId, name: field?.name ?? '', type: field?.type ?? 'text', value: null };
  });
  add('POST', '/lead/#id/comment', (c) => {
    const comment = c.account.service.addComment(
      id(c),
      optionalText(requireBody(c.body), 'text') ?? '',
      c.actor,
    );
    return { id: comment.id, text: comment.text, created_at: formatCreatedAt(comment.createdAt) };
  });
  add('GET', '/lead/#id/calls', (c) => c.account.requireLead(id(c)).calls.map(renderCall));
  add('GET', '/lead/#project/list', (c) => {
    const offset = asInteger(c.query.get('offset') ?? '0');
    const limit = asInteger(c.query.get('limit') ?? String(MAX_LIST_LIMIT));
    const fromRaw = c.query.get('filter[updated_at_from]');
    const from = fromRaw === null ? undefined : asInteger(fromRaw);
    if (offset === undefined || offset < 0) throw badRequest('offset must be a non-negative integer');
    if (limit === undefined || limit < 1) throw badRequest('limit must be a positive integer');
    if (fromRaw !== null && from === undefined)
      throw badRequest('filter[updated_at_from] must be unix seconds');
    const leads = c.account.service.listLeads(id(c, 'project'), offset, limit, from);
    return leads.map((lead) => leadJson(c.account, lead));
  });

  add('POST', '/contact', (c) => {
    const contact = c.account.service.createContact(readContactInput(requireBody(c.body), true));
    return renderContact(contact, c.account.projects.get(contact.projectId));
  });
  add('GET', '/contact/search', (c) => {
    const projectId = asInteger(c.query.get('project_id') ?? '');
    const phone = c.query.get('phone')?.trim() || undefined;
    const email = c.query.get('email')?.trim() || undefined;
    if (projectId === undefined) throw badRequest('project_id is required');
    if (phone === undefined && email === undefined) throw badRequest('phone or email is required');
    const project = c.account.requireProject(projectId);
    return c.account.service
      .searchContacts(projectId, phone, email)
      .map((contact) => renderContact(contact, project));
  });
  add('GET', '/contact/#id', (c) => {
    const contact = c.account.requireContact(id(c));
    return renderContact(contact, c.account.projects.get(contact.projectId));
  });
  add('PUT', '/contact/#id', (c) => {
    const contact = c.account.service.updateContact(id(c), readContactInput(requireBody(c.body), false));
    return renderContact(contact, c.account.projects.get(contact.projectId));
  });
  add('GET', '/contact/#id/leads', (c) => {
    const contact = c.account.requireContact(id(c));
    const leads = [...c.account.leads.values()].filter((lead) => lead.contactId === contact.id);
    return leads.map((lead) => leadJson(c.account, lead));
  });
  return routes;
}
