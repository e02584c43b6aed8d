const LT = 0x3c;
const GT = 0x3e;

const isNameEnd = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === GT || byte === 0x2f;

/** Column number of the first r="AB12" attribute between from and to, 0 when there is none. */
function referencedColumn(data: Buffer, from: number, to: number): number {
  for (let index = from; index + 3 < to; index++) {
    const quote = data[index + 3];
    if (
      data[index + 1] === 0x72 &&
      data[index + 2] === 0x3d &&
      (quote === 0x22 || quote === 0x27) &&
      isNameEnd(data[index])
    ) {
      let column = 0;
      for (let letter = index + 4; letter < to; letter++) {
        const byte = data[letter]! | 0x20;
        if (byte < 0x61 || byte > 0x7a) break;
        column = column * 26 + (byte - 0x60);
        if (column > 16_384) break;
      }
      return column;
    }
  }
  return 0;
}

/**
 * Measures what exceljs will spend on a sheet before it reads it: exceljs keeps each row's cells in an
 * array as long as the row's last column, so a tiny file with one cell at column XFD on every row costs
 * 16,384 slots a row and minutes of CPU. Fed the sheet XML chunk by chunk while we inflate it anyway.
 */
export class CellSpanMeter {
  slots = 0;
  private rowEnd = 0;
  private carry: Buffer | undefined;

  feed(chunk: Buffer): void {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    // A tag cut by the chunk boundary is kept for the next chunk.
    const open = data.lastIndexOf(LT);
    const end = open > data.lastIndexOf(GT) ? open : data.length;
    this.scan(data, end);
    // Real tags are short; a runaway one is dropped rather than carried forever.
    this.carry =
      end < data.length && data.length - end < 64 * 1024 ? Buffer.from(data.subarray(end)) : undefined;
  }

  finish(): number {
    this.slots += this.rowEnd;
    this.rowEnd = 0;
    return this.slots;
  }

  private scan(data: Buffer, end: number): void {
    for (let at = data.indexOf(LT); at !== -1 && at < end; at = data.indexOf(LT, at + 1)) {
      const next = data[at + 1];
      // exceljs matches unprefixed <row> and <c> only, and so do we.
      if (next === 0x72 && data[at + 2] === 0x6f && data[at + 3] === 0x77 && isNameEnd(data[at + 4])) {
        this.slots += this.rowEnd;
        this.rowEnd = 0;
      } else if (next === 0x63 && isNameEnd(data[at + 2])) {
        const close = data.indexOf(GT, at);
        const column = referencedColumn(data, at + 1, close === -1 || close > end ? end : close);
        if (column > this.rowEnd) this.rowEnd = column;
      }
    }
  }
}
