import type { InferRequestType, InferResponseType } from "hono/client";
import { api, unwrap } from "../api";
import type { Locale } from "../i18n/messages";

/** The public application form's calls (functions/api/apply.ts): no session, the resume token is the key. */
const form = api.api.public.apply[":slug"];

export type PublicCampaign = InferResponseType<typeof form.$get, 200>["campaign"];
export type FormField = PublicCampaign["fields"][number];
export type Label = FormField["label"];
export type Draft = InferResponseType<(typeof form.draft.load)["$post"], 200>["draft"];
export type DraftInput = InferRequestType<(typeof form.draft)["$post"]>["json"];
export type SubmitInput = InferRequestType<(typeof form.submit)["$post"]>["json"];
export type Candidate = SubmitInput["candidate"];
export type Answers = Record<string, string>;

/** A label in the reader's language, French when no English was written. */
export function inLocale(label: Label, locale: Locale): string {
  return (locale === "en" && label.en) || label.fr;
}

const param = (slug: string) => ({ param: { slug } });

export const apply = {
  campaign: (slug: string) => unwrap(form.$get(param(slug), { init: { cache: "no-store" } })),
  loadDraft: (slug: string, resumeToken: string) =>
    unwrap(form.draft.load.$post({ ...param(slug), json: { resumeToken } })),
  saveDraft: (slug: string, json: DraftInput) => unwrap(form.draft.$post({ ...param(slug), json })),
  presign: (slug: string, json: InferRequestType<(typeof form.uploads)["$post"]>["json"]) =>
    unwrap(form.uploads.$post({ ...param(slug), json })),
  /** The key makes a double click or a retry the same dossier, with or without a draft. */
  submit: (slug: string, json: SubmitInput, idempotencyKey: string) =>
    unwrap(form.submit.$post({ ...param(slug), json, header: { "idempotency-key": idempotencyKey } })),
};
