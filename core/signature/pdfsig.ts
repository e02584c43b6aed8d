import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Tests only: what poppler's `pdfsig` (an implementation independent of ours) says of a PDF's
 * signatures. `valid` is true when every signature reads « Signature is Valid. »; an untrusted
 * self-signed certificate does not count against it (that is the certificate check, not the signature).
 */
export async function pdfsig(pdf: Uint8Array) {
  const dir = await mkdtemp(join(tmpdir(), "pdfsig-"));
  try {
    const path = join(dir, "document.pdf");
    await writeFile(path, pdf);
    const output = await new Promise<string>((resolve) =>
      execFile("/usr/bin/pdfsig", [path], (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`)),
    );
    const validations = [...output.matchAll(/Signature Validation: (.+)/g)].map((match) => match[1]!.trim());
    const subFilters = [...output.matchAll(/Signature Type: (.+)/g)].map((match) => match[1]!.trim());
    return {
      output,
      signatures: validations.length,
      valid: validations.length > 0 && validations.every((line) => line === "Signature is Valid."),
      subFilters,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
