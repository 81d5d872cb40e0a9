import type { AmoAccountHandle } from '../sandbox/amocrm';

/**
 * The inbox benchmark's load: the workspace connected to the sandbox account and subscribed, the webhook bodies
 * amoCRM sends when a manager moves a lead, as a template that wrk (`wrk-load.ts`) fills in per request.
 */

/** Logs in, connects the workspace to the sandbox account (long-lived token) and answers its webhook URL. */
export async function connectAndSubscribe(
  apiUrl: string,
  account: { subdomain: string; longLivedToken: string },
  admin: { email: string; password: string },
): Promise<string> {
  const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;
  const connected = await fetch(`${apiUrl}/api/v1/connections/amocrm`, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ subdomain: account.subdomain, longLivedToken: account.longLivedToken }),
  });
  if (connected.status !== 200) throw new Error(`connecting amoCRM failed: ${await connected.text()}`);
  const res = await fetch(`${apiUrl}/api/v1/connections/amocrm/webhook`, { headers: { authorization } });
  const body = (await res.json()) as { url?: string };
  if (!body.url) throw new Error(`no webhook URL: ${JSON.stringify(body)}`);
  return body.url;
}

/** The ids a body needs from the sandbox account: stages, a select field and its option, the PHONE field. */
export interface BodyShape {
  accountId: number;
  subdomain: string;
  baseUrl: string;
  pipelineId: number;
  oldStatusId: number;
  statusId: number;
  responsibleUserId: number;
  selectFieldId: number;
  selectFieldName: string;
  option: { id: number; value: string };
  phoneFieldId: number;
  phoneEnumId: number;
}

export function bodyShape(amo: AmoAccountHandle): BodyShape {
  const pipeline = amo.pipelines()[0];
  const [oldStage, stage] = pipeline.statuses.filter(
    (status) => status.type === 0 && status.id !== 142 && status.id !== 143,
  );
  const select = amo.leadFields().find((field) => field.type === 'select');
  const phone = amo.contactFields().find((field) => field.code === 'PHONE');
  if (!select?.enums || !phone?.enums) throw new Error('the sandbox account has no select or PHONE field');
  return {
    accountId: amo.id,
    subdomain: amo.subdomain,
    baseUrl: amo.baseUrl,
    pipelineId: pipeline.id,
    oldStatusId: oldStage.id,
    statusId: stage.id,
    responsibleUserId: amo.managerUserId,
    selectFieldId: select.id,
    selectFieldName: select.name,
    option: { id: select.enums[1].id, value: select.enums[1].value },
    phoneFieldId: phone.id,
    phoneEnumId: phone.enums[0].id,
  };
}

/**
 * A manager moves a lead to the next stage, as amoCRM sends it (legacy v2 field names): the whole lead under
 * `leads[status]` and its contact under `contacts[update]` with `linked_leads_id`. A template: `XLEADX` (the lead
 * id), `XCONTACTX` (its contact's id) and `XPHONEX` (7 digits of the contact's phone) are filled in per request,
 * so that every delivery is distinct and stored.
 */
export function amocrmMoveTemplate(shape: BodyShape): string {
  const now = Math.floor(Date.now() / 1000);
  const [leadId, contactId, phone7] = ['XLEADX', 'XCONTACTX', 'XPHONEX'];
  const lead = (field: string, value: string | number): [string, string] => [
    `leads[status][0][${field}]`,
    String(value),
  ];
  const contact = (field: string, value: string | number): [string, string] => [
    `contacts[update][0][${field}]`,
    String(value),
  ];
  return new URLSearchParams([
    lead('id', leadId),
    lead('name', `Заявка с сайта №${leadId}`),
    lead('status_id', shape.statusId),
    lead('old_status_id', shape.oldStatusId),
    lead('price', 15_000),
    lead('responsible_user_id', shape.responsibleUserId),
    lead('last_modified', now),
    lead('modified_user_id', shape.responsibleUserId),
    lead('created_user_id', shape.responsibleUserId),
    lead('date_create', now - 3600),
    lead('pipeline_id', shape.pipelineId),
    lead('old_pipeline_id', shape.pipelineId),
    lead('account_id', shape.accountId),
    lead('custom_fields][0][id', shape.selectFieldId),
    lead('custom_fields][0][name', shape.selectFieldName),
    lead('custom_fields][0][values][0][value', shape.option.value),
    lead('custom_fields][0][values][0][enum', shape.option.id),
    lead('created_at', now - 3600),
    lead('updated_at', now),
    contact('id', contactId),
    contact('name', `Клиент №${leadId}`),
    contact('responsible_user_id', shape.responsibleUserId),
    contact('date_create', now - 3600),
    contact('last_modified', now),
    contact('custom_fields][0][id', shape.phoneFieldId),
    contact('custom_fields][0][code', 'PHONE'),
    contact('custom_fields][0][values][0][value', `+7916${phone7}`),
    contact('custom_fields][0][values][0][enum', shape.phoneEnumId),
    contact(`linked_leads_id][${leadId}][ID`, leadId),
    contact('type', 'contact'),
    contact('created_at', now - 3600),
    contact('updated_at', now),
    ['account[subdomain]', shape.subdomain],
    ['account[id]', String(shape.accountId)],
    ['account[_links][self]', shape.baseUrl],
  ]).toString();
}
