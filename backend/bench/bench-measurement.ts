import { readdirSync, readFileSync } from 'node:fs';
import type { Connection } from 'mysql2/promise';

/** What a benchmark measures besides its load generator: CPU per event of processes, rates, counts in the database. */

/**
 * CPU time used by processes (from /proc, Linux) and by this process (the load generator) between its creation
 * and `msPerEvent`: unlike throughput, CPU per event does not depend on what else runs on the machine.
 */
export class CpuMeter {
  private readonly start: Record<string, number>;
  private readonly generatorStart = process.cpuUsage();

  constructor(private readonly groups: Record<string, number[]>) {
    this.start = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, cpuMsOf(pids)]));
  }

  msPerEvent(events: number): Record<string, string> {
    const result: Record<string, string> = {};
    let total = 0;
    for (const [name, pids] of Object.entries(this.groups)) {
      const ms = (cpuMsOf(pids) - this.start[name]) / Math.max(1, events);
      total += ms;
      result[name] = ms.toFixed(2);
    }
    const generator = process.cpuUsage(this.generatorStart);
    const generatorMs = (generator.user + generator.system) / 1000 / Math.max(1, events);
    result.generator = generatorMs.toFixed(2);
    result.total = (total + generatorMs).toFixed(2);
    return result;
  }
}

/** utime + stime of the processes, in milliseconds (clock ticks of 10 ms). */
export function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not Linux, or the process is gone
    }
  }
  return ticks * 10;
}

/** Pids of processes with one of `names` (e.g. the local MariaDB and Redis servers). */
export function pidsOf(names: string[]): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return names.includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** The highest rate over any `seconds`-long window of the samples. */
export function bestWindow(samples: { at: number; done: number }[], seconds: number): number {
  let best = 0;
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const span = (samples[j].at - samples[i].at) / 1000;
      if (span >= seconds) {
        best = Math.max(best, (samples[j].done - samples[i].done) / span);
        break;
      }
    }
  }
  return best;
}

/** How many of `ids` are done, asked in chunks. */
export async function countDone(sql: Connection, ids: string[]): Promise<number> {
  let done = 0;
  for (let offset = 0; offset < ids.length; offset += 5_000) {
    const chunk = ids.slice(offset, offset + 5_000);
    done += await count(
      sql,
      `SELECT COUNT(*) FROM inbox_events WHERE status = 'done' AND id IN (${chunk.map((id) => sql.escape(id)).join(', ')})`,
    );
  }
  return done;
}

export async function count(sql: Connection, query: string): Promise<number> {
  const [rows] = (await sql.query(query)) as unknown as [Record<string, unknown>[]];
  return Number(Object.values(rows[0])[0]);
}
