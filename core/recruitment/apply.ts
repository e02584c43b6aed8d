import type * as z from "zod";
import { notYet } from "./stub";
import type {
  Draft,
  DraftInput,
  DraftSaved,
  PublicCampaign,
  SubmitInput,
  Submitted,
  UploadInput,
} from "./types";

export async function campaign(_slug: string): Promise<z.infer<typeof PublicCampaign>> {
  return notYet();
}
export async function saveDraft(
  _slug: string,
  _input: z.input<typeof DraftInput>,
): Promise<z.infer<typeof DraftSaved>> {
  return notYet();
}
export async function loadDraft(_slug: string, _resumeToken: string): Promise<z.infer<typeof Draft>> {
  return notYet();
}
export async function upload(
  _slug: string,
  _input: z.input<typeof UploadInput>,
): Promise<{ fileId: string; url: string; fields: Record<string, string> }> {
  return notYet();
}
export async function submit(
  _slug: string,
  _input: z.input<typeof SubmitInput>,
  _idempotencyKey?: string,
): Promise<z.infer<typeof Submitted>> {
  return notYet();
}
