import { inflateRawSync } from 'node:zlib';

/**
 * Caps that make an .xlsx (a zip) safe to hand to SheetJS, which inflates every part into memory. Checked on the
 * central directory first (cheap: the sizes the file declares), then by inflating each entry with the declared
 * size as the hard output cap, so a file that lies about its sizes is refused too.
 */
export interface ZipLimits {
  /** Entries in the archive. */
  maxEntries: number;
  /** Sum of the uncompressed sizes of all entries, in bytes. */
  maxTotalUncompressed: number;
  /** Uncompressed / compressed size of one entry (checked for entries above `ratioFloorBytes`). */
  maxRatio: number;
  /** Entries smaller than this uncompressed are not ratio-checked (tiny XML parts compress very well). */
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000,
  maxTotalUncompressed: 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

/** Why a zip is refused; the message is shown to the uploader (plain English). */
export class UnsafeZipError extends Error {
  constructor(
    readonly reason: 'not_a_zip' | 'too_many_entries' | 'too_large_uncompressed' | 'ratio' | 'sizes_lie',
    message: string,
  ) {
    super(message);
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** The central directory's entries, checked against the limits (no inflation yet). */
export function readCentralDirectory(zip: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryInfo[] {
  const eocd = findEndOfCentralDirectory(zip);
  const declared = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (declared === 0xffff || cdOffset === 0xffffffff)
    throw new UnsafeZipError(
      'too_large_uncompressed',
      'The file uses ZIP64, which no ordinary spreadsheet needs.',
    );
  if (declared > limits.maxEntries) throw tooManyEntries(limits);
  if (cdOffset + cdSize > zip.length) throw notAZip();
  const entries: ZipEntryInfo[] = [];
  let total = 0;
  let at = cdOffset;
  while (at + 46 <= cdOffset + cdSize && zip.readUInt32LE(at) === CENTRAL_SIGNATURE) {
    const entry: ZipEntryInfo = {
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      uncompressedSize: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28)),
    };
    entries.push(entry);
    if (entries.length > limits.maxEntries) throw tooManyEntries(limits);
    total += entry.uncompressedSize;
    if (total > limits.maxTotalUncompressed) throw tooLarge(limits);
    checkRatio(entry, limits);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  if (entries.length !== declared) throw notAZip();
  return entries;
}

/**
 * Refuses a zip bomb: the central directory within the limits, then every entry inflated with its declared size
 * as the cap (a part that inflates to more than it declares is refused). Throws `UnsafeZipError`.
 */
export function assertSafeZip(zip: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  for (const entry of readCentralDirectory(zip, limits)) {
    const at = entry.localHeaderOffset;
    if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_SIGNATURE) throw notAZip();
    const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    const end = start + entry.compressedSize;
    if (end > zip.length) throw notAZip();
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) throw sizesLie();
      continue;
    }
    if (entry.method !== 8) throw notAZip();
    let inflated: Buffer;
    try {
      // one byte more than declared: a part that inflates past its declared size fails here, bounded
      inflated = inflateRawSync(zip.subarray(start, end), { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw sizesLie();
      throw notAZip();
    }
    if (inflated.length !== entry.uncompressedSize) throw sizesLie();
  }
}

function findEndOfCentralDirectory(zip: Buffer): number {
  if (zip.length < EOCD_MIN) throw notAZip();
  const stop = Math.max(0, zip.length - EOCD_MIN - MAX_COMMENT);
  for (let at = zip.length - EOCD_MIN; at >= stop; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw notAZip();
}

function checkRatio(entry: ZipEntryInfo, limits: ZipLimits): void {
  if (entry.uncompressedSize < limits.ratioFloorBytes) return;
  if (entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio)
    throw new UnsafeZipError(
      'ratio',
      `The file looks like a zip bomb: a part of it expands more than ${limits.maxRatio} times.`,
    );
}

const notAZip = () =>
  new UnsafeZipError(
    'not_a_zip',
    'The file is damaged or is not an .xlsx workbook (its zip structure is broken).',
  );
const sizesLie = () =>
  new UnsafeZipError(
    'sizes_lie',
    'The file looks like a zip bomb: its parts expand to more than they declare.',
  );
const tooManyEntries = (limits: ZipLimits) =>
  new UnsafeZipError(
    'too_many_entries',
    `The file looks like a zip bomb: it holds more than ${limits.maxEntries} parts.`,
  );
const tooLarge = (limits: ZipLimits) =>
  new UnsafeZipError(
    'too_large_uncompressed',
    `The file looks like a zip bomb: unpacked it would take more than ${Math.round(limits.maxTotalUncompressed / 1024 / 1024)} MB.`,
  );
