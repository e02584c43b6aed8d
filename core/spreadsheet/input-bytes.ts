import { SpreadsheetError } from "./spreadsheet-error";

function tooLarge(maxBytes: number) {
  const mb = (maxBytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
  return new SpreadsheetError("spreadsheet.too_large", `The file is larger than ${mb} MB.`, { maxBytes });
}

/**
 * The whole upload in one buffer: an .xlsx cannot be opened without its central directory at the end, and
 * the file is bounded by maxBytes. Stops reading the moment the limit is passed.
 */
export async function collectBytes(
  bytes: Uint8Array | AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<Buffer> {
  if (bytes instanceof Uint8Array) {
    if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
