import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import * as Metrics from "../../core/platform/metrics";
import { appFor } from "./lazy";

/**
 * The Lambda entry imports only the shared middleware at init; each request goes to its router group,
 * imported on the group's first request (./lazy.ts), or to the full app (./index) for the rest.
 */
const dispatcher = new Hono().all("*", async (c) => (await appFor(c.req.path)).fetch(c.req.raw, c.env));

const http = handle(dispatcher);

export const handler: typeof http = async (event, context) => {
  try {
    return await http(event, context);
  } finally {
    Metrics.flush();
  }
};
