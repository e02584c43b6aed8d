import { timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import type * as z from "zod";
import { withActor } from "../actor";
import { AgencyEntity } from "../agency/agency.entity";
import * as Attempts from "../auth/attempts";
import { headBytes, sniff } from "../campaign/file-sniff";
import { CompanyEntity } from "../company/company.entity";
import { isConditionalFailure, write } from "../db";
import { VisibleError } from "../error";
import { commit } from "../event";
import * as Notify from "../notify/notify";
import { Phone } from "../phone";
import * as Storage from "../platform/storage";
import { useRequest } from "../request";
import { epochSeconds, hashToken, newToken } from "../token";
import { checkAnswers, invalid, searchTextOf } from "./answers";
import { type Row as CampaignRow, publicUrlOf, stateOf } from "./campaign";
import { fileKeyOf, linkContact } from "./dossier";
import { DossierSubmitted } from "./dossier.events";
import type { DossierRow } from "./emails";
import {
  DossierClaimEntity,
  DossierEntity,
  DossierFileEntity,
  RecruitmentCampaignEntity,
  RecruitmentSlugEntity,
} from "./recruitment.entity";
import {
  type Answers,
  type Draft,
  DraftInput,
  type DraftSaved,
  type Field,
  fileTypes,
  honeypot,
  limits,
  type PublicCampaign,
  SubmitInput,
  type Submitted,
  systemStatuses,
  UploadInput,
} from "./types";

/**
 * The public application form: no login. The slug finds the company; the resume token
 * (`<dossierId>.<secret>`, 256 random bits, only its hash stored) is a draft's credential. Every
 * write is rate-limited per IP (and per email where one is given) before anything else.
 */
export const rateLimits = { draftPerIp: 60, uploadPerIp: 60, submitPerIp: 10, perEmail: 5, linkPerEmail: 3 };
const fileLimit = 10;

const closed = () =>
  new VisibleError("apply.closed", "Cette campagne est close. / This campaign is closed.", 410);
const notOpen = () =>
  new VisibleError(
    "apply.not_open",
    "Cette campagne n'est pas encore ouverte. / This campaign is not open yet.",
    410,
  );
const unknown = () => new VisibleError("apply.not_found", "Formulaire introuvable / Form not found", 404);
const badToken = () =>
  new VisibleError(
    "apply.resume_invalid",
    "Ce lien de reprise n'est plus valable. / This resume link is no longer valid.",
    404,
  );

const ip = () => useRequest().ip ?? "unknown";

async function campaignOf(slug: string, options: { open: boolean }) {
  const { data: found } = await RecruitmentSlugEntity.get({ slug }).go();
  if (!found) throw unknown();
  const { data } = await RecruitmentCampaignEntity.get({
    companyId: found.companyId,
    campaignId: found.campaignId,
  }).go();
  if (!data) throw unknown();
  if (options.open) {
    const state = stateOf(data);
    if (state === "closed") throw closed();
    if (state === "upcoming") throw notOpen();
  }
  return data as CampaignRow;
}

/** As the campaign's company (a system actor): the verbs below then write its keys. */
const asCompany = <T>(campaign: CampaignRow, run: () => Promise<T>) =>
  withActor({ type: "system", companyId: campaign.companyId, reason: "public application form" }, run);

export async function campaign(slug: string): Promise<z.infer<typeof PublicCampaign>> {
  const found = await campaignOf(slug, { open: true });
  const [{ data: company }, { data: agency }] = await Promise.all([
    CompanyEntity.get({ companyId: found.companyId }).go(),
    AgencyEntity.get({ companyId: found.companyId, agencyId: found.agencyId }).go(),
  ]);
  return {
    slug: found.slug,
    title: found.title,
    description: found.description as z.infer<typeof PublicCampaign>["description"],
    companyName: company?.name ?? "",
    agencyName: agency?.name,
    opensAt: found.opensAt,
    closesAt: found.closesAt,
    fields: found.fields as Field[],
    fileTypes: [...fileTypes],
    maxFileBytes: limits.fileBytes,
  };
}

const resumeTokenOf = (dossierId: string, secret: string) => `${dossierId}.${secret}`;

/** The draft a resume token opens, if the secret's hash matches (compared in constant time). */
async function draftOf(campaign: CampaignRow, token: string) {
  const [dossierId, secret] = token.split(".");
  if (!dossierId || !secret || dossierId.length > 40) throw badToken();
  const { data } = await DossierEntity.get({
    companyId: campaign.companyId,
    campaignId: campaign.campaignId,
    dossierId,
  }).go({ consistent: true });
  if (!data?.resumeHash || data.erasedAt) throw badToken();
  const expected = Buffer.from(data.resumeHash);
  const given = Buffer.from(hashToken(secret));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw badToken();
  if (data.expiresAt && data.expiresAt < epochSeconds(new Date()) && data.statusId === systemStatuses.draft)
    throw badToken();
  return data as DossierRow;
}

const normalEmail = (email: string | undefined) => email?.trim().toLowerCase() || undefined;
const normalMobile = (mobile: string | undefined, path: string) => {
  if (!mobile?.trim()) return undefined;
  const parsed = Phone.parse(mobile);
  if (!parsed) throw invalid([{ path, message: "Not a phone number" }]);
  return parsed.e164;
};

async function sendResumeLink(campaign: CampaignRow, email: string, token: string, language: "fr" | "en") {
  await Attempts.reserve([[`apply-link:${email}`, rateLimits.linkPerEmail]]);
  const url = `${publicUrlOf(campaign.slug)}?reprise=${encodeURIComponent(token)}`;
  await Notify.email(
    email,
    language === "en"
      ? {
          subject: `Your application in progress: ${campaign.title}`,
          paragraphs: [
            `Your application « ${campaign.title} » is saved.`,
            `Use this personal link to finish it within ${limits.draftDays} days. Do not forward it.`,
          ],
          link: { label: "Resume my application", url },
        }
      : {
          subject: `Votre candidature en cours : ${campaign.title}`,
          paragraphs: [
            `Votre candidature « ${campaign.title} » est enregistrée.`,
            `Reprenez-la avec ce lien personnel dans les ${limits.draftDays} jours. Ne le transférez pas.`,
          ],
          link: { label: "Reprendre ma candidature", url },
        },
  );
}

/** A bot filled the hidden field: an ordinary answer, nothing stored. */
const robot = (input: Record<string, unknown>) =>
  typeof input[honeypot] === "string" && input[honeypot] !== "";

export async function saveDraft(
  slug: string,
  raw: z.input<typeof DraftInput>,
): Promise<z.infer<typeof DraftSaved>> {
  const input = DraftInput.parse(raw);
  const found = await campaignOf(slug, { open: true });
  await Attempts.reserve([[`apply-draft-ip:${ip()}`, rateLimits.draftPerIp]]);
  const expires = new Date(Date.now() + limits.draftDays * 86_400_000);
  if (robot(input))
    return {
      dossierId: ulid(),
      resumeToken: resumeTokenOf(ulid(), newToken()),
      expiresAt: expires.toISOString(),
      linkSent: input.sendLink,
    };
  return asCompany(found, async () => {
    const answers = checkAnswers(found.fields as Field[], input.answers, "draft");
    const email = normalEmail(input.candidate.email);
    if (input.sendLink && !email)
      throw invalid([{ path: "candidate.email", message: "Your email, to receive the link" }]);
    const candidate = {
      firstName: input.candidate.firstName,
      lastName: input.candidate.lastName,
      email,
      mobile: normalMobile(input.candidate.mobile, "candidate.mobile"),
    };
    const now = new Date().toISOString();
    const fields = {
      ...Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined)),
      answers,
      language: input.language,
      searchText: searchTextOf(candidate),
      updatedAt: now,
      expiresAt: epochSeconds(expires),
    };
    let token = input.resumeToken;
    let dossierId: string;
    if (token) {
      const draft = await draftOf(found, token);
      if (draft.statusId !== systemStatuses.draft)
        throw new VisibleError(
          "apply.already_submitted",
          "Cette candidature est déjà envoyée. / This application was already submitted.",
          409,
        );
      dossierId = draft.dossierId;
      await DossierEntity.patch({ companyId: found.companyId, campaignId: found.campaignId, dossierId })
        .set(fields)
        .where(({ statusId }, { eq }) => eq(statusId, systemStatuses.draft as string))
        .go({ response: "none" });
    } else {
      dossierId = ulid();
      const secret = newToken();
      token = resumeTokenOf(dossierId, secret);
      await DossierEntity.create({
        companyId: found.companyId,
        campaignId: found.campaignId,
        dossierId,
        statusId: systemStatuses.draft,
        resumeHash: hashToken(secret),
        history: [],
        createdAt: now,
        ...fields,
      }).go({ response: "none" });
    }
    if (input.sendLink && email) await sendResumeLink(found, email, token, input.language);
    return {
      dossierId,
      resumeToken: token,
      expiresAt: expires.toISOString(),
      linkSent: Boolean(input.sendLink && email),
    };
  });
}

export async function loadDraft(slug: string, resumeToken: string): Promise<z.infer<typeof Draft>> {
  const found = await campaignOf(slug, { open: true });
  await Attempts.reserve([[`apply-draft-ip:${ip()}`, rateLimits.draftPerIp]]);
  const draft = await draftOf(found, resumeToken);
  if (draft.statusId !== systemStatuses.draft)
    throw new VisibleError(
      "apply.already_submitted",
      "Cette candidature est déjà envoyée. / This application was already submitted.",
      409,
    );
  const files = await DossierFileEntity.query
    .byDossier({ companyId: found.companyId, dossierId: draft.dossierId })
    .go({ pages: "all" });
  return {
    dossierId: draft.dossierId,
    candidate: {
      firstName: draft.firstName,
      lastName: draft.lastName,
      email: draft.email,
      mobile: draft.mobile,
    },
    answers: (draft.answers ?? {}) as Answers,
    files: files.data.map((file) => ({
      fieldId: file.fieldId,
      fileId: file.fileId,
      fileName: file.fileName,
      size: file.size,
    })),
    language: draft.language,
    expiresAt: new Date((draft.expiresAt ?? 0) * 1000).toISOString(),
  };
}

const safeName = (name: string) =>
  name
    .normalize("NFC")
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, "_")
    .trim()
    .slice(0, 120) || "fichier";

export async function upload(
  slug: string,
  raw: z.input<typeof UploadInput>,
): Promise<{ fileId: string; url: string; fields: Record<string, string> }> {
  const input = UploadInput.parse(raw);
  const found = await campaignOf(slug, { open: true });
  await Attempts.reserve([[`apply-upload-ip:${ip()}`, rateLimits.uploadPerIp]]);
  const field = (found.fields as Field[]).find((candidate) => candidate.fieldId === input.fieldId);
  if (field?.kind !== "file") throw invalid([{ path: "fieldId", message: "Not a file field of this form" }]);
  if (input.size > limits.fileBytes)
    throw new VisibleError(
      "apply.file_too_large",
      "Fichier trop volumineux (10 Mo au plus). / File too large (10 MB at most).",
      413,
      {
        fields: [{ path: "size", message: "At most 10 MB" }],
      },
    );
  const draft = await draftOf(found, input.resumeToken);
  if (draft.statusId !== systemStatuses.draft)
    throw new VisibleError(
      "apply.already_submitted",
      "Cette candidature est déjà envoyée. / This application was already submitted.",
      409,
    );
  const { companyId, campaignId } = found;
  const existing = await DossierFileEntity.query
    .byDossier({ companyId, dossierId: draft.dossierId })
    .go({ pages: "all" });
  if (existing.data.length >= fileLimit)
    throw invalid([{ path: "fieldId", message: `At most ${fileLimit} files per application` }]);
  const fileId = ulid();
  await DossierFileEntity.create({
    companyId,
    campaignId,
    dossierId: draft.dossierId,
    fileId,
    fieldId: field.fieldId,
    fileName: safeName(input.fileName),
    contentType: input.contentType,
    size: input.size,
    expiresAt: draft.expiresAt,
  }).go({ response: "none" });
  const post = await Storage.presignUpload(
    "attachments",
    fileKeyOf(companyId, campaignId, draft.dossierId, fileId),
    {
      maxBytes: limits.fileBytes,
      contentType: input.contentType,
    },
  );
  return { fileId, url: post.url, fields: post.fields };
}

/** Each file answer: an upload of this dossier for this field, really there, and of its declared type by its bytes. */
async function checkFiles(campaign: CampaignRow, dossierId: string | undefined, answers: Answers) {
  const fileFields = (campaign.fields as Field[]).filter(
    (field) => field.kind === "file" && answers[field.fieldId],
  );
  if (fileFields.length === 0) return [];
  if (!dossierId)
    throw invalid(
      fileFields.map((field) => ({ path: `answers.${field.fieldId}`, message: "Upload the file first" })),
    );
  const { companyId, campaignId } = campaign;
  const problems: Array<{ path: string; message: string }> = [];
  const checked: string[] = [];
  for (const field of fileFields) {
    const path = `answers.${field.fieldId}`;
    const fileId = answers[field.fieldId]!;
    const { data: file } = await DossierFileEntity.get({ companyId, dossierId, fileId }).go();
    if (!file || file.fieldId !== field.fieldId) {
      problems.push({ path, message: "Unknown file" });
      continue;
    }
    const key = fileKeyOf(companyId, campaignId, dossierId, fileId);
    const head = await Storage.readHead("attachments", key, headBytes).catch((error: unknown) => {
      if (Storage.isMissing(error)) return undefined;
      throw error;
    });
    if (!head || head.length === 0) {
      problems.push({ path, message: "The file was not uploaded" });
      continue;
    }
    if (sniff(head, file.contentType) !== "ok") {
      await Storage.remove("attachments", key);
      await DossierFileEntity.delete({ companyId, dossierId, fileId }).go();
      problems.push({ path, message: `« ${file.fileName} » is not the kind of file it claims to be` });
      continue;
    }
    checked.push(fileId);
  }
  if (problems.length > 0) throw invalid(problems);
  return checked;
}

/**
 * Submits once: with a draft, its status moves from Brouillon on condition; without, the Idempotency-Key's
 * claim is created with the dossier. Either way the `dossier.submitted` event is in the same transaction,
 * and a retry (double click, lost answer) gets the dossier already submitted.
 */
export async function submit(
  slug: string,
  raw: z.input<typeof SubmitInput>,
  idempotencyKey?: string,
): Promise<z.infer<typeof Submitted>> {
  const input = SubmitInput.parse(raw);
  const found = await campaignOf(slug, { open: true });
  const email = input.candidate.email.trim().toLowerCase();
  await Attempts.reserve([
    [`apply-submit-ip:${ip()}`, rateLimits.submitPerIp],
    [`apply-submit-email:${email}`, rateLimits.perEmail],
  ]);
  if (robot(input)) return { dossierId: ulid(), submittedAt: new Date().toISOString() };
  if (!input.resumeToken && !idempotencyKey)
    throw new VisibleError(
      "apply.idempotency_key_required",
      "Send an Idempotency-Key header or a resumeToken",
      400,
    );
  return asCompany(found, async () => {
    const { companyId, campaignId } = found;
    const draft = input.resumeToken ? await draftOf(found, input.resumeToken) : undefined;
    if (draft?.submittedAt) return { dossierId: draft.dossierId, submittedAt: draft.submittedAt };
    const claimKey = idempotencyKey ? hashToken(idempotencyKey) : undefined;
    if (!draft && claimKey) {
      const previous = await submittedByClaim(found, claimKey);
      if (previous) return previous;
    }
    const answers = checkAnswers(found.fields as Field[], input.answers, "submit");
    await checkFiles(found, draft?.dossierId, answers);
    const candidate = {
      firstName: input.candidate.firstName,
      lastName: input.candidate.lastName,
      email,
      mobile: normalMobile(input.candidate.mobile, "candidate.mobile"),
    };
    const now = new Date().toISOString();
    const submitted = systemStatuses.submitted as string;
    const values = {
      ...candidate,
      answers,
      language: input.language,
      statusId: submitted,
      submittedAt: now,
      searchText: searchTextOf(candidate),
      updatedAt: now,
    };
    const dossierId = draft?.dossierId ?? ulid();
    const key = { companyId, campaignId, dossierId };
    const history = [{ at: now, from: systemStatuses.draft, to: submitted }];
    const writes = draft
      ? [
          write.update(
            DossierEntity.patch(key)
              .set({ ...values, history })
              .remove(["expiresAt"])
              .where(({ statusId }, { eq }) => eq(statusId, systemStatuses.draft as string))
              .params(),
          ),
        ]
      : [
          write.put(DossierEntity.create({ ...key, ...values, history, createdAt: now }).params()),
          write.put(
            DossierClaimEntity.create({
              companyId,
              campaignId,
              claim: claimKey!,
              dossierId,
              expiresAt: epochSeconds(new Date(Date.now() + 7 * 86_400_000)),
            }).params(),
          ),
        ];
    try {
      await commit(writes, [DossierSubmitted.create({ dossierId, campaignId, status: submitted })]);
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // A concurrent twin won: its result is ours.
      const again = draft
        ? await DossierEntity.get(key)
            .go({ consistent: true })
            .then(({ data }) => data)
        : undefined;
      if (again?.submittedAt) return { dossierId, submittedAt: again.submittedAt };
      const previous = claimKey ? await submittedByClaim(found, claimKey) : undefined;
      if (previous) return previous;
      throw error;
    }
    if (draft) {
      // Its files stay with the dossier now (drafts' TTL no longer applies to them).
      const files = await DossierFileEntity.query.byDossier({ companyId, dossierId }).go({ pages: "all" });
      for (const file of files.data)
        await DossierFileEntity.patch({ companyId, dossierId, fileId: file.fileId })
          .remove(["expiresAt"])
          .go();
    }
    // Linked now for the console; the subscriber links it too if this was cut short.
    await linkContact(found, { ...key, ...values, history } as DossierRow).catch(() => undefined);
    return { dossierId, submittedAt: now };
  });
}

async function submittedByClaim(campaign: CampaignRow, claim: string) {
  const { companyId, campaignId } = campaign;
  const { data } = await DossierClaimEntity.get({ companyId, campaignId, claim }).go({ consistent: true });
  if (!data) return undefined;
  const { data: dossier } = await DossierEntity.get({ companyId, campaignId, dossierId: data.dossierId }).go({
    consistent: true,
  });
  return dossier?.submittedAt
    ? { dossierId: dossier.dossierId, submittedAt: dossier.submittedAt }
    : undefined;
}
