import { httpProblem } from '../amocrm/problems';
import type { LpAccount } from './lp-account';
import {
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
  type LpContactField,
  type LpCustomField,
  type LpProject,
  type LpStaff,
  type LpStage,
} from './lp-records';

/** Building an account's projects, fields, funnel and staff (control API, demo seed, tests). */

export interface ProjectInput {
  name: string;
  domain?: string;
  page?: string;
  /** Default: Новый, В работе, Продажа, Отказ. */
  stages?: string[];
}

export const DEFAULT_STAGES = ['Новый', 'В работе', 'Продажа', 'Отказ'] as const;

export function addProject(account: LpAccount, input: ProjectInput): LpProject {
  if (input.name.trim() === '') throw httpProblem(400, 'name is required');
  const domain = input.domain ?? `site${account.projects.size + 1}.example.ru`;
  const project: LpProject = {
    id: account.nextId('project'),
    name: input.name,
    domain,
    page: input.page ?? `https://${domain}/`,
    customs: [],
    fields: [],
    stages: [],
    callbacks: [],
  };
  account.projects.set(project.id, project);
  for (const name of input.stages ?? DEFAULT_STAGES) addStage(account, project.id, { name });
  return project;
}

export function addCustomField(
  account: LpAccount,
  projectId: number,
  input: { name: string; type?: string; options?: string[] },
): LpCustomField {
  const project = requireProject(account, projectId);
  const type = input.type ?? 'text';
  if (!CUSTOM_FIELD_TYPES.some((known) => known === type)) {
    throw httpProblem(400, `type must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`);
  }
  if (type === 'cats' && (input.options ?? []).length === 0)
    throw httpProblem(400, 'a cats field needs options');
  const field: LpCustomField = {
    id: account.nextId('custom'),
    name: input.name,
    type: type as CustomFieldType,
    options: type === 'cats' ? [...(input.options ?? [])] : [],
  };
  project.customs.push(field);
  return field;
}

/** Deletes a custom field; values already on leads stop showing (as when a field is deleted in LPTracker). */
export function removeCustomField(account: LpAccount, projectId: number, fieldId: number): void {
  const project = requireProject(account, projectId);
  const index = project.customs.findIndex((field) => field.id === fieldId);
  if (index < 0) throw httpProblem(404, `Custom field ${fieldId} not found`);
  project.customs.splice(index, 1);
}

export function addContactField(
  account: LpAccount,
  projectId: number,
  input: { name: string; type?: string },
): LpContactField {
  const field: LpContactField = { id: account.nextId('field'), name: input.name, type: input.type ?? 'text' };
  requireProject(account, projectId).fields.push(field);
  return field;
}

export function addStage(
  account: LpAccount,
  projectId: number,
  input: { name: string; notify?: boolean; inLeads?: boolean; inDeals?: boolean },
): LpStage {
  const stage: LpStage = {
    id: account.nextId('stage'),
    name: input.name,
    notify: input.notify ?? false,
    inLeads: input.inLeads ?? true,
    inDeals: input.inDeals ?? false,
  };
  requireProject(account, projectId).stages.push(stage);
  return stage;
}

export function removeStage(account: LpAccount, projectId: number, stageId: number): void {
  const project = requireProject(account, projectId);
  const index = project.stages.findIndex((stage) => stage.id === stageId);
  if (index < 0) throw httpProblem(404, `Stage ${stageId} not found`);
  project.stages.splice(index, 1);
}

export function addStaff(account: LpAccount, input: { name: string; job?: string; email?: string }): LpStaff {
  const id = account.nextId('staff');
  const member: LpStaff = {
    id,
    name: input.name,
    job: input.job ?? 'Менеджер',
    email: input.email ?? `staff${id}@lptracker.local`,
  };
  account.staff.push(member);
  return member;
}

function requireProject(account: LpAccount, projectId: number): LpProject {
  const project = account.projects.get(projectId);
  if (!project) throw httpProblem(404, `Project ${projectId} not found`);
  return project;
}
