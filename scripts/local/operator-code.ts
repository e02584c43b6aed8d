import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Totp } from "../../core/operator";
import { defaultDataDir } from "./runtime";

/**
 * `npm run operator:code`: the local operator's current TOTP code, from the secret `npm start` wrote in
 * the local data directory. Local only: production operators use an authenticator app.
 */
const file = join(process.env.LOCAL_DATA_DIR ?? defaultDataDir, "operator.json");
const saved = JSON.parse(await readFile(file, "utf8").catch(() => "null")) as {
  email: string;
  secret: string;
} | null;
if (!saved) {
  console.error(`No local operator in ${file}: run \`npm start\` first.`);
  process.exit(1);
}
const secondsLeft = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`${Totp.codeOf(saved.secret)}  (${saved.email}, valid ${secondsLeft} s more, and 30 s after)`);
