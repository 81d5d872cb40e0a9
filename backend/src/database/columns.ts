import { randomFillSync } from 'node:crypto';
import { CreateDateColumn, UpdateDateColumn, type ValueTransformer } from 'typeorm';

/**
 * JSON kept in a LONGTEXT column: MySQL's JSON type and MariaDB's JSON alias differ, LONGTEXT is the same on both.
 */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : value === null ? null : JSON.stringify(value)),
  from: (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : (value ?? null)),
};

/** Milliseconds stored as BIGINT come back from mysql2 as strings; keep them numbers in entities. */
export const bigintNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/** Random bytes for ids, drawn from the system source 4 KB at a time (one call per 256 ids, not one per id). */
const RANDOM_POOL = Buffer.alloc(4096);
let poolOffset = RANDOM_POOL.length;

/**
 * A time-ordered UUID (version 7): new rows land at the end of the primary-key index instead of at random
 * places, which keeps inserts into busy tables cheap.
 */
export function newId(): string {
  if (poolOffset + 16 > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    poolOffset = 0;
  }
  const bytes = Buffer.from(RANDOM_POOL.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Creation time in milliseconds precision; the default matches the precision, as MySQL 8 requires. */
export function CreatedAt(): PropertyDecorator {
  return CreateDateColumn({
    name: 'created_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
  });
}

/** Last change time in milliseconds precision, maintained by the database. */
export function UpdatedAt(): PropertyDecorator {
  return UpdateDateColumn({
    name: 'updated_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  });
}

/** A value that survives JSON.stringify/parse unchanged: what JSON columns hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
