import { interceptLocalhostDns } from "fauxqs";
import { announcementsBench } from "./announcements";
import { coldstartBench } from "./coldstart";
import { contactsBench } from "./contacts";
import { dispatchBench } from "./dispatch";
import { importBench } from "./import";
import { queueBench } from "./queue";
import { recruitmentBench } from "./recruitment";
import { remindersBench } from "./reminders";
import { surveysBench } from "./surveys";
import { vaultBench } from "./vault";

/** `npm run bench [-- name…]`: every benchmark, or the named ones, against the local cloud. */
const benches: Record<string, () => Promise<void>> = {
  queue: () => queueBench(),
  import: () => importBench(),
  dispatch: () => dispatchBench(),
  coldstart: () => coldstartBench(),
  vault: () => vaultBench(),
  contacts: () => contactsBench(),
  reminders: () => remindersBench(),
  recruitment: () => recruitmentBench(),
  announcements: () => announcementsBench(),
  surveys: () => surveysBench(),
};

interceptLocalhostDns();
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${Object.keys(benches).join(", ")}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) await benches[name]!();
process.exit(0);
