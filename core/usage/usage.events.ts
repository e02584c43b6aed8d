import * as z from "zod";
import { event } from "../event";

/** A company's SMS spending crossed 80 % or 100 % of its monthly cap: written once per threshold and month. */
export const CapThresholdReached = event(
  "usage.cap_threshold_reached",
  z.object({
    month: z.string(),
    threshold: z.union([z.literal(80), z.literal(100)]),
    spentMillicents: z.number().int(),
    capMillicents: z.number().int(),
  }),
);
