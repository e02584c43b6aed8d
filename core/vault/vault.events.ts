import * as z from "zod";
import { event } from "../event";

/** A document reached its partner's space (later: information campaigns triggered by a document type). */
export const DocumentPublished = event(
  "document.published",
  z.object({ documentId: z.string(), partnerId: z.string(), typeId: z.string(), batchId: z.string() }),
);

/** A partner signed a document (core/vault/signing.ts), recorded with the signature itself. */
export const DocumentSigned = event(
  "document.signed",
  z.object({ documentId: z.string(), partnerId: z.string(), typeId: z.string(), evidenceId: z.string() }),
);
