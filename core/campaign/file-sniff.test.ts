import { describe, expect, it } from "vitest";
import { runnableName, sniff } from "./file-sniff";

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(
    parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "latin1")] : part)),
  );

describe("sniff", () => {
  it("accepts each kind whose first bytes match", () => {
    expect(sniff(bytes("%PDF-1.7\n"), "application/pdf")).toBe("ok");
    expect(sniff(bytes([0x89], "PNG\r\n\x1a\n"), "image/png")).toBe("ok");
    expect(sniff(bytes([0xff, 0xd8, 0xff, 0xe0]), "image/jpeg")).toBe("ok");
    expect(sniff(bytes("GIF89a"), "image/gif")).toBe("ok");
    expect(sniff(bytes("RIFF\0\0\0\0WEBPVP8 "), "image/webp")).toBe("ok");
    expect(sniff(bytes("Nom;Prénom\r\nDurand;Léa\n"), "text/csv")).toBe("ok");
    expect(
      sniff(bytes("PK\x03\x04"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ).toBe("ok");
    expect(sniff(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), "application/vnd.ms-excel")).toBe(
      "ok",
    );
    const odt = "application/vnd.oasis.opendocument.text";
    expect(sniff(bytes("PK\x03\x04", "\0".repeat(26), `mimetype${odt}`), odt)).toBe("ok");
  });

  it("refuses Windows, Linux and macOS programs and scripts whatever the declared type", () => {
    expect(sniff(bytes("MZ\x90\0\x03\0"), "application/pdf")).toBe("executable");
    expect(sniff(bytes([0x7f], "ELF\x02"), "text/plain")).toBe("executable");
    expect(sniff(bytes([0xcf, 0xfa, 0xed, 0xfe]), "image/png")).toBe("executable");
    expect(sniff(bytes("#!/bin/sh\nrm -rf ~\n"), "text/plain")).toBe("executable");
  });

  it("refuses bytes of another type than declared", () => {
    expect(sniff(bytes([0x89], "PNG\r\n\x1a\n"), "application/pdf")).toBe("mismatch");
    expect(sniff(bytes("%PDF-1.4"), "image/jpeg")).toBe("mismatch");
    expect(
      sniff(
        bytes("PK\x03\x04", "\0".repeat(26), "[Content_Types].xml"),
        "application/vnd.oasis.opendocument.text",
      ),
    ).toBe("mismatch");
    expect(sniff(bytes("abc\0\x01\x02"), "text/plain")).toBe("mismatch");
    expect(sniff(bytes("%PDF-1.4"), "application/x-msdownload")).toBe("mismatch");
  });
});

describe("runnableName", () => {
  it("spots a program behind a double extension, whatever the case or trailing dots", () => {
    expect(runnableName("facture.pdf.exe")).toBe(true);
    expect(runnableName("Planning.PDF.Js")).toBe(true);
    expect(runnableName("lisez-moi.txt.vbs. ")).toBe(true);
    expect(runnableName("setup.msi")).toBe(true);
  });

  it("lets documents through, dots in the name included", () => {
    expect(runnableName("facture.exe.pdf")).toBe(false);
    expect(runnableName("Planning S48.pdf")).toBe(false);
    expect(runnableName("contrat")).toBe(false);
  });
});
