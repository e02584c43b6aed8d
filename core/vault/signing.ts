import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, usePartner } from "../actor";
import { Audit } from "../audit";
import * as Attempts from "../auth/attempts";
import { CompanyEntity } from "../company/company.entity";
import { config } from "../config";
import { countIf, isConditionalFailure, write } from "../db";
import { VisibleError } from "../error";
import { commit } from "../event";
import { fn } from "../fn";
import { Notify } from "../notify";
import { nameOf, row as partnerRow, useManager } from "../partner/partner";
import { PartnerEntity } from "../partner/partner.entity";
import * as Storage from "../platform/storage";
import { useRequest } from "../request";
import { epochSeconds, hashToken } from "../token";
import { channelOf } from "./channel";
import { stateOf } from "./signature-state";
import * as Reminders from "./signing-reminders";
import { own } from "./space";
import { AccessEntity, DocumentEntity, EvidenceEntity, SigningCodeEntity } from "./vault.entity";
import { DocumentSigned } from "./vault.events";

/**
 * A partner's electronic signature of a document whose type requires it: they read it, confirm with a
 * one-time code sent to their sign-in channel, tick the consent, type their name or draw, and the server
 * makes the signed PDF (the original, an evidence page, the company's seal). One conditional write
 * records the signature, its evidence and the `document.signed` event together: exactly once.
 */
export const consentText = {
  fr: "Je reconnais avoir lu le document et j'accepte de le signer électroniquement.",
  en: "I acknowledge that I have read the document and I agree to sign it electronically.",
} as const;

export const codeLimits = { tries: 5, minutes: 10, perDocument: 5 } as const;
/** A drawn signature: a PNG of at most 60 KB (base64 is 4/3 of it). */
export const maxDrawingBytes = 60 * 1024;

/** 06 •• •• •• 78, or a•••@example.fr: enough for the partner to recognise, not to read. */
export function mask(address: string, channel: "sms" | "email") {
  if (channel === "email") {
    const [local = "", domain = ""] = address.split("@");
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  return `${address.slice(0, 4)} •• •• •• ${address.slice(-2)}`;
}

async function signable(documentId: string) {
  const doc = await own(documentId);
  const state = stateOf(doc);
  if (!state)
    throw new VisibleError("signature.not_required", "This document does not need a signature", 409);
  if (state === "signed")
    throw new VisibleError("signature.already_signed", "This document is already signed", 409);
  if (state === "expired")
    throw new VisibleError("signature.expired", "The time to sign this document has passed", 410);
  return doc;
}

async function partnerOf(companyId: string, partnerId: string) {
  const { data: partner } = await PartnerEntity.get({ companyId, partnerId }).go();
  if (!partner || partner.erasedAt) throw new VisibleError("auth.required", "Please sign in", 401);
  return partner;
}

/** Sends the 6-digit code confirming a signature, by SMS or email as the partner is reached. */
export const requestCode = fn(z.string().max(64), async (documentId) => {
  const { companyId, partnerId } = usePartner();
  const doc = await signable(documentId);
  await Attempts.reserve([[`sign-code:${companyId}:${documentId}`, codeLimits.perDocument]]);
  const partner = await partnerOf(companyId, partnerId);
  const channel = channelOf(partner);
  if (!channel) throw new VisibleError("signature.no_channel", "No mobile or email to send the code to", 409);
  const address = channel === "sms" ? partner.mobile! : partner.email!;
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const now = new Date();
  const maskedAddress = mask(address, channel);
  await SigningCodeEntity.put({
    companyId,
    documentId,
    codeHash: hashToken(`${documentId}:${code}`),
    tries: 0,
    channel,
    maskedAddress,
    validUntil: epochSeconds(now) + codeLimits.minutes * 60,
    expiresAt: epochSeconds(now) + 86_400,
  }).go();
  const english = partner.language === "en";
  if (channel === "sms")
    await Notify.sms(
      address,
      english
        ? `Your code to sign ${doc.typeName}: ${code}. Valid ${codeLimits.minutes} minutes. Never share it.`
        : `Votre code pour signer ${doc.typeName} : ${code}. Valable ${codeLimits.minutes} minutes. Ne le communiquez jamais.`,
    );
  else
    await Notify.email(address, {
      subject: english ? `Your signature code: ${code}` : `Votre code de signature : ${code}`,
      paragraphs: english
        ? [
            `Your code to sign ${doc.typeName}: ${code}`,
            `It works for ${codeLimits.minutes} minutes. Never share it.`,
          ]
        : [
            `Votre code pour signer ${doc.typeName} : ${code}`,
            `Il est valable ${codeLimits.minutes} minutes. Ne le communiquez jamais.`,
          ],
      link: { label: english ? "Open my space" : "Ouvrir mon espace", url: `${config("PUBLIC_URL")}/espace` },
    });
  return { channel, to: maskedAddress };
});

export const SignInput = z.object({
  documentId: z.string().max(64),
  code: z.string().trim().max(12),
  consent: z.literal(true, { error: "Tick the consent to sign" }),
  /** The typed name, or a drawn signature (PNG, base64); one of them. */
  typedName: z.string().trim().min(2).max(100).optional(),
  drawing: z
    .string()
    .max(Math.ceil((maxDrawingBytes * 4) / 3) + 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .optional(),
});

const wrongCode = (left: number) =>
  new VisibleError(
    "signature.code_wrong",
    left > 0 ? `Wrong code: ${left} ${left > 1 ? "tries" : "try"} left` : "Wrong code: ask for a new one",
    401,
    { triesLeft: left },
  );
const codeGone = () =>
  new VisibleError(
    "signature.code_expired",
    "This code has expired or was tried too often: ask for a new one",
    401,
    {
      triesLeft: 0,
    },
  );

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const isPng = (bytes: Uint8Array) =>
  bytes.length > 8 &&
  Buffer.from(bytes.subarray(0, 8)).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));

/**
 * Signs: the code's try is counted before comparing (5 at most, 10 minutes), then the signed PDF is made
 * and stored under a key of its own, then one transaction marks the document signed (on condition it
 * was not), writes the evidence, deletes the code and records `document.signed`. A double submit or a
 * retry loses that condition: its PDF is deleted and the answer is the signature already made.
 */
export const sign = fn(SignInput, async (input) => {
  const { companyId, partnerId } = usePartner();
  const current = await own(input.documentId);
  if (current.signedAt) return { state: "signed" as const, signedAt: current.signedAt };
  const doc = await signable(input.documentId);
  if (!input.typedName === !input.drawing)
    throw new VisibleError("signature.method", "Type your name or draw your signature", 400, {
      fields: [{ path: "typedName", message: "Type your name or draw your signature" }],
    });
  const drawing = input.drawing ? Buffer.from(input.drawing, "base64") : undefined;
  if (drawing && (!isPng(drawing) || drawing.byteLength > maxDrawingBytes))
    throw new VisibleError("signature.drawing_invalid", "The drawn signature must be a PNG under 60 KB", 400);

  const key = SigningCodeEntity.get({ companyId, documentId: doc.documentId }).params() as {
    Key: Record<string, string>;
  };
  const stored = await countIf<{
    codeHash: string;
    tries: number;
    channel: "sms" | "email";
    maskedAddress: string;
  }>(key.Key, "tries", {
    expression: "attribute_exists(#pk) AND #tries < :max AND #until > :now",
    names: { "#pk": "pk", "#tries": "tries", "#until": "validUntil" },
    values: { ":max": codeLimits.tries, ":now": epochSeconds(new Date()) },
  });
  if (!stored) throw codeGone();
  const typed = Buffer.from(hashToken(`${doc.documentId}:${input.code.replace(/\s/g, "")}`));
  const expected = Buffer.from(stored.codeHash);
  if (typed.length !== expected.length || !timingSafeEqual(typed, expected))
    throw wrongCode(codeLimits.tries - stored.tries);

  const partner = await partnerOf(companyId, partnerId);
  const { data: company } = await CompanyEntity.get({ companyId }).go();
  const request = useRequest();
  const signedAt = new Date();
  const evidenceId = ulid(signedAt.getTime());
  // Built from the upload: re-saving a company-sealed copy would break its seal; the new seal covers all.
  // The hash is of what the partner was shown (the sealed copy when there is one).
  const original = await Storage.readBytes("vault", doc.objectKey);
  const shown = doc.sealedObjectKey ? await Storage.readBytes("vault", doc.sealedObjectKey) : original;
  const language = partner.language;
  const facts = {
    evidenceId,
    signerName: nameOf(partner),
    method: input.typedName ? ("typed" as const) : ("drawn" as const),
    typedName: input.typedName,
    consent: consentText[language],
    signedAt,
    ip: request.ip,
    userAgent: request.userAgent?.slice(0, 300),
    channel: stored.channel,
    maskedAddress: stored.maskedAddress,
    originalSha256: sha256(shown),
    fileName: doc.fileName,
    typeName: doc.typeName,
  };
  const { withEvidencePage } = await import("./evidence-page");
  const unsealed = await withEvidencePage(original, doc.contentType, {
    ...facts,
    drawing,
    companyName: company?.name ?? "",
  });
  const { sealPdf } = await import("../signature/seal");
  const signed = await sealPdf({ pdf: unsealed, reason: `Signé par ${facts.signerName}` });
  const signedObjectKey = `${doc.objectKey}-signed-${evidenceId}`;
  await Storage.put("vault", signedObjectKey, signed, "application/pdf");
  try {
    await commit(
      [
        write.update(
          DocumentEntity.patch({ companyId, documentId: doc.documentId })
            .set({ signedAt: signedAt.toISOString(), signedObjectKey, evidenceId })
            .where(({ signedAt: at }, { notExists }) => notExists(at))
            .params(),
        ),
        write.put(
          EvidenceEntity.create({
            companyId,
            documentId: doc.documentId,
            partnerId,
            ...facts,
            signedAt: facts.signedAt.toISOString(),
            drawing: input.drawing,
            language,
            signedSha256: sha256(signed),
          }).params(),
        ),
        write.remove(SigningCodeEntity.delete({ companyId, documentId: doc.documentId }).params()),
        // In the partner's access history with the rest, once (with the signature itself).
        write.put(
          AccessEntity.create({
            companyId,
            partnerId,
            accessId: evidenceId,
            action: "signed",
            documentId: doc.documentId,
            fileName: doc.fileName,
            via: "space",
            at: facts.signedAt.toISOString(),
            ip: request.ip,
            userAgent: facts.userAgent,
          }).params(),
        ),
      ],
      [DocumentSigned.create({ documentId: doc.documentId, partnerId, typeId: doc.typeId, evidenceId })],
    );
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    await Storage.remove("vault", signedObjectKey);
    const { data: now } = await DocumentEntity.get({ companyId, documentId: doc.documentId }).go();
    if (now?.signedAt) return { state: "signed" as const, signedAt: now.signedAt };
    throw error;
  }
  await Reminders.cancel(doc.documentId);
  return { state: "signed" as const, signedAt: signedAt.toISOString() };
});

/** Staff: a document of the company with its signature; another company's id is « not found ». */
async function signedDocument(documentId: string) {
  useManager();
  const { data: doc } = await DocumentEntity.get({ companyId: useCompanyId(), documentId }).go();
  if (!doc || doc.deletedAt) throw new VisibleError("vault.document_not_found", "Document not found", 404);
  await partnerRow(doc.partnerId);
  if (!doc.signedAt || !doc.signedObjectKey || !doc.evidenceId)
    throw new VisibleError("signature.not_signed", "This document is not signed", 404);
  return doc;
}

const signedNameOf = (fileName: string) => `${fileName.replace(/\.[^.]+$/, "")}-signe.pdf`;

/** Staff download the signed PDF (a link valid one minute); audited. */
export const signedFile = fn(z.string().max(64), async (documentId) => {
  const doc = await signedDocument(documentId);
  await Audit.record("signature.signed_downloaded", {
    target: { type: "document", id: documentId, label: doc.fileName },
    details: { partnerId: doc.partnerId, evidenceId: doc.evidenceId },
  });
  return Storage.presignDownload("vault", doc.signedObjectKey!, {
    fileName: signedNameOf(doc.fileName),
    contentType: "application/pdf",
    expiresIn: 60,
  });
});

export const Evidence = z.object({
  evidenceId: z.string(),
  documentId: z.string(),
  partnerId: z.string(),
  fileName: z.string(),
  typeName: z.string(),
  signerName: z.string(),
  method: z.enum(["typed", "drawn"]),
  typedName: z.string().optional(),
  drawingPng: z.string().optional(),
  consent: z.string(),
  language: z.enum(["fr", "en"]),
  signedAt: z.string(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  code: z.object({ channel: z.enum(["sms", "email"]), sentTo: z.string() }),
  originalSha256: z.string(),
  signedSha256: z.string(),
});

/** Staff read a signature's evidence (downloaded as JSON); audited. */
export const evidence = fn(z.string().max(64), async (documentId) => {
  const doc = await signedDocument(documentId);
  const { data } = await EvidenceEntity.get({ companyId: doc.companyId, documentId }).go();
  if (!data) throw new VisibleError("signature.not_signed", "This document is not signed", 404);
  await Audit.record("signature.evidence_downloaded", {
    target: { type: "document", id: documentId, label: doc.fileName },
    details: { partnerId: doc.partnerId, evidenceId: data.evidenceId },
  });
  return Evidence.parse({
    evidenceId: data.evidenceId,
    documentId,
    partnerId: data.partnerId,
    fileName: data.fileName,
    typeName: data.typeName,
    signerName: data.signerName,
    method: data.method,
    typedName: data.typedName,
    drawingPng: data.drawing,
    consent: data.consent,
    language: data.language,
    signedAt: data.signedAt,
    ip: data.ip,
    userAgent: data.userAgent,
    code: { channel: data.channel, sentTo: data.maskedAddress },
    originalSha256: data.originalSha256,
    signedSha256: data.signedSha256,
  });
});
