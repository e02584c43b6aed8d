import { handle } from "hono/aws-lambda";
import * as Metrics from "../../core/platform/metrics";
import { app } from "./index";

const http = handle(app);

export const handler: typeof http = async (event, context) => {
  try {
    return await http(event, context);
  } finally {
    Metrics.flush();
  }
};
