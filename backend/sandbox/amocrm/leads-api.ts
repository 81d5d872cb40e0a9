import { idParam, type ApiContext, type ApiRoutes } from './api-context';
import { registerEntityRoutes } from './entity-routes';
import { LEAD_ORDER_FIELDS, type LeadCriteria, type LeadStatusFilter } from './leads-service';
import { parseIdSet, parseModifiedSince, parseOrdering, parseTimeRange } from './list-query';
import { queryObject, queryText, type QueryObject } from './nested-query';

/** `/api/v4/leads`: list/search, get, batch create/update, complex, links. */
export function registerLeadRoutes(routes: ApiRoutes): void {
  registerEntityRoutes(routes, {
    collection: 'leads',
    service: (account) => account.leads,
    criteria: leadCriteria,
    withLinked: 'contacts',
    notFound: 'Lead not found',
    updated: (record) => ({ updated_at: record.updatedAt }),
  })
    .add('POST', '/api/v4/leads/complex', (context) => {
      const results = context.account.leads.complex(context.body, context.actorUserId, context.changes);
      context.exchange.sendJson(200, results);
    })
    .add('POST', '/api/v4/leads/#id/link', (context) => sendLinks(context, 'link'))
    .add('POST', '/api/v4/leads/#id/unlink', (context) => sendLinks(context, 'unlink'))
    .add('GET', '/api/v4/leads/#id/links', (context) => {
      const links = context.account.leads.links(idParam(context));
      if (links.length === 0) {
        context.exchange.sendEmpty(204);
        return;
      }
      context.exchange.sendJson(200, {
        _total_items: links.length,
        _links: { self: { href: `${context.account.data.baseUrl}/api/v4/leads/${idParam(context)}/links` } },
        _embedded: { links },
      });
    });
}

function sendLinks(context: ApiContext, mode: 'link' | 'unlink'): void {
  const id = idParam(context);
  const links = context.account.leads.link(id, context.body, mode);
  if (mode === 'unlink') {
    context.exchange.sendEmpty(204);
    return;
  }
  context.exchange.sendJson(200, {
    _total_items: links.length,
    _links: { self: { href: `${context.account.data.baseUrl}/api/v4/leads/${id}/link` } },
    _embedded: { links },
  });
}

function leadCriteria(context: ApiContext): LeadCriteria {
  const { query } = context;
  const filter = queryObject(query.filter) ?? {};
  return {
    query: queryText(query.query),
    ids: parseIdSet(filter.id),
    pipelineIds: parseIdSet(filter.pipeline_id),
    statuses: parseStatusFilters(queryObject(filter.statuses)),
    responsibleUserIds: parseIdSet(filter.responsible_user_id),
    createdAt: parseTimeRange(filter.created_at),
    updatedAt: parseTimeRange(filter.updated_at),
    closedAt: parseTimeRange(filter.closed_at),
    modifiedSince: parseModifiedSince(context.exchange.req.headers['if-modified-since']),
    ordering: parseOrdering(query, LEAD_ORDER_FIELDS),
  };
}

/** `filter[statuses][0][pipeline_id]=1&filter[statuses][0][status_id]=2&filter[statuses][1]…` */
function parseStatusFilters(statuses: QueryObject | undefined): LeadStatusFilter[] | undefined {
  if (!statuses) return undefined;
  const filters = Object.values(statuses).flatMap((entry) => {
    const item = queryObject(entry);
    if (!item) return [];
    const pipelineId = Number(queryText(item.pipeline_id));
    const statusId = Number(queryText(item.status_id));
    return [
      {
        ...(Number.isSafeInteger(pipelineId) && queryText(item.pipeline_id) ? { pipelineId } : {}),
        ...(Number.isSafeInteger(statusId) && queryText(item.status_id) ? { statusId } : {}),
      },
    ];
  });
  return filters.length > 0 ? filters : undefined;
}
