import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync } from "node:zlib";
import { build } from "esbuild";

/**
 * `npm run build:extension`: the browser extension (web/extension) as dist-extension/unpacked, to load
 * with « Charger l'extension non empaquetée », and dist-extension/relais-extension.zip for a store.
 * RELAIS_CONSOLE_URL (default http://localhost:3000) is the console the extension talks to: its only
 * host permission.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "web/extension");

export async function buildExtension(consoleUrl = process.env.RELAIS_CONSOLE_URL ?? "http://localhost:3000") {
  const origin = new URL(consoleUrl).origin;
  const out = join(root, "dist-extension");
  const unpacked = join(out, "unpacked");
  await rm(out, { recursive: true, force: true });
  await mkdir(unpacked, { recursive: true });
  await build({
    entryPoints: ["content", "background", "panel"].map((name) => join(source, "src", `${name}.ts`)),
    outdir: unpacked,
    bundle: true,
    format: "iife",
    target: "chrome120",
    minify: true,
    legalComments: "none",
    define: { __CONSOLE_URL__: JSON.stringify(origin) },
    logLevel: "warning",
  });
  const manifest = (await readFile(join(source, "manifest.json"), "utf8")).replace(
    "__CONSOLE_ORIGIN__",
    origin,
  );
  await writeFile(join(unpacked, "manifest.json"), manifest);
  for (const file of ["panel.html", "panel.css", "_locales"])
    await cp(join(source, file), join(unpacked, file), { recursive: true });
  const zip = join(out, "relais-extension.zip");
  await writeFile(zip, await zipOf(unpacked));
  return { unpacked, zip, origin };
}

async function filesOf(dir: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A zip of the folder's files, deflated: local headers, then the central directory (APPNOTE 4.3). */
async function zipOf(dir: string) {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of await filesOf(dir)) {
    const name = Buffer.from(relative(dir, file).split("\\").join("/"));
    const data = await readFile(file);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time and date: left at zero, so a build is reproducible
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildExtension();
  console.log(
    `Extension for ${built.origin}: ${relative(root, built.unpacked)} and ${relative(root, built.zip)}`,
  );
}
