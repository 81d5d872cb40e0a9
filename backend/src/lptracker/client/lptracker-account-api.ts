import type {
  LptrackerContactFieldMeta,
  LptrackerCustomFieldMeta,
  LptrackerProjectInfo,
  LptrackerStaffMeta,
  LptrackerStageMeta,
} from '../metadata/lptracker-metadata.types';
import type { LptrackerRequest } from './lptracker-client';
import { readContactFields, readCustoms, readFunnel, readProjects, readStaff } from './lptracker-read';

/** Typed calls to LPTracker with one login in one limiter lane; every method throws the typed LptrackerError. */
export class LptrackerAccountApi {
  constructor(private readonly send: (request: LptrackerRequest) => Promise<unknown>) {}

  /** Any LPTracker call, with the same limits, retries, re-login and `callback: true` rule as the typed methods. */
  request(request: LptrackerRequest): Promise<unknown> {
    return this.send(request);
  }

  async listProjects(): Promise<LptrackerProjectInfo[]> {
    return readProjects(await this.send({ method: 'GET', path: '/projects' }));
  }

  async listCustoms(projectId: number): Promise<LptrackerCustomFieldMeta[]> {
    return readCustoms(await this.send({ method: 'GET', path: `/project/${projectId}/customs` }));
  }

  async listContactFields(projectId: number): Promise<LptrackerContactFieldMeta[]> {
    return readContactFields(await this.send({ method: 'GET', path: `/project/${projectId}/fields` }));
  }

  async listFunnel(projectId: number): Promise<LptrackerStageMeta[]> {
    return readFunnel(await this.send({ method: 'GET', path: `/project/${projectId}/funnel` }));
  }

  async listStaff(): Promise<LptrackerStaffMeta[]> {
    return readStaff(await this.send({ method: 'GET', path: '/staff' }));
  }
}
