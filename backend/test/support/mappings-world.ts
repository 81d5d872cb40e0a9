import { startAmoSandbox, type AmoAccountHandle, type AmoSandbox } from '../../sandbox/amocrm';
import {
  startLpTrackerSandbox,
  type LpAccountCredentials,
  type LpTrackerSandbox,
} from '../../sandbox/lptracker';
import { connectLongLived } from './amocrm';
import { loginAdmin, type LoggedIn } from './auth';
import { connectLptracker } from './lptracker';
import { startTestApp, type TestApp } from './test-app';

/**
 * What the mapping e2e specs run against: both sandboxes in-process, a test app pointed at them, amoCRM connected
 * (with a text lead field «Источник» and one coded UTM_CAMPAIGN added first), then LPTracker's seeded project with
 * a stage «Переговоры» and a staff member «Ольга Смирнова» (names amoCRM has too).
 */
export interface MappingsWorld {
  amoSandbox: AmoSandbox;
  lpSandbox: LpTrackerSandbox;
  t: TestApp;
  admin: LoggedIn;
  amo: AmoAccountHandle;
  lpAccount: LpAccountCredentials;
  projectId: number;
  sourceField: number;
  campaignField: number;
  lpCityField: number;
  close(): Promise<void>;
}

export async function startMappingsWorld(): Promise<MappingsWorld> {
  const amoSandbox = await startAmoSandbox({ rps: 1000 });
  const lpSandbox = await startLpTrackerSandbox();
  const t = await startTestApp({
    env: {
      AMOCRM_BASE_URL_TEMPLATE: amoSandbox.baseUrlTemplate,
      AMOCRM_RPS: '50',
      LPTRACKER_BASE_URL: lpSandbox.url,
    },
  });
  const admin = await loginAdmin(t.url);
  const amoAccount = amoSandbox.createAccount();
  const amo = amoSandbox.account(amoAccount.subdomain);
  const sourceField = amo.addCustomField('leads', { name: 'Источник', type: 'text' }).id;
  const campaignField = amo.addCustomField('leads', {
    name: 'utm_campaign',
    type: 'text',
    code: 'UTM_CAMPAIGN',
  }).id;
  await connectLongLived(t, admin, amoAccount);
  const lpAccount = lpSandbox.createAccount({ seed: true });
  const lp = lpSandbox.account(lpAccount.key);
  const projectId = lp.firstProject.id;
  lp.addStage(projectId, 'Переговоры');
  lp.addStaff({ name: 'Ольга Смирнова' });
  const lpCityField = lp.firstProject.customs.find((field) => field.name === 'Город')!.id;
  await connectLptracker(t, admin, lpAccount, projectId);
  return {
    amoSandbox,
    lpSandbox,
    t,
    admin,
    amo,
    lpAccount,
    projectId,
    sourceField,
    campaignField,
    lpCityField,
    close: async () => {
      await t.close();
      await lpSandbox.close();
      await amoSandbox.close();
    },
  };
}

export const mappingLine = (
  source: string | null,
  target: string,
  transform: unknown = { type: 'none' },
) => ({
  source,
  target,
  transform,
});

export const mappingDoc = (overrides: Record<string, unknown> = {}) => ({
  lines: [mappingLine('contact.name', 'contact.name')],
  pipelineId: null,
  statusId: null,
  createAs: 'lead',
  stageMap: [],
  userMap: [],
  ...overrides,
});

/** `[field, code]` of each error of a validation problem. */
export const fieldErrors = (body: any): [string, string][] =>
  (body.errors ?? []).map((error: any) => [error.field, error.code]);
