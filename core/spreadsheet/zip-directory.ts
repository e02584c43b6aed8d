import { createInflateRaw } from "node:zlib";
import { maxCompressionRatio, maxZipEntries, type ResolvedLimits, ratioCheckFrom } from "./limits";
import { passwordProtected, unreadable, zipBomb } from "./spreadsheet-error";

export type ZipEntry = {
  /** As stored, with "/" separators and no leading slash. */
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the compressed bytes in the file. */
  dataStart: number;
};

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

const corrupt = () => unreadable("corrupt_zip");

function safeNumber(value: bigint, bound: number): number {
  if (value > BigInt(bound)) throw corrupt();
  return Number(value);
}

function findEndOfDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let offset = zip.length - 22; offset >= lowest; offset--) {
    if (zip.readUInt32LE(offset) === EOCD) return offset;
  }
  throw corrupt();
}

function directoryBounds(zip: Buffer): { count: number; offset: number } {
  const end = findEndOfDirectory(zip);
  let count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === MAX32) {
    const locator = end - 20;
    if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR) throw corrupt();
    const record = safeNumber(zip.readBigUInt64LE(locator + 8), zip.length - 56);
    if (zip.readUInt32LE(record) !== ZIP64_EOCD) throw corrupt();
    count = safeNumber(zip.readBigUInt64LE(record + 32), Number.MAX_SAFE_INTEGER);
    offset = safeNumber(zip.readBigUInt64LE(record + 48), zip.length);
  }
  return { count, offset };
}

/** Sizes that did not fit in 32 bits live in the ZIP64 extra field, in this order. */
function zip64Sizes(extra: Buffer, sizes: { size: number; compressedSize: number; localOffset: number }) {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + length) throw corrupt();
        const value = safeNumber(extra.readBigUInt64LE(field), Number.MAX_SAFE_INTEGER);
        field += 8;
        return value;
      };
      if (sizes.size === MAX32) sizes.size = next();
      if (sizes.compressedSize === MAX32) sizes.compressedSize = next();
      if (sizes.localOffset === MAX32) sizes.localOffset = next();
      return;
    }
    at += 4 + length;
  }
}

/**
 * The entries of a zip read from its central directory, without inflating anything. Refuses encrypted
 * entries, parts declaring more than the uncompressed budget in total, and parts compressed beyond what
 * real spreadsheets reach.
 */
export function readZipDirectory(zip: Buffer, limits: ResolvedLimits): ZipEntry[] {
  try {
    return readEntries(zip, limits);
  } catch (error) {
    // Offsets pointing outside the buffer surface as RangeError from the Buffer readers.
    if (error instanceof RangeError) throw corrupt();
    throw error;
  }
}

function readEntries(zip: Buffer, limits: ResolvedLimits): ZipEntry[] {
  const { count, offset } = directoryBounds(zip);
  if (count > maxZipEntries) throw zipBomb("too_many_entries");
  const entries: ZipEntry[] = [];
  let declared = 0;
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw corrupt();
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const sizes = {
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    };
    const nameStart = at + 46;
    const name = zip.toString("utf8", nameStart, nameStart + nameLength);
    zip64Sizes(zip.subarray(nameStart + nameLength, nameStart + nameLength + extraLength), sizes);
    at = nameStart + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw passwordProtected();
    declared += sizes.size;
    if (declared > limits.maxUncompressedBytes) throw zipBomb("declared_size");
    if (sizes.size >= ratioCheckFrom && sizes.size > sizes.compressedSize * maxCompressionRatio) {
      throw zipBomb("compression_ratio");
    }

    const local = sizes.localOffset;
    if (zip.readUInt32LE(local) !== LOCAL) throw corrupt();
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (dataStart + sizes.compressedSize > offset) throw corrupt();
    entries.push({
      name: name.replace(/\\/g, "/").replace(/^\/+/, ""),
      method,
      crc,
      compressedSize: sizes.compressedSize,
      size: sizes.size,
      dataStart,
    });
  }
  return entries;
}

export function compressedBytes(zip: Buffer, entry: ZipEntry): Buffer {
  return zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
}

/**
 * Inflates one entry chunk by chunk, counting: more output than the directory declared is a zip bomb lying
 * about its size, and we stop there. Keeps the bytes only when asked (small XML parts we parse ourselves);
 * `inspect` sees each chunk and may throw to stop.
 */
export async function inflateEntry(
  zip: Buffer,
  entry: ZipEntry,
  keep: boolean,
  inspect?: (chunk: Buffer) => void,
): Promise<Buffer | undefined> {
  const data = compressedBytes(zip, entry);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw corrupt();
    inspect?.(data);
    return keep ? data : undefined;
  }
  if (entry.method !== 8) throw unreadable("compression_method");
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
    const chunks: Buffer[] = [];
    let produced = 0;
    inflater.on("data", (chunk: Buffer) => {
      produced += chunk.length;
      try {
        if (produced > entry.size) throw zipBomb("size_exceeds_declared");
        inspect?.(chunk);
      } catch (error) {
        inflater.destroy();
        reject(error);
        return;
      }
      if (keep) chunks.push(chunk);
    });
    inflater.on("error", () => reject(corrupt()));
    inflater.on("end", () => {
      if (produced !== entry.size) reject(corrupt());
      else resolve(keep ? Buffer.concat(chunks, produced) : undefined);
    });
    inflater.end(data);
  });
}

/** A local file header for an entry we pass on unchanged apart from its name. */
export function localHeader(
  name: string,
  entry: Pick<ZipEntry, "method" | "crc" | "compressedSize" | "size">,
): Buffer {
  const encodedName = Buffer.from(name, "utf8");
  const header = Buffer.alloc(30 + encodedName.length);
  header.writeUInt32LE(LOCAL, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x0800, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressedSize, 18);
  header.writeUInt32LE(entry.size, 22);
  header.writeUInt16LE(encodedName.length, 26);
  encodedName.copy(header, 30);
  return header;
}

/** An empty end-of-central-directory record: tells a streaming unzipper the archive is over. */
export function endOfArchive(): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(EOCD, 0);
  return record;
}
