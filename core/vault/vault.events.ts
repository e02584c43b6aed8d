import * as z from "zod";
import { event } from "../event";

/** A document reached its partner's space (later: information campaigns triggered by a document type). */
export const DocumentPublished = event(
  "document.published",
  z.object({ documentId: z.string(), partnerId: z.string(), typeId: z.string(), batchId: z.string() }),
);
