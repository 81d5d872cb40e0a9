import { connectDb } from './contacts-bench-support';

/**
 * Sizes the database server's InnoDB buffer pool for a benchmark, as a production MySQL for this service is sized
 * (docker-compose.yml: MYSQL_BUFFER_POOL, about 1 GB per million mirrored contacts): MariaDB's default of 128 MB
 * holds a tenth of a 1,000,000-contact mirror, and every lookup then waits on page reads. `BENCH_DB_BUFFER_POOL`
 * (bytes or 512M / 2G; default 2G, `keep` leaves the server alone). Answers a function that restores the old size.
 */
export async function sizeBufferPool(): Promise<{ bytes: number; restore(): Promise<void> }> {
  const wanted = parseSize(process.env.BENCH_DB_BUFFER_POOL ?? '2G');
  const connection = await connectDb();
  try {
    const [rows] = (await connection.query('SELECT @@innodb_buffer_pool_size AS size')) as unknown as [
      { size: number | string }[],
    ];
    const before = Number(rows[0]?.size ?? 0);
    if (wanted === null || wanted <= before) return { bytes: before, restore: () => Promise.resolve() };
    await connection.query(`SET GLOBAL innodb_buffer_pool_size = ${wanted}`);
    return {
      bytes: wanted,
      restore: async () => {
        const again = await connectDb();
        try {
          await again.query(`SET GLOBAL innodb_buffer_pool_size = ${before}`);
        } finally {
          await again.end();
        }
      },
    };
  } finally {
    await connection.end();
  }
}

function parseSize(text: string): number | null {
  if (text === 'keep') return null;
  const match = /^(\d+)([MG]?)$/i.exec(text.trim());
  if (!match) throw new Error(`BENCH_DB_BUFFER_POOL: not a size: ${text}`);
  const unit = match[2].toUpperCase();
  return Number(match[1]) * (unit === 'G' ? 1024 ** 3 : unit === 'M' ? 1024 ** 2 : 1);
}

/**
 * Reads each table whole (CHECKSUM TABLE scans its clustered index, rows included), so its pages are in the buffer pool as on a
 * server that has been answering for a while: the first minutes after a bulk insert and a pool resize otherwise
 * measure the disk, not the service.
 */
export async function warmTables(database: string, tables: string[]): Promise<void> {
  const connection = await connectDb(database);
  try {
    for (const table of tables) await connection.query(`CHECKSUM TABLE \`${table}\``);
  } finally {
    await connection.end();
  }
}
