import { build } from "vite";
import { defaultDataDir, root, startLocal } from "./runtime";

/** `npm start`: build the console, start everything, print where to go; Ctrl-C stops all of it. */
const port = Number(process.env.PORT ?? 3000);
const started = Date.now();

console.log("Building the console…");
await build({ configFile: `${root}/web/vite.config.ts`, logLevel: "warn" });

console.log("Starting the local AWS cloud (DynamoDB Local, SQS/SNS, S3, SES, SMS, Scheduler)…");
const local = await startLocal({
  dataDir: process.env.LOCAL_DATA_DIR ?? defaultDataDir,
  sesEvents: true,
  port,
  ports: {
    dynamodb: port + 1,
    fauxqs: port + 2,
    s3: port + 3,
    ses: port + 4,
    sms: port + 5,
    scheduler: port + 6,
  },
  log: (line) => console.log(line),
});

console.log(`
Relais is running (${((Date.now() - started) / 1000).toFixed(1)} s)

  Console          ${local.url}
  Login            company code ${local.login.companyCode} · ${local.login.email} · ${local.login.password}
  Operator console ${local.url}/operateur · ${local.operator.email} · ${local.operator.password}
  Operator TOTP    ${local.operator.uri}
                   (add it to an authenticator app, or run \`npm run operator:code\` for the current code)
  Health           ${local.url}/api/health
  Application form ${local.applyUrl}
  API reference    ${local.url}/api/openapi.json
  Mailbox (SES)    ${local.links.mailbox}
  Phone simulator  ${local.links.phone}
  Schedules        ${local.links.schedules}
  Data             ${process.env.LOCAL_DATA_DIR ?? defaultDataDir}

Ctrl-C stops everything.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  await local.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
