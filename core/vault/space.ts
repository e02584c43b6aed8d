import { randomInt, timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import * as z from "zod";
import { usePartner, withActor } from "../actor";
import * as Attempts from "../auth/attempts";
import { CompanyEntity } from "../company/company.entity";
import { assertOpen } from "../company/state";
import { config } from "../config";
import { countIf } from "../db";
import { Employee } from "../employee";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Notify } from "../notify";
import { Partner } from "../partner";
import { PartnerEntity } from "../partner/partner.entity";
import * as Storage from "../platform/storage";
import { useRequest } from "../request";
import { epochSeconds, hashToken, newToken } from "../token";
import * as Links from "./links";
import { stateOf } from "./signature-state";
import {
  AccessEntity,
  DocumentEntity,
  PartnerSessionEntity,
  SignInCodeEntity,
  SpaceChoiceEntity,
  typologies,
} from "./vault.entity";

/**
 * The partner space (`/espace`): partners sign in without a password — a 6-digit code sent to their
 * mobile or email, or a personal signed link — and see their own documents only: every read below takes
 * the partner from the session, never from the request.
 */
export const codeLimits = { tries: 5, minutes: 10, perAddress: 5, perIp: 20, verifyPerIp: 30 } as const;

const invalidAddress = () =>
  new VisibleError(
    "space.address_invalid",
    "Type the mobile number or email your documents are sent to",
    400,
    {
      fields: [{ path: "address", message: "Mobile or email" }],
    },
  );

/**
 * Sends a code when the address belongs to a partner. The answer is the same whether it does or not, so
 * the form cannot tell who is a partner. Limited per address and per IP before anything else.
 */
export const requestCode = fn(z.object({ address: z.string().max(254) }), async (input) => {
  const address = Partner.addressOf(input.address);
  if (!address) throw invalidAddress();
  await Attempts.reserve([
    [`space-code:${address}`, codeLimits.perAddress],
    [`space-code-ip:${useRequest().ip ?? "unknown"}`, codeLimits.perIp],
  ]);
  const partners = await Partner.byAddress(address);
  const channel = address.startsWith("+") ? ("sms" as const) : ("email" as const);
  if (partners.length === 0) return { sent: true, channel };
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const now = new Date();
  await SignInCodeEntity.put({
    address,
    codeHash: hashToken(`${address}:${code}`),
    tries: 0,
    validUntil: epochSeconds(now) + codeLimits.minutes * 60,
    expiresAt: epochSeconds(now) + 86_400,
  }).go();
  const first = partners[0]!;
  const { data: partner } = await PartnerEntity.get(first).go();
  const english = partner?.language === "en";
  if (channel === "sms")
    await Notify.sms(
      address,
      english
        ? `Your sign-in code: ${code}. Valid ${codeLimits.minutes} minutes. Never share it.`
        : `Votre code de connexion : ${code}. Valable ${codeLimits.minutes} minutes. Ne le communiquez jamais.`,
    );
  else
    await Notify.email(address, {
      subject: english ? `Your sign-in code: ${code}` : `Votre code de connexion : ${code}`,
      paragraphs: english
        ? [
            `Your code to open your documents: ${code}`,
            `It works for ${codeLimits.minutes} minutes. Never share it.`,
          ]
        : [
            `Votre code pour ouvrir vos documents : ${code}`,
            `Il est valable ${codeLimits.minutes} minutes. Ne le communiquez jamais.`,
          ],
      link: { label: english ? "Open my space" : "Ouvrir mon espace", url: `${config("PUBLIC_URL")}/espace` },
    });
  return { sent: true, channel };
});

const wrongCode = (left: number) =>
  new VisibleError(
    "space.code_wrong",
    left > 0 ? `Wrong code: ${left} ${left > 1 ? "tries" : "try"} left` : "Wrong code: ask for a new one",
    401,
    { triesLeft: left },
  );
const codeGone = () =>
  new VisibleError(
    "space.code_expired",
    "This code has expired or was tried too often: ask for a new one",
    401,
    {
      triesLeft: 0,
    },
  );

/** Counts one try (at most 5, within 10 minutes) before comparing, so parallel guesses cannot exceed it. */
export const verifyCode = fn(
  z.object({ address: z.string().max(254), code: z.string().trim().max(12) }),
  async (input) => {
    const address = Partner.addressOf(input.address);
    if (!address) throw invalidAddress();
    await Attempts.reserve([[`space-verify-ip:${useRequest().ip ?? "unknown"}`, codeLimits.verifyPerIp]]);
    const key = SignInCodeEntity.get({ address }).params() as { Key: Record<string, string> };
    const stored = await countIf<{ codeHash: string; tries: number }>(key.Key, "tries", {
      expression: "attribute_exists(#pk) AND #tries < :max AND #until > :now",
      names: { "#pk": "pk", "#tries": "tries", "#until": "validUntil" },
      values: { ":max": codeLimits.tries, ":now": epochSeconds(new Date()) },
    });
    if (!stored) throw codeGone();
    const typed = Buffer.from(hashToken(`${address}:${input.code.replace(/\s/g, "")}`));
    const expected = Buffer.from(stored.codeHash);
    if (typed.length !== expected.length || !timingSafeEqual(typed, expected))
      throw wrongCode(codeLimits.tries - stored.tries);
    await SignInCodeEntity.delete({ address }).go();
    const partners = await Partner.byAddress(address);
    if (partners.length === 0) throw codeGone();
    if (partners.length === 1) return { kind: "session" as const, ...(await signIn(partners[0]!)) };
    return { kind: "choose" as const, ...(await offerChoice(partners)) };
  },
);

type PartnerKey = { companyId: string; partnerId: string };

async function signIn(partner: PartnerKey) {
  const session = await open(partner.companyId, partner.partnerId, "code");
  await withActor({ type: "partner", ...partner }, () => record("signed_in", { via: "code" }));
  return session;
}

/** Several companies know this address: the partner picks one, named, through a 5-minute one-time ticket. */
async function offerChoice(partners: PartnerKey[]) {
  const named = await Promise.all(
    partners.map(async (partner) => ({
      ...partner,
      name: (await CompanyEntity.get({ companyId: partner.companyId }).go()).data?.name ?? "",
    })),
  );
  named.sort((a, b) => a.name.localeCompare(b.name, "fr"));
  const ticket = newToken();
  const now = epochSeconds(new Date());
  await SpaceChoiceEntity.create({
    ticketHash: hashToken(ticket),
    options: named.map(({ companyId, partnerId }) => ({ companyId, partnerId })),
    validUntil: now + choiceMinutes * 60,
    expiresAt: now + 86_400,
  }).go();
  return { ticket, companies: named.map(({ name }, choice) => ({ choice, name })) };
}

const choiceMinutes = 5;
const choiceGone = () =>
  new VisibleError("space.choice_expired", "This choice has expired: sign in again", 401, { triesLeft: 0 });

/** Opens the session of the company picked after `verifyCode`; the ticket works once. */
export const choose = fn(
  z.object({ ticket: z.string().max(100), choice: z.number().int().min(0).max(19) }),
  async (input) => {
    const { data: stored } = await SpaceChoiceEntity.delete({ ticketHash: hashToken(input.ticket) }).go({
      response: "all_old",
    });
    if (!stored || stored.validUntil <= epochSeconds(new Date())) throw choiceGone();
    const picked = stored.options[input.choice];
    if (!picked) throw choiceGone();
    // Removed or erased since the code was checked: as if the ticket had expired.
    const { data: partner } = await PartnerEntity.get(picked).go();
    if (!partner) throw choiceGone();
    return signIn(picked);
  },
);

const plus = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

export async function open(companyId: string, partnerId: string, via: "link" | "code", now = new Date()) {
  await assertOpen(companyId);
  const token = newToken();
  const csrfToken = newToken();
  const absolute = plus(now, config("SESSION_MAX_SECONDS"));
  const idle = plus(now, config("SESSION_IDLE_SECONDS"));
  await PartnerSessionEntity.create({
    tokenHash: hashToken(token),
    companyId,
    partnerId,
    csrfToken,
    via,
    lastSeenAt: now.toISOString(),
    idleExpiresAt: idle.toISOString(),
    absoluteExpiresAt: absolute.toISOString(),
    expiresAt: epochSeconds(absolute),
  }).go();
  return { token, csrfToken, idleExpiresAt: idle.toISOString() };
}

/** The session behind the space's cookie, extended by this request (written at most every 30 s). */
export async function resume(token: string, now = new Date()) {
  const tokenHash = hashToken(token);
  const { data: session } = await PartnerSessionEntity.get({ tokenHash }).go();
  if (!session) throw new VisibleError("auth.required", "Please sign in", 401);
  const iso = now.toISOString();
  if (iso >= session.idleExpiresAt || iso >= session.absoluteExpiresAt) {
    await PartnerSessionEntity.delete({ tokenHash }).go();
    throw new VisibleError("auth.session_expired", "Your session has expired, please sign in again", 401);
  }
  await assertOpen(session.companyId);
  let idleExpiresAt = session.idleExpiresAt;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= 30_000) {
    const next = plus(now, config("SESSION_IDLE_SECONDS"));
    idleExpiresAt =
      next.getTime() < Date.parse(session.absoluteExpiresAt) ? next.toISOString() : session.absoluteExpiresAt;
    await PartnerSessionEntity.patch({ tokenHash }).set({ lastSeenAt: iso, idleExpiresAt }).go();
  }
  return {
    companyId: session.companyId,
    partnerId: session.partnerId,
    csrfToken: session.csrfToken,
    idleExpiresAt,
  };
}

export async function close(token: string) {
  await PartnerSessionEntity.delete({ tokenHash: hashToken(token) }).go();
}

/** Appends to the partner's access history (staff read it), with the request's address and browser. */
async function record(
  action: "link_opened" | "signed_in" | "opened" | "downloaded",
  options: { documentId?: string; fileName?: string; via?: "link" | "code" | "space" } = {},
) {
  const { companyId, partnerId } = usePartner();
  const request = useRequest();
  const now = new Date();
  await AccessEntity.create({
    companyId,
    partnerId,
    accessId: ulid(now.getTime()),
    action,
    at: now.toISOString(),
    ip: request.ip,
    userAgent: request.userAgent?.slice(0, 300),
    ...options,
  }).go({ response: "none" });
}

/**
 * Opens a signed link: one use counted, then a session for its partner. Unknown, expired, revoked,
 * used-up and malformed tokens all end in the same error after the same work.
 */
export async function openLink(token: string) {
  const link = await Links.use(token);
  if (!link) throw new VisibleError("link.invalid", "This link is not valid", 404);
  const actor = { type: "partner" as const, companyId: link.companyId, partnerId: link.partnerId };
  const { data: partner } = await PartnerEntity.get(actor).go();
  if (!partner || partner.erasedAt) throw new VisibleError("link.invalid", "This link is not valid", 404);
  const session = await open(link.companyId, link.partnerId, "link");
  await withActor(actor, async () => {
    await record("link_opened", { via: "link" });
    // A document withdrawn since the link was sent is skipped; any other failure is an error, not a silent « unread ».
    for (const documentId of link.documentIds)
      await markOpened(documentId, "link").catch((error: unknown) => {
        if (!(error instanceof VisibleError)) throw error;
      });
  });
  return { session, documentId: link.documentIds[0], language: partner.language };
}

/** A published document of the signed-in partner; anyone else's id is « not found ». */
export async function own(documentId: string) {
  const { companyId, partnerId } = usePartner();
  const { data } = await DocumentEntity.get({ companyId, documentId }).go();
  if (!data || data.partnerId !== partnerId || data.status !== "published" || data.deletedAt)
    throw new VisibleError("space.document_not_found", "Document not found", 404);
  return data;
}

async function markOpened(documentId: string, via: "link" | "space") {
  const doc = await own(documentId);
  const now = new Date().toISOString();
  const key = { companyId: doc.companyId, documentId };
  // One write: the first opening's time is kept by if_not_exists, so concurrent opens cannot move it.
  await DocumentEntity.patch(key)
    .add({ opens: 1 })
    .set({ lastOpenedAt: now })
    .data(({ firstOpenedAt }, { ifNotExists }) => {
      ifNotExists(firstOpenedAt, now);
    })
    .go({ response: "none" });
  if (doc.infoCampaignId) await (await import("../info-campaign/reach")).track(doc, "opened");
  await record("opened", { documentId, fileName: doc.fileName, via });
  return doc;
}

export const SpaceDocument = z.object({
  documentId: z.string(),
  typeName: z.string(),
  typology: z.enum(typologies),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  publishedAt: z.string(),
  read: z.boolean(),
  mustSign: z.boolean(),
  signature: z
    .object({
      state: z.enum(["to_sign", "signed", "expired"]),
      deadline: z.string().optional(),
      signedAt: z.string().optional(),
    })
    .optional(),
});

/**
 * What the signed-in partner sees: who they are, their company, their documents newest first, and the
 * information campaigns that reached them (those for their categories are given on this read).
 */
export async function dashboard() {
  const { companyId, partnerId } = usePartner();
  const [{ data: partner }, { data: company }] = await Promise.all([
    PartnerEntity.get({ companyId, partnerId }).go(),
    CompanyEntity.get({ companyId }).go(),
  ]);
  if (!partner || partner.erasedAt) throw new VisibleError("auth.required", "Please sign in", 401);
  const Campaigns = await import("../info-campaign/reach");
  const fresh = await Campaigns.materialise(partner);
  const [found, campaigns] = await Promise.all([
    DocumentEntity.query.byPartner({ companyId, partnerId }).go({ order: "desc", pages: "all" }),
    Campaigns.ofPartner(partner.language, fresh),
  ]);
  // Just given: read by key, as the partner index may not show them yet.
  const listed = new Set(found.data.map((doc) => doc.documentId));
  const missing = fresh.flatMap((given) => given.documentIds).filter((id) => !listed.has(id));
  if (missing.length > 0)
    found.data.unshift(
      ...(await DocumentEntity.get(missing.map((documentId) => ({ companyId, documentId }))).go()).data,
    );
  return {
    partner: { name: Partner.nameOf(partner), language: partner.language },
    /** An employee (staff category): the space shows Messages, Avantages, Bons plans, Sondages, Contact. */
    employee: Employee.isStaff(partner, await Employee.staffCategories()),
    company: { name: company?.name ?? "" },
    campaigns,
    documents: found.data
      .filter((doc) => doc.status === "published" && !doc.deletedAt)
      .map((doc) => ({
        documentId: doc.documentId,
        typeName: doc.typeName,
        typology: doc.typology,
        fileName: doc.fileName,
        contentType: doc.contentType,
        size: doc.size,
        publishedAt: doc.publishedAt ?? doc.createdAt,
        read: Boolean(doc.firstOpenedAt),
        mustSign: doc.mustSign,
        signature: doc.mustSign
          ? { state: stateOf(doc) ?? "to_sign", deadline: doc.signDeadline, signedAt: doc.signedAt }
          : undefined,
      })),
  };
}

export const openDocument = fn(z.string().max(64), async (documentId) => {
  await markOpened(documentId, "space");
  return { documentId, read: true };
});

/** Where the file is: a presigned URL valid one minute, served as an attachment with its real type. */
export const download = fn(z.string().max(64), async (documentId) => {
  const doc = await own(documentId);
  const now = new Date().toISOString();
  const key = { companyId: doc.companyId, documentId };
  // One write; a download is also an opening when the document was never opened.
  await DocumentEntity.patch(key)
    .add({ downloads: 1, ...(doc.firstOpenedAt ? {} : { opens: 1 }) })
    .set({ lastDownloadedAt: now, ...(doc.firstOpenedAt ? {} : { lastOpenedAt: now }) })
    .data(({ firstDownloadedAt, firstOpenedAt }, { ifNotExists }) => {
      ifNotExists(firstDownloadedAt, now);
      ifNotExists(firstOpenedAt, now);
    })
    .go({ response: "none" });
  if (doc.infoCampaignId) {
    const { track } = await import("../info-campaign/reach");
    await track(doc, "opened");
    await track(doc, "downloaded");
  }
  await record("downloaded", { documentId, fileName: doc.fileName, via: "space" });
  // The signed copy once signed (a PDF), else the company-sealed copy, else the upload.
  const signed = doc.signedObjectKey !== undefined;
  return Storage.presignDownload("vault", doc.signedObjectKey ?? doc.sealedObjectKey ?? doc.objectKey, {
    fileName: signed ? `${doc.fileName.replace(/\.[^.]+$/, "")}-signe.pdf` : doc.fileName,
    contentType: signed ? "application/pdf" : doc.contentType,
    expiresIn: 60,
  });
});
