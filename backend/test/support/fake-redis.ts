import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/** A stored key: a string or a list, with its expiry (ms on the fake's clock) when it has one. */
interface Entry {
  value: string | string[];
  expiresAt?: number;
}

type Reply = string | number | string[] | null;

/**
 * The only scripts the fake runs: "act on KEYS[1] only while it holds the token ARGV[1]" (RedisLock's release and
 * renew). Any other script is refused, so a spec never passes on a script the fake does not understand.
 */
const TOKEN_GUARDED =
  /^if redis\.call\('GET', KEYS\[1\]\) == ARGV\[1\] then return redis\.call\('(DEL|PEXPIRE)', KEYS\[1\](, ARGV\[2\])?\) end return 0$/;

/**
 * In-memory Redis for unit specs (one for all of them): strings and lists with expiry, MULTI and pipelines, and
 * the token-guarded scripts of RedisLock, with Redis's replies. Only the commands the product's Redis users send
 * are here; specs inspect state through the same commands (`lrange`, `ttl`, `keys`…), never through internals.
 *
 * The clock is `Date.now()` (so jest's fake timers move it) unless a spec passes its own. `roundTrips` counts
 * what would reach the server: one per direct command, one per `exec()` of a MULTI or pipeline.
 */
export class FakeRedis {
  roundTrips = 0;
  private readonly data = new Map<string, Entry>();
  private readonly scripts = new Map<string, string>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** This fake where a service wants an ioredis client. */
  asRedis(): Redis {
    return this as unknown as Redis;
  }

  // --- the commands, run synchronously (direct calls and transactions wrap them) ---

  private readonly commands = {
    get: (key: string): string | null => this.stringAt(key) ?? null,
    set: (key: string, value: string, ...options: (string | number)[]): 'OK' | null => {
      let expiresAt: number | undefined;
      let onlyIfAbsent = false;
      for (let i = 0; i < options.length; i += 1) {
        const option = String(options[i]).toUpperCase();
        if (option === 'NX') onlyIfAbsent = true;
        else if (option === 'EX' || option === 'PX')
          expiresAt = this.now() + Number(options[++i]) * (option === 'EX' ? 1000 : 1);
        else throw new Error(`SET option ${option} is not in the fake`);
      }
      if (onlyIfAbsent && this.live(key)) return null;
      this.data.set(key, { value, expiresAt });
      return 'OK';
    },
    del: (...keys: string[]): number => keys.filter((key) => this.live(key) && this.data.delete(key)).length,
    exists: (...keys: string[]): number => keys.filter((key) => this.live(key)).length,
    incr: (key: string): number => this.incrBy(key, 1),
    decr: (key: string): number => this.incrBy(key, -1),
    expire: (key: string, seconds: number, mode?: 'NX'): number => this.setExpiry(key, seconds * 1000, mode),
    pexpire: (key: string, ms: number): number => this.setExpiry(key, Number(ms)),
    ttl: (key: string): number => {
      const left = this.commands.pttl(key);
      return left < 0 ? left : Math.round(left / 1000);
    },
    pttl: (key: string): number => {
      const entry = this.live(key);
      if (!entry) return -2;
      return entry.expiresAt === undefined ? -1 : entry.expiresAt - this.now();
    },
    keys: (pattern: string): string[] => {
      const glob = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
      return [...this.data.keys()].filter((key) => this.live(key) && glob.test(key));
    },
    lpush: (key: string, ...values: string[]): number => {
      const list = this.listAt(key) ?? [];
      for (const value of values) list.unshift(value);
      if (!this.live(key)) this.data.set(key, { value: list });
      return list.length;
    },
    ltrim: (key: string, start: number, stop: number): 'OK' => {
      const list = this.listAt(key);
      if (list) {
        const kept = list.slice(...range(list.length, start, stop));
        if (kept.length === 0) this.data.delete(key);
        else list.splice(0, list.length, ...kept);
      }
      return 'OK';
    },
    lrange: (key: string, start: number, stop: number): string[] => {
      const list = this.listAt(key) ?? [];
      return list.slice(...range(list.length, start, stop));
    },
  };

  get = this.direct('get');
  set = this.direct('set');
  del = this.direct('del');
  exists = this.direct('exists');
  incr = this.direct('incr');
  decr = this.direct('decr');
  expire = this.direct('expire');
  pexpire = this.direct('pexpire');
  ttl = this.direct('ttl');
  pttl = this.direct('pttl');
  keys = this.direct('keys');
  lpush = this.direct('lpush');
  ltrim = this.direct('ltrim');
  lrange = this.direct('lrange');

  /** EVAL: runs (and caches, as Redis does) one of the token-guarded scripts. */
  eval(source: string, keyCount: number, ...keysAndArgs: (string | number)[]): Promise<number> {
    this.roundTrips += 1;
    this.scripts.set(createHash('sha1').update(source).digest('hex'), source);
    return this.runScript(source, keyCount, keysAndArgs.map(String));
  }

  /** EVALSHA: NOSCRIPT until the script was sent once with EVAL (as after a Redis restart). */
  evalsha(sha: string, keyCount: number, ...keysAndArgs: (string | number)[]): Promise<number> {
    this.roundTrips += 1;
    const source = this.scripts.get(sha);
    if (source === undefined) return Promise.reject(new Error('NOSCRIPT No matching script.'));
    return this.runScript(source, keyCount, keysAndArgs.map(String));
  }

  /** MULTI … EXEC: the queued commands run together at exec, each answering `[error, reply]`. */
  multi() {
    return this.queue();
  }

  /** A pipeline: here the same as MULTI (nothing else runs between its commands). */
  pipeline() {
    return this.queue();
  }

  private queue() {
    const queued: (() => Reply)[] = [];
    const chain = {} as { [name in keyof FakeRedis['commands']]: (...args: unknown[]) => typeof chain } & {
      exec: () => Promise<[Error | null, Reply][]>;
    };
    for (const name of Object.keys(this.commands) as (keyof FakeRedis['commands'])[]) {
      chain[name] = (...args: unknown[]) => {
        const command = this.commands[name] as (...args: unknown[]) => Reply;
        queued.push(() => command(...args));
        return chain;
      };
    }
    chain.exec = () => {
      this.roundTrips += 1;
      return Promise.resolve(
        queued.map((run): [Error | null, Reply] => {
          try {
            return [null, run()];
          } catch (error) {
            return [error as Error, null];
          }
        }),
      );
    };
    return chain;
  }

  private direct<Name extends keyof FakeRedis['commands']>(name: Name) {
    return (
      ...args: Parameters<FakeRedis['commands'][Name]>
    ): Promise<ReturnType<FakeRedis['commands'][Name]>> => {
      this.roundTrips += 1;
      try {
        const command = this.commands[name] as (
          ...args: unknown[]
        ) => ReturnType<FakeRedis['commands'][Name]>;
        return Promise.resolve(command(...args));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
  }

  private runScript(source: string, keyCount: number, keysAndArgs: string[]): Promise<number> {
    const match = TOKEN_GUARDED.exec(source);
    if (!match || keyCount !== 1)
      return Promise.reject(
        new Error(`the fake runs only RedisLock's token-guarded scripts, not: ${source}`),
      );
    const [key, token, ttlMs] = keysAndArgs;
    if (this.commands.get(key) !== token) return Promise.resolve(0);
    return Promise.resolve(
      match[1] === 'DEL' ? this.commands.del(key) : this.commands.pexpire(key, Number(ttlMs)),
    );
  }

  /** The entry, or undefined when absent or expired (an expired key is removed, as Redis does on access). */
  private live(key: string): Entry | undefined {
    const entry = this.data.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) this.data.delete(key);
    return this.data.get(key);
  }

  private stringAt(key: string): string | undefined {
    const value = this.live(key)?.value;
    if (Array.isArray(value)) throw wrongType();
    return value;
  }

  private listAt(key: string): string[] | undefined {
    const value = this.live(key)?.value;
    if (value !== undefined && !Array.isArray(value)) throw wrongType();
    return value;
  }

  private incrBy(key: string, by: number): number {
    const current = this.stringAt(key) ?? '0';
    if (!/^-?\d+$/.test(current)) throw new Error('ERR value is not an integer or out of range');
    const next = Number(current) + by;
    const entry = this.live(key);
    if (entry) entry.value = String(next);
    else this.data.set(key, { value: String(next) });
    return next;
  }

  private setExpiry(key: string, ms: number, mode?: 'NX'): number {
    if (mode !== undefined && mode !== 'NX') throw new Error(`EXPIRE ${String(mode)} is not in the fake`);
    const entry = this.live(key);
    if (!entry || (mode === 'NX' && entry.expiresAt !== undefined)) return 0;
    entry.expiresAt = this.now() + ms;
    return 1;
  }
}

/** LRANGE/LTRIM indexes (negative from the end, stop inclusive) as `slice` arguments. */
function range(length: number, start: number, stop: number): [number, number] {
  const from = start < 0 ? Math.max(length + start, 0) : start;
  const to = stop < 0 ? length + stop : Math.min(stop, length - 1);
  return [from, Math.max(to + 1, from)];
}

function wrongType(): Error {
  return new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
}
