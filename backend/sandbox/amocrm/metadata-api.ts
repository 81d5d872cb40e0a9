import type { AccountData } from './account-data';
import { idParam, type ApiContext, type ApiRoutes } from './api-context';
import type { FieldCatalog } from './custom-field-values';
import type { AmoUser, CustomFieldDefinition, Pipeline, PipelineStatus } from './entity-records';
import { listLinks, parsePaging, slicePage } from './list-query';
import { httpProblem } from './problems';

/** Account, users, pipelines and custom-field metadata: `/api/v4/account`, `/users`, … */
export function registerMetadataRoutes(routes: ApiRoutes): void {
  routes
    .add('GET', '/api/v4/account', (context) =>
      context.exchange.sendJson(200, renderAccount(context.account.data)),
    )
    .add('GET', '/api/v4/users', (context) => {
      const data = context.account.data;
      sendPagedList(
        context,
        '/api/v4/users',
        'users',
        data.users.map((user) => renderUser(data, user)),
      );
    })
    .add('GET', '/api/v4/users/#id', (context) => {
      const data = context.account.data;
      const user = data.user(idParam(context));
      if (!user) throw httpProblem(404, 'User not found');
      context.exchange.sendJson(200, renderUser(data, user));
    })
    .add('GET', '/api/v4/leads/pipelines', (context) => {
      const data = context.account.data;
      context.exchange.sendJson(200, {
        _total_items: data.pipelines.length,
        _links: { self: { href: `${data.baseUrl}/api/v4/leads/pipelines` } },
        _embedded: { pipelines: data.pipelines.map((pipeline) => renderPipeline(data, pipeline)) },
      });
    })
    .add('GET', '/api/v4/leads/pipelines/#id', (context) => {
      const data = context.account.data;
      context.exchange.sendJson(200, renderPipeline(data, requirePipeline(context)));
    })
    .add('GET', '/api/v4/leads/pipelines/#id/statuses', (context) => {
      const data = context.account.data;
      const pipeline = requirePipeline(context);
      context.exchange.sendJson(200, {
        _total_items: pipeline.statuses.length,
        _links: { self: { href: `${data.baseUrl}/api/v4/leads/pipelines/${pipeline.id}/statuses` } },
        _embedded: { statuses: pipeline.statuses.map((status) => renderStatus(data, status)) },
      });
    })
    .add('GET', '/api/v4/leads/custom_fields', (context) =>
      sendFields(context, 'leads', context.account.data.leadFields),
    )
    .add('GET', '/api/v4/leads/custom_fields/#id', (context) =>
      sendField(context, context.account.data.leadFields),
    )
    .add('GET', '/api/v4/contacts/custom_fields', (context) =>
      sendFields(context, 'contacts', context.account.data.contactFields),
    )
    .add('GET', '/api/v4/contacts/custom_fields/#id', (context) =>
      sendField(context, context.account.data.contactFields),
    )
    .add('GET', '/api/v4/companies/custom_fields', (context) =>
      sendFields(context, 'companies', context.account.data.companyFields),
    );
}

function requirePipeline(context: ApiContext): Pipeline {
  const pipeline = context.account.data.pipeline(idParam(context));
  if (!pipeline) throw httpProblem(404, 'Pipeline not found');
  return pipeline;
}

function sendPagedList(context: ApiContext, path: string, key: string, items: unknown[]): void {
  const paging = parsePaging(context.query);
  const page = slicePage(items, paging);
  if (page.items.length === 0) {
    context.exchange.sendEmpty(204);
    return;
  }
  context.exchange.sendJson(200, {
    _total_items: items.length,
    _page: paging.page,
    _page_count: Math.ceil(items.length / paging.limit),
    _links: listLinks(
      context.account.data.baseUrl,
      path,
      context.exchange.url.searchParams,
      paging,
      paging.page * paging.limit < items.length,
    ),
    _embedded: { [key]: page.items },
  });
}

function sendFields(context: ApiContext, entity: string, catalog: FieldCatalog): void {
  const data = context.account.data;
  const fields = [...catalog.definitions].sort((a, b) => a.sort - b.sort || a.id - b.id);
  sendPagedList(
    context,
    `/api/v4/${entity}/custom_fields`,
    'custom_fields',
    fields.map((field) => renderField(data, field)),
  );
}

function sendField(context: ApiContext, catalog: FieldCatalog): void {
  const field = catalog.byId(idParam(context));
  if (!field) throw httpProblem(404, 'Custom field not found');
  context.exchange.sendJson(200, renderField(context.account.data, field));
}

function renderAccount(data: AccountData): Record<string, unknown> {
  return {
    id: data.id,
    name: data.name,
    subdomain: data.subdomain,
    created_at: data.createdAt,
    created_by: 0,
    updated_at: data.createdAt,
    updated_by: 0,
    current_user_id: data.currentUserId,
    country: 'RU',
    customers_mode: 'disabled',
    is_unsorted_on: true,
    is_loss_reason_enabled: true,
    is_helpbot_enabled: false,
    is_technical_account: false,
    contact_name_display_order: 1,
    currency: 'RUB',
    currency_symbol: '₽',
    _links: { self: { href: `${data.baseUrl}/api/v4/account` } },
  };
}

function renderUser(data: AccountData, user: AmoUser): Record<string, unknown> {
  const full = { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' };
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    lang: 'ru',
    rights: {
      leads: full,
      contacts: full,
      companies: full,
      tasks: { edit: 'A', delete: 'A' },
      mail_access: true,
      catalog_access: true,
      status_rights: [],
      is_admin: user.isAdmin,
      is_free: false,
      is_active: true,
      group_id: null,
      role_id: null,
    },
    _links: { self: { href: `${data.baseUrl}/api/v4/users/${user.id}` } },
  };
}

function renderStatus(data: AccountData, status: PipelineStatus): Record<string, unknown> {
  return {
    id: status.id,
    name: status.name,
    sort: status.sort,
    is_editable: status.isEditable,
    pipeline_id: status.pipelineId,
    color: status.color,
    type: status.type,
    account_id: data.id,
    _links: {
      self: { href: `${data.baseUrl}/api/v4/leads/pipelines/${status.pipelineId}/statuses/${status.id}` },
    },
  };
}

function renderPipeline(data: AccountData, pipeline: Pipeline): Record<string, unknown> {
  return {
    id: pipeline.id,
    name: pipeline.name,
    sort: pipeline.sort,
    is_main: pipeline.isMain,
    is_unsorted_on: true,
    is_archive: pipeline.isArchive,
    account_id: data.id,
    _links: { self: { href: `${data.baseUrl}/api/v4/leads/pipelines/${pipeline.id}` } },
    _embedded: { statuses: pipeline.statuses.map((status) => renderStatus(data, status)) },
  };
}

function renderField(data: AccountData, field: CustomFieldDefinition): Record<string, unknown> {
  return {
    id: field.id,
    name: field.name,
    type: field.type,
    account_id: data.id,
    code: field.code,
    sort: field.sort,
    is_api_only: false,
    enums: field.enums?.map((option) => ({ id: option.id, value: option.value, sort: option.sort })) ?? null,
    group_id: null,
    required_statuses: [],
    is_deletable: !field.isPredefined,
    is_predefined: field.isPredefined,
    entity_type: field.entityType,
    remind: null,
    _links: { self: { href: `${data.baseUrl}/api/v4/${field.entityType}/custom_fields/${field.id}` } },
  };
}
