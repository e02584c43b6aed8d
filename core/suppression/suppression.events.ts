import * as z from "zod";
import { event } from "../event";

/** An address joined the company's suppression list (STOP, complaint, bounce, manual): others stop what they planned. */
export const SuppressionAdded = event(
  "suppression.added",
  z.object({ channel: z.enum(["sms", "email"]), address: z.string(), source: z.string() }),
);
