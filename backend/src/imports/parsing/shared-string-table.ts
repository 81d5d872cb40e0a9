/**
 * A workbook's shared strings kept compactly: their UTF-8 bytes one after another in one growing buffer, plus the
 * offset where each one starts. A sheet read row by row needs any of them at any time; kept as JS strings, a
 * million short texts cost ~60 MB of heap, here about their byte size (outside the JS heap).
 */
export class SharedStringTable {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private starts = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    // one slot more than the count: the end of the last string
    if (this.count + 2 > this.starts.length) {
      const grown = new Uint32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count] = this.used;
    this.used += this.bytes.write(text, this.used, 'utf8');
    this.count += 1;
    this.starts[this.count] = this.used;
  }

  /** The string at `index`, or null when the workbook has none there. */
  get(index: number): string | null {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return null;
    return this.bytes.toString('utf8', this.starts[index], this.starts[index + 1]);
  }
}
