/**
 * The files of a .zip, read in the browser: the central directory gives each entry's real sizes (the local
 * headers may leave them to a trailing descriptor), entries are stored or deflated (`deflate-raw`).
 * Folders, macOS resource forks and other methods are skipped; ZIP64 archives are not read.
 */
export async function unzip(archive: Blob): Promise<File[]> {
  const bytes = new Uint8Array(await archive.arrayBuffer());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error("zip.invalid");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files: File[] = [];
  for (let entry = 0; entry < count; entry++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new Error("zip.invalid");
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    const base = name.split("/").pop() ?? "";
    if (!base || name.startsWith("__MACOSX/") || base.startsWith("._")) continue;
    if (method !== 0 && method !== 8) continue;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.slice(start, start + compressed);
    const content =
      method === 0
        ? data
        : await new Response(
            new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw")),
          ).arrayBuffer();
    files.push(new File([content], base, { type: /\.pdf$/i.test(base) ? "application/pdf" : "" }));
  }
  return files;
}
