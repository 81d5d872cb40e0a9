import { CLOSED_STATUS_IDS } from './leads.repository';

/** Won (142) and lost (143) leads are closed; every other status is open. */
export function isOpenStatus(statusId: number | null | undefined): boolean {
  return statusId === null || statusId === undefined || !CLOSED_STATUS_IDS.includes(statusId);
}
