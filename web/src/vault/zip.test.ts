import { describe, expect, it } from "vitest";
import { zipOf } from "../../e2e/zip-fixture";
import { unzip } from "./zip";

describe("unzip", () => {
  it("reads stored and deflated entries, by their base name, and skips folders and macOS forks", async () => {
    const archive = zipOf([
      { name: "paie/A123_bulletin.pdf", text: "%PDF-1.4 deflated ".repeat(20), deflate: true },
      { name: "B456_bulletin.pdf", text: "%PDF-1.4 stored", deflate: false },
      { name: "paie/", text: "", deflate: false },
      { name: "__MACOSX/paie/._A123_bulletin.pdf", text: "fork", deflate: false },
    ]);
    const files = await unzip(new Blob([new Uint8Array(archive)]));
    expect(files.map((file) => file.name)).toEqual(["A123_bulletin.pdf", "B456_bulletin.pdf"]);
    expect(await files[0]!.text()).toBe("%PDF-1.4 deflated ".repeat(20));
    expect(await files[1]!.text()).toBe("%PDF-1.4 stored");
    expect(files[0]!.type).toBe("application/pdf");
  });

  it("refuses what is not a zip", async () => {
    await expect(unzip(new Blob(["not a zip at all, just some text"]))).rejects.toThrow("zip.invalid");
  });
});
