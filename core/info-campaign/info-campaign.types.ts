import * as z from "zod";

/**
 * The information campaign wizard's steps, shared by the API and the console (which validates each step
 * with the same schemas before saving it). Dependency-free apart from zod: web/ imports it.
 */
export const triggers = ["document_type", "recipient_type"] as const;
export type Trigger = (typeof triggers)[number];

export const states = ["draft", "scheduled", "active", "closed"] as const;
export type State = (typeof states)[number];

export const limits = {
  documents: 10,
  documentBytes: 20 * 1024 * 1024,
  logoBytes: 1024 * 1024,
  message: 2000,
  title: 120,
} as const;

export const logoTypes = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg" } as const;

const id = z.string().min(1).max(64);
const iso = z.iso.datetime({ offset: true });

export const Settings = z
  .object({
    title: z.string().trim().min(1, "Title is required").max(limits.title),
    startAt: iso,
    endAt: iso.optional(),
  })
  .refine((value) => !value.endAt || value.endAt > value.startAt, {
    message: "The end must come after the start",
    path: ["endAt"],
  });

export const TriggerStep = z.object({ trigger: z.enum(triggers) });

export const Population = z.object({
  /** The document type whose publication triggers the campaign (document trigger only). */
  triggerTypeId: id.optional(),
  categoryIds: z.array(id).min(1, "Pick at least one category").max(20),
});

export const CampaignDocument = z.object({
  fileId: id,
  name: z.string().trim().min(1, "Name the document").max(120),
  typeId: id,
  /** « SIGNATURE »: sealed with the company's certificate at launch. */
  seal: z.boolean().default(false),
});

export const Documents = z.object({
  documents: z.array(CampaignDocument).min(1, "Add at least one document").max(limits.documents),
});

export const Content = z.object({
  messageFr: z.string().trim().min(1, "Write the message").max(limits.message),
  messageEn: z.string().trim().max(limits.message).optional(),
  /** Whether the uploaded logo is kept; false removes it. */
  logo: z.boolean().default(false),
});

/** One step of the draft, saved on its own: the wizard saves as it goes. */
export const Step = z.discriminatedUnion("step", [
  z.object({ step: z.literal("settings"), settings: Settings }),
  z.object({ step: z.literal("trigger"), trigger: TriggerStep }),
  z.object({ step: z.literal("population"), population: Population }),
  z.object({ step: z.literal("documents"), documents: Documents }),
  z.object({ step: z.literal("content"), content: Content }),
]);
export type Step = z.infer<typeof Step>;

export const stepNames = ["settings", "trigger", "population", "documents", "content", "summary"] as const;

export const Upload = z.object({
  fileName: z.string().min(1).max(500),
  size: z.number().int().min(1),
});
