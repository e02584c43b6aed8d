import * as z from "zod";

/**
 * The shapes of recruitment campaigns (« campagnes d'appel »), their dossiers and automatic emails.
 * Dependency-free: the API's contract and the console read the same limits.
 */
export const limits = {
  fields: 40,
  statuses: 12,
  rules: 20,
  /** A bulk status change. */
  selection: 500,
  fileBytes: 10 * 1024 * 1024,
  textChars: 500,
  longTextChars: 5000,
  draftDays: 30,
  pageSize: 50,
} as const;

export const fileTypes = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.oasis.opendocument.text",
] as const;

export const Language = z.enum(["fr", "en"]);
export type Language = z.infer<typeof Language>;

/** A label in French, and in English when the form should read in English too. */
export const Label = z.object({
  fr: z.string().trim().min(1).max(200),
  en: z.string().trim().max(200).optional(),
});
export type Label = z.infer<typeof Label>;

export const fieldKinds = ["text", "longText", "email", "mobile", "date", "choice", "file"] as const;
export const FieldKind = z.enum(fieldKinds);

const key = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "Lowercase letters, digits, - and _ only");

export const Field = z.object({
  fieldId: key,
  kind: FieldKind,
  label: Label,
  help: Label.optional(),
  required: z.boolean(),
  /** For `choice`: the options, one picked. */
  options: z
    .array(z.object({ value: key, label: Label }))
    .max(50)
    .optional(),
});
export type Field = z.infer<typeof Field>;

/** Brouillon and Soumis are the system's: a candidate's draft and submission. */
export const systemStatuses = { draft: "brouillon", submitted: "soumis" } as const;
export const Status = z.object({ statusId: key, label: Label, system: z.boolean() });
export type Status = z.infer<typeof Status>;
export const defaultStatuses: Status[] = [
  { statusId: "brouillon", label: { fr: "Brouillon", en: "Draft" }, system: true },
  { statusId: "soumis", label: { fr: "Soumis", en: "Submitted" }, system: true },
  { statusId: "en-evaluation", label: { fr: "En cours d'évaluation", en: "Under review" }, system: false },
  { statusId: "retenu", label: { fr: "Retenu", en: "Accepted" }, system: false },
  { statusId: "refuse", label: { fr: "Refusé", en: "Rejected" }, system: false },
];
/** Custom statuses as typed by staff; the two system ones are always kept first. */
export const StatusInput = z.object({ statusId: key.optional(), label: Label });

export const campaignStates = ["upcoming", "open", "closed"] as const;

export const Campaign = z.object({
  campaignId: z.string(),
  title: z.string(),
  agencyId: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  description: Label,
  slug: z.string(),
  /** The public form's address, `${PUBLIC_URL}/candidater/${slug}`. */
  publicUrl: z.string(),
  state: z.enum(campaignStates),
  fields: z.array(Field),
  statuses: z.array(Status),
  managerIds: z.array(z.string()),
  evaluatorIds: z.array(z.string()),
  /** Names of the managers and evaluators (on a single campaign's read): evaluators may not list users. */
  people: z.array(z.object({ userId: z.string(), name: z.string() })).optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** What the acting user may do on it. */
  canManage: z.boolean(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignSummary = Campaign.pick({
  campaignId: true,
  title: true,
  agencyId: true,
  opensAt: true,
  closesAt: true,
  slug: true,
  publicUrl: true,
  state: true,
  createdAt: true,
  canManage: true,
});

const isoDate = z.string().datetime({ offset: true, message: "An ISO 8601 date and time" });

export const NewCampaign = z.strictObject({
  title: z.string().trim().min(1).max(120),
  agencyId: z.string().min(1).max(64),
  opensAt: isoDate,
  closesAt: isoDate,
  description: z.object({ fr: z.string().max(5000), en: z.string().max(5000).optional() }),
  fields: z.array(Field).max(limits.fields),
  /** The non-system statuses in order (default: En cours d'évaluation, Retenu, Refusé). */
  statuses: z.array(StatusInput).max(limits.statuses).optional(),
  managerIds: z.array(z.string().max(64)).max(50).default([]),
  evaluatorIds: z.array(z.string().max(64)).max(200).default([]),
});
export type NewCampaign = z.input<typeof NewCampaign>;
export const CampaignPatch = NewCampaign.partial();

export const sections = ["candidate", "manager"] as const;
export const Recipients = z.object({
  candidate: z.boolean(),
  evaluators: z.boolean(),
  addresses: z.array(z.string().email().max(254)).max(20),
});
export const Rule = z.object({
  ruleId: z.string(),
  /** `candidate`: fires on submit; `manager`: fires when staff move a dossier to the status. */
  section: z.enum(sections),
  name: z.string(),
  /** An email template; without one, the built-in bilingual text (acknowledgment or status notice). */
  templateId: z.string().optional(),
  statusId: z.string(),
  recipients: Recipients,
  enabled: z.boolean(),
  /** The « Accusé de réception » every campaign starts with. */
  builtIn: z.boolean(),
});
export type Rule = z.infer<typeof Rule>;
export const NewRule = z.strictObject({
  section: z.enum(sections),
  name: z.string().trim().min(1).max(120),
  templateId: z.string().max(64).optional(),
  statusId: key,
  recipients: Recipients,
  enabled: z.boolean().default(true),
});
export const RulePatch = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  templateId: z.string().max(64).nullable().optional(),
  statusId: key.optional(),
  recipients: Recipients.optional(),
  enabled: z.boolean().optional(),
});

/** The candidate's identity, asked by every form before the campaign's own fields. */
export const Candidate = z.object({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: z.string().trim().email().max(254),
  mobile: z.string().trim().max(40).optional(),
});
export type Candidate = z.infer<typeof Candidate>;

/** Answers by fieldId: text, an ISO date (YYYY-MM-DD), a choice's value, or a file field's fileId. */
export const Answers = z.record(z.string().max(40), z.string().max(limits.longTextChars)).default({});
export type Answers = z.infer<typeof Answers>;

export const DossierSummary = z.object({
  dossierId: z.string(),
  campaignId: z.string(),
  statusId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  mobile: z.string().optional(),
  contactId: z.string().optional(),
  evaluatorId: z.string().optional(),
  submittedAt: z.string().optional(),
  updatedAt: z.string(),
});
export type DossierSummary = z.infer<typeof DossierSummary>;

export const DossierFilters = z.object({
  status: z.string().max(40).optional(),
  evaluatorId: z.string().max(64).optional(),
  /** Submitted on or after / before (ISO dates or date-times). */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  /** Words of the name, email or mobile, accents and case ignored. */
  q: z.string().max(100).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const messageStatuses = [
  "scheduled",
  "sending",
  "sent",
  "delivered",
  "undeliverable",
  "failed",
  "unsubscribed",
  "replied",
  "excluded",
] as const;

export const DossierDetail = DossierSummary.extend({
  language: Language,
  answers: z.array(
    z.object({
      fieldId: z.string(),
      kind: FieldKind,
      label: Label,
      value: z.string().optional(),
      file: z
        .object({
          fileId: z.string(),
          fileName: z.string(),
          contentType: z.string(),
          size: z.number(),
          /** A signed GET, valid a few minutes. */
          url: z.string(),
        })
        .optional(),
    }),
  ),
  history: z.array(
    z.object({
      at: z.string(),
      from: z.string().optional(),
      to: z.string(),
      byUserId: z.string().optional(),
      byName: z.string().optional(),
    }),
  ),
  emails: z.array(
    z.object({
      messageId: z.string(),
      ruleId: z.string(),
      ruleName: z.string().optional(),
      to: z.string(),
      subject: z.string().optional(),
      status: z.string(),
      reason: z.string().optional(),
      at: z.string(),
    }),
  ),
});
export type DossierDetail = z.infer<typeof DossierDetail>;

export const StatusChange = z.strictObject({
  dossierIds: z.array(z.string().min(1).max(64)).min(1).max(limits.selection),
  statusId: key,
});
export const EmailPreview = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
});
export const StatusPreview = z.object({
  /** Dossiers that will change (the others already have this status). */
  dossiers: z.number(),
  /** Emails the change will send: the same recipient resolution as the sending itself. */
  emails: z.number(),
  rules: z.array(z.object({ ruleId: z.string(), name: z.string(), emails: z.number() })),
  preview: EmailPreview.optional(),
});
export const StatusChanged = z.object({
  changed: z.number(),
  unchanged: z.number(),
  emails: z.number(),
});

/** Variables a template can use for a dossier. */
export const dossierVariables = [
  "Prénom",
  "Nom",
  "Email",
  "Mobile",
  "campagne",
  "statut",
  "lien_dossier",
] as const;

// ——— public form ———

export const PublicCampaign = z.object({
  slug: z.string(),
  title: z.string(),
  description: Label,
  companyName: z.string(),
  agencyName: z.string().optional(),
  opensAt: z.string(),
  closesAt: z.string(),
  fields: z.array(Field),
  fileTypes: z.array(z.string()),
  maxFileBytes: z.number(),
});

/** Filled only by robots: the form hides it from people. */
export const honeypot = "website";

const CandidateDraft = Candidate.partial().extend({ email: z.string().trim().max(254).optional() });
export const DraftInput = z.strictObject({
  resumeToken: z.string().max(100).optional(),
  candidate: CandidateDraft.default({}),
  answers: Answers,
  language: Language.default("fr"),
  /** Email the resume link to candidate.email now. */
  sendLink: z.boolean().default(false),
  [honeypot]: z.string().max(500).optional(),
});
export const DraftSaved = z.object({
  dossierId: z.string(),
  resumeToken: z.string(),
  expiresAt: z.string(),
  linkSent: z.boolean(),
});
export const Draft = z.object({
  dossierId: z.string(),
  candidate: CandidateDraft,
  answers: Answers,
  files: z.array(
    z.object({ fieldId: z.string(), fileId: z.string(), fileName: z.string(), size: z.number() }),
  ),
  language: Language,
  expiresAt: z.string(),
});
export const UploadInput = z.strictObject({
  resumeToken: z.string().max(100),
  fieldId: key,
  fileName: z.string().min(1).max(255),
  contentType: z.enum(fileTypes, { message: "PDF, JPEG, PNG, Word or OpenDocument only" }),
  size: z.number().int().positive(),
});
export const SubmitInput = z.strictObject({
  resumeToken: z.string().max(100).optional(),
  candidate: Candidate,
  answers: Answers,
  language: Language.default("fr"),
  [honeypot]: z.string().max(500).optional(),
});
export const Submitted = z.object({ dossierId: z.string(), submittedAt: z.string() });
