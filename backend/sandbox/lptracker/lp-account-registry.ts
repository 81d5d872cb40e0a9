import { httpProblem } from '../amocrm/problems';
import { LpAccount, type LpAccountCredentials, type LpAccountInput } from './lp-account';
import type { LpRuntime } from './lp-runtime';
import { seedLpDemo } from './lp-demo-seed';

const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Every account of one server, by key; logins are unique across the server (they say whose a call is). */
export class LpAccountRegistry {
  private readonly accounts = new Map<string, LpAccount>();

  constructor(private readonly runtime: LpRuntime) {}

  create(input: LpAccountInput = {}): LpAccountCredentials {
    const key = input.key ?? this.freeKey();
    if (!KEY_PATTERN.test(key))
      throw httpProblem(400, `Invalid key "${key}": use lowercase letters, digits and dashes`);
    if (this.accounts.has(key)) throw httpProblem(409, `Account "${key}" already exists`);
    if (input.rps !== undefined && !(Number.isFinite(input.rps) && input.rps >= 0)) {
      throw httpProblem(400, 'rps must be a number ≥ 0 (0 turns the limit off)');
    }
    const account = new LpAccount(key, input, this.runtime);
    this.requireFreeLogin(account.credentials.login);
    if (input.seed) seedLpDemo(account);
    this.accounts.set(key, account);
    return account.credentials;
  }

  addLogin(key: string, login: string, password: string): void {
    const account = this.require(key);
    if (login.trim() === '' || password === '') throw httpProblem(400, 'login and password are required');
    this.requireFreeLogin(login);
    account.logins.set(login, password);
  }

  get(key: string): LpAccount | undefined {
    return this.accounts.get(key);
  }

  require(key: string): LpAccount {
    const account = this.accounts.get(key);
    if (!account) throw httpProblem(404, `Account "${key}" not found`);
    return account;
  }

  list(): LpAccount[] {
    return [...this.accounts.values()];
  }

  findByLogin(login: string): LpAccount | undefined {
    return this.list().find((account) => account.logins.has(login));
  }

  findByToken(token: string): LpAccount | undefined {
    return this.list().find((account) => account.sessions.has(token));
  }

  remove(key: string): boolean {
    this.accounts.get(key)?.close();
    return this.accounts.delete(key);
  }

  clear(): void {
    for (const key of [...this.accounts.keys()]) this.remove(key);
  }

  private requireFreeLogin(login: string): void {
    if (this.findByLogin(login)) throw httpProblem(409, `Login "${login}" is taken`);
  }

  private freeKey(): string {
    let index = this.accounts.size + 1;
    while (this.accounts.has(`acc${index}`)) index += 1;
    return `acc${index}`;
  }
}
