import { closeServer, listenLocally } from '../server-lifecycle';
import type { LpAccountCredentials, LpAccountInput } from './lp-account';
import { LpAccountHandle } from './lp-account-handle';
import { LpAccountRegistry } from './lp-account-registry';
import { LpControlApi } from './lp-control-api';
import { DEFAULT_LP_SETTINGS, LpRuntime, type LpSandboxSettings } from './lp-runtime';
import { LpSandboxServer } from './lp-sandbox-server';

export interface LpTrackerSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default requests per second per login (3); 0 turns the limit off. */
  rps?: number;
  /** Create the seeded `demo` account with the fixed credentials of `DEMO_LPTRACKER_ACCOUNT`. */
  seedDemo?: boolean;
  /** Called with one line per request (nothing is logged by default). */
  log?: (line: string) => void;
  /** Any other setting (token idle time, webhook retries and body, body limit…). */
  settings?: Partial<LpSandboxSettings>;
}

/** The demo account: fixed so a demo can be configured once. */
export const DEMO_LPTRACKER_ACCOUNT: Readonly<
  Required<Pick<LpAccountInput, 'key' | 'name' | 'login' | 'password'>>
> = {
  key: 'demo',
  name: 'Демо: ООО «Ромашка»',
  login: 'demo@lptracker.local',
  password: 'demo-lptracker-password-5Hq8Wz2Kp',
};

export interface LpTrackerSandbox {
  /** `http://127.0.0.1:<port>`: the product's LPTRACKER_BASE_URL (one for every account). */
  readonly url: string;
  createAccount(input?: LpAccountInput): LpAccountCredentials;
  /** Throws when no such account exists. */
  account(key: string): LpAccountHandle;
  accounts(): LpAccountCredentials[];
  /** Drops every account (and re-creates the demo account when `seedDemo` was set). */
  reset(): void;
  close(): Promise<void>;
}

export async function startLpTrackerSandbox(
  options: LpTrackerSandboxOptions = {},
): Promise<LpTrackerSandbox> {
  const runtime = new LpRuntime({
    ...DEFAULT_LP_SETTINGS,
    ...options.settings,
    ...(options.rps === undefined ? {} : { rps: options.rps }),
  });
  const registry = new LpAccountRegistry(runtime);
  const reset = (): void => {
    registry.clear();
    if (options.seedDemo) registry.create({ ...DEMO_LPTRACKER_ACCOUNT, seed: true });
  };
  const front = new LpSandboxServer(
    registry,
    runtime,
    new LpControlApi(registry, runtime, reset),
    options.log,
  );
  runtime.publicUrl = await listenLocally(front.server, options.port ?? 0, options.host ?? '127.0.0.1');
  reset();

  return {
    url: runtime.publicUrl,
    createAccount: (input) => registry.create(input),
    account: (key) => {
      const account = registry.get(key);
      if (!account) throw new Error(`No LPTracker sandbox account "${key}"`);
      return new LpAccountHandle(account);
    },
    accounts: () => registry.list().map((account) => account.credentials),
    reset,
    close: async () => {
      registry.clear();
      await closeServer(front.server);
    },
  };
}
