import { isHttpUrl } from '../amocrm/webhook-subscriptions';
import { badRequest } from './lp-errors';
import type { LpCallbackUrl, LpProject } from './lp-records';

/**
 * `PUT /project/{id}/callback-url {url, name?}`. A project keeps several callbacks, one per name; the
 * name defaults to the caller's service (the `service` it logged in with), so each integration owns
 * one entry. A url sets (adds or replaces) the entry of that name; an empty url removes the entry of
 * that name, and with no name the caller's own: other callbacks are never touched.
 */

export const MAX_CALLBACKS_PER_PROJECT = 20;

export function setCallbackUrl(
  project: LpProject,
  url: string,
  name: string,
  nextId: () => number,
): LpCallbackUrl[] {
  const index = project.callbacks.findIndex((callback) => callback.name === name);
  if (url === '') {
    if (index >= 0) project.callbacks.splice(index, 1);
    return listCallbacks(project);
  }
  if (!isHttpUrl(url)) throw badRequest(`url must be an http(s) URL, got "${url}"`);
  if (index >= 0) {
    project.callbacks[index].url = url;
  } else {
    if (project.callbacks.length >= MAX_CALLBACKS_PER_PROJECT) {
      throw badRequest(`A project keeps at most ${MAX_CALLBACKS_PER_PROJECT} callback URLs`);
    }
    project.callbacks.push({ id: nextId(), name, url });
  }
  return listCallbacks(project);
}

export function listCallbacks(project: LpProject): LpCallbackUrl[] {
  return project.callbacks.map((callback) => ({ ...callback }));
}
