import { AmoAccount, type AmoAccountCredentials, type CreateAccountInput } from './account';
import { seedDemoData } from './demo-seed';
import { httpProblem } from './problems';
import type { SandboxRuntime } from './sandbox-runtime';

const SUBDOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const RESERVED_SUBDOMAINS = new Set(['oauth', 'api', '__sandbox']);

/** All accounts of one sandbox server, addressed by subdomain. */
export class AccountRegistry {
  private readonly accounts = new Map<string, AmoAccount>();
  /** What each account was created with, so a reset can rebuild it with the same credentials. */
  private readonly inputs = new Map<string, CreateAccountInput>();

  constructor(private readonly runtime: SandboxRuntime) {}

  create(input: CreateAccountInput = {}): AmoAccountCredentials {
    return this.build(input, undefined);
  }

  private build(input: CreateAccountInput, fixedId: number | undefined): AmoAccountCredentials {
    const subdomain = input.subdomain ?? this.freeSubdomain();
    if (!SUBDOMAIN_PATTERN.test(subdomain) || RESERVED_SUBDOMAINS.has(subdomain)) {
      throw httpProblem(400, `Invalid subdomain "${subdomain}": use lowercase letters, digits and dashes`);
    }
    if (this.accounts.has(subdomain)) throw httpProblem(409, `Account "${subdomain}" already exists`);
    for (const value of [input.rps, input.accessTokenTtlSec, input.blockAfter429s]) {
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
        throw httpProblem(400, 'rps, accessTokenTtlSec and blockAfter429s must be positive numbers');
      }
    }
    const account = new AmoAccount(
      fixedId ?? this.runtime.ids.next('account'),
      subdomain,
      input,
      this.runtime,
    );
    if (input.seed) seedDemoData(account);
    const credentials = account.credentials;
    this.accounts.set(subdomain, account);
    this.inputs.set(subdomain, {
      ...input,
      subdomain,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      longLivedToken: credentials.longLivedToken,
    });
    return credentials;
  }

  get(subdomain: string): AmoAccount | undefined {
    return this.accounts.get(subdomain);
  }

  require(subdomain: string): AmoAccount {
    const account = this.accounts.get(subdomain);
    if (!account) throw httpProblem(404, `Account "${subdomain}" not found`);
    return account;
  }

  findByClientId(clientId: string): AmoAccount | undefined {
    return [...this.accounts.values()].find((account) => account.clientId === clientId);
  }

  list(): AmoAccount[] {
    return [...this.accounts.values()];
  }

  remove(subdomain: string): boolean {
    const account = this.accounts.get(subdomain);
    account?.close();
    this.inputs.delete(subdomain);
    return this.accounts.delete(subdomain);
  }

  /** Rebuilds one account's data from scratch, keeping its credentials and settings input. */
  resetAccount(subdomain: string): AmoAccountCredentials {
    const input = this.inputs.get(subdomain);
    const previous = this.accounts.get(subdomain);
    if (!input || !previous) throw httpProblem(404, `Account "${subdomain}" not found`);
    this.remove(subdomain);
    return this.build(input, previous.id);
  }

  /** Drops every account. */
  clear(): void {
    for (const subdomain of [...this.accounts.keys()]) this.remove(subdomain);
  }

  private freeSubdomain(): string {
    let index = this.accounts.size + 1;
    while (this.accounts.has(`acc${index}`)) index += 1;
    return `acc${index}`;
  }
}
