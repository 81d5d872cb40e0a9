import { closeServer, listenLocally } from '../server-lifecycle';
import type { AmoAccountCredentials, CreateAccountInput } from './account';
import { AmoAccountHandle } from './account-handle';
import { AccountRegistry } from './account-registry';
import { DEFAULT_SANDBOX_SETTINGS, SandboxRuntime, type SandboxSettings } from './sandbox-runtime';
import { SandboxServer } from './sandbox-server';

export interface AmoSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default requests per second per account (7). */
  rps?: number;
  /** Default access-token lifetime (86400). */
  accessTokenTtlSec?: number;
  /** 429 answers within 60 s beyond which an account is blocked (20). */
  blockAfter429s?: number;
  /** Create the seeded `demo` account with the fixed credentials of `DEMO_ACCOUNT`. */
  seedDemo?: boolean;
  /** Called with one line per request (nothing is logged by default). */
  log?: (line: string) => void;
  /** Any other setting (TTL of codes/refresh tokens, body limit, webhook timeout…). */
  settings?: Partial<SandboxSettings>;
}

/** The demo account `npm run sandbox` creates: fixed so a demo can be configured once. */
export const DEMO_ACCOUNT: Readonly<
  Required<Pick<CreateAccountInput, 'subdomain' | 'name' | 'clientId' | 'clientSecret' | 'longLivedToken'>>
> = {
  subdomain: 'demo',
  name: 'Демо: ООО «Ромашка»',
  clientId: '6f1c2d3e-4b5a-4c7d-8e9f-a0b1c2d3e4f5',
  clientSecret: 'demo-client-secret-7Kq2Vn9Xw4Lp8Rt3Ys6Bd1Fh5Jm0Gc2',
  longLivedToken: 'demo-long-lived-token-3Nf8Qw2Ez7Ra5Tb9Yc4Ud6Ig1Oh0Pj',
};

export interface AmoSandbox {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/{subdomain}`: the product's amoCRM base-URL template. */
  readonly baseUrlTemplate: string;
  createAccount(input?: CreateAccountInput): AmoAccountCredentials;
  /** Throws when no such account exists. */
  account(subdomain: string): AmoAccountHandle;
  accounts(): AmoAccountCredentials[];
  /** Drops every account (and re-creates the demo account when `seedDemo` was set). */
  reset(): void;
  close(): Promise<void>;
}

export async function startAmoSandbox(options: AmoSandboxOptions = {}): Promise<AmoSandbox> {
  const runtime = new SandboxRuntime({
    ...DEFAULT_SANDBOX_SETTINGS,
    ...options.settings,
    ...(options.rps === undefined ? {} : { rps: options.rps }),
    ...(options.accessTokenTtlSec === undefined ? {} : { accessTokenTtlSec: options.accessTokenTtlSec }),
    ...(options.blockAfter429s === undefined ? {} : { blockAfter429s: options.blockAfter429s }),
  });
  const registry = new AccountRegistry(runtime);
  const reset = (): void => {
    registry.clear();
    if (options.seedDemo) registry.create({ ...DEMO_ACCOUNT, seed: true });
  };
  const front = new SandboxServer(registry, runtime, options.log, reset);
  runtime.publicUrl = await listenLocally(front.server, options.port ?? 0, options.host ?? '127.0.0.1');
  reset();

  return {
    url: runtime.publicUrl,
    baseUrlTemplate: `${runtime.publicUrl}/{subdomain}`,
    createAccount: (input) => registry.create(input),
    account: (subdomain) => {
      const account = registry.get(subdomain);
      if (!account) throw new Error(`No sandbox account "${subdomain}"`);
      return new AmoAccountHandle(account);
    },
    accounts: () => registry.list().map((account) => account.credentials),
    reset,
    close: async () => {
      registry.clear();
      await closeServer(front.server);
    },
  };
}
