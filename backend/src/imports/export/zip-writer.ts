import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * A zip archive written as a stream: each entry is deflated as its content arrives and followed by a data
 * descriptor (sizes and CRC known only at its end), then the central directory. Memory stays bounded whatever the
 * entry's size. No ZIP64: an entry or the archive must stay under 4 GB (an export of 1,000,000 rows is far below).
 */
export class ZipStreamWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  /** The bytes of one entry: local header, deflated content, data descriptor. */
  async *entry(
    name: string,
    content: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  ): AsyncGenerator<Buffer> {
    const nameBytes = Buffer.from(name, 'utf8');
    const localOffset = this.offset;
    const { time, date } = dosDateTime(new Date());
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    header.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    header.writeUInt16LE(nameBytes.length, 26);
    yield* this.emit(Buffer.concat([header, nameBytes]));

    let crc = 0;
    let size = 0;
    let compressed = 0;
    const deflate = createDeflateRaw({ level: 6 });
    const ready: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => ready.push(chunk));
    const ended = once(deflate, 'end');
    for await (const part of content) {
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      if (bytes.length === 0) continue;
      crc = crc32(bytes, crc);
      size += bytes.length;
      if (!deflate.write(bytes)) await once(deflate, 'drain');
      while (ready.length > 0) {
        const chunk = ready.shift()!;
        compressed += chunk.length;
        yield* this.emit(chunk);
      }
    }
    deflate.end();
    await ended;
    for (const chunk of ready.splice(0)) {
      compressed += chunk.length;
      yield* this.emit(chunk);
    }
    if (size > 0xfffffffe || this.offset > 0xfffffffe) throw new Error('The export is larger than 4 GB');

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    yield* this.emit(descriptor);

    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0808, 8);
    record.writeUInt16LE(8, 10);
    record.writeUInt16LE(time, 12);
    record.writeUInt16LE(date, 14);
    record.writeUInt32LE(crc >>> 0, 16);
    record.writeUInt32LE(compressed, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(nameBytes.length, 28);
    record.writeUInt32LE(localOffset, 42);
    this.central.push(Buffer.concat([record, nameBytes]));
    this.count += 1;
  }

  /** The central directory and its end record: the last bytes of the archive. */
  *finish(): Generator<Buffer> {
    const start = this.offset;
    const directory = Buffer.concat(this.central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    this.offset += directory.length + end.length;
    yield directory;
    yield end;
  }

  private *emit(bytes: Buffer): Generator<Buffer> {
    this.offset += bytes.length;
    yield bytes;
  }
}

function dosDateTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}
