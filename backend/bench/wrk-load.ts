import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Load from `wrk` (Debian package `wrk`): a C load generator with a LuaJIT hook per request, which takes far less
 * CPU per request than a Node generator sharing the service's cores. One run either GETs a fixed path or POSTs
 * bodies made from a template in which `X<NAME>X` tokens are replaced per request (every body distinct); the
 * ids the service answers with a 2xx are collected, one file per wrk thread.
 */

export interface WrkRun {
  url: string;
  path: string;
  connections: number;
  seconds: number;
  threads?: number;
  /** POST this template; without it, GET. */
  post?: { headers: Record<string, string>; template: string; firstId: number; idsPerThread: number };
}

export interface WrkResult {
  /** 2xx answers. */
  ok: number;
  /** Answers ≥ 400 and socket errors / timeouts. */
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Milliseconds, to 0.01. */
  p50: number;
  p99: number;
  seconds: number;
  /** The `id` of every 2xx answer (POST runs). */
  ids: string[];
}

/** Throws a clear message when wrk is not installed. */
export function requireWrk(): void {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error)
    throw new Error(
      'this benchmark drives its load with wrk, which is not installed: `apt-get install -y wrk` (Debian/Ubuntu)',
    );
}

export async function wrk(run: WrkRun): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  try {
    const script = join(dir, 'load.lua');
    writeFileSync(script, luaScript(run));
    const threads = run.threads ?? Number(process.env.BENCH_WRK_THREADS ?? 2);
    const args = [
      `-t${threads}`,
      `-c${Math.max(run.connections, threads)}`,
      `-d${run.seconds}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      `${run.url}${run.path}`,
      '--',
      join(dir, 'ids'),
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}:\n${text}`)),
      );
    });
    const line = output.split('\n').find((l) => l.startsWith('WRKJSON '));
    if (!line) throw new Error(`wrk printed no summary:\n${output}`);
    const summary = JSON.parse(line.slice('WRKJSON '.length)) as {
      ok: number;
      status: number;
      connect: number;
      read: number;
      write: number;
      timeout: number;
      p50: number;
      p99: number;
      micros: number;
    };
    const ids = readdirSync(dir)
      .filter((file) => file.startsWith('ids.'))
      .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean));
    return {
      ok: summary.ok,
      non2xx: summary.status,
      errors: summary.connect + summary.read + summary.write,
      timeouts: summary.timeout,
      p50: Math.round(summary.p50 / 10) / 100,
      p99: Math.round(summary.p99 / 10) / 100,
      seconds: summary.micros / 1e6,
      ids,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Lua hooks: per-thread distinct ids, the 2xx count and ids, and a one-line JSON summary from `done`. */
function luaScript(run: WrkRun): string {
  const post = run.post;
  const head = post
    ? `local template = ${luaString(post.template)}
local headers = {${Object.entries(post.headers)
        .map(([name, value]) => `[${luaString(name)}] = ${luaString(value)}`)
        .join(', ')}}
local firstId, idsPerThread = ${post.firstId}, ${post.idsPerThread}`
    : '';
  return `${head}
local threads, created = {}, 0
function setup(thread)
  thread:set("index", created)
  created = created + 1
  table.insert(threads, thread)
end
local counter, out = 0, nil
ok = 0
function init(args)
  ${post ? 'out = io.open(args[1] .. "." .. index, "w")' : ''}
end
${
  post
    ? `function request()
  counter = counter + 1
  if counter >= idsPerThread then error("more requests than ids per thread") end
  local id = firstId + index * idsPerThread + counter
  local values = { LEAD = string.format("%d", id), CONTACT = string.format("%d", id + 50000000),
    PHONE = string.format("%07d", id % 10000000) }
  return wrk.format("POST", nil, headers, (template:gsub("X(%u+)X", values)))
end`
    : ''
}
function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    ${post ? 'local id = body:match(\'"id":"([^"]+)"\') if id then out:write(id, "\\n") end' : ''}
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("ok") end
  local e = summary.errors
  io.write(string.format('WRKJSON {"ok":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50":%d,"p99":%d,"micros":%d}\\n',
    total, e.status, e.connect, e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(99), summary.duration))
end
`;
}

function luaString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}
