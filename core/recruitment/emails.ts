import { createHash } from "node:crypto";
import { MessageEntity } from "../campaign/campaign.entity";
import { launchWritten } from "../campaign/unattended";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { Variables } from "../message";
import { TemplateEntity } from "../template/template.entity";
import { escapeHtml } from "../text";
import { UserEntity } from "../user/user.entity";
import type { Row as CampaignRow } from "./campaign";
import { DossierEmailEntity, type DossierEntity, RecruitmentRuleEntity } from "./recruitment.entity";
import type { Label, Language, Rule, Status } from "./types";

/**
 * Automatic emails: who a rule writes to, what it says, and firing it once per event. The preview and the
 * sending call the same `recipientsOf`, so the count shown before a change is the count sent.
 */
export type DossierRow = NonNullable<Awaited<ReturnType<ReturnType<typeof DossierEntity.get>["go"]>>["data"]>;
export type RuleRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof RecruitmentRuleEntity.get>["go"]>>["data"]
>;
export type Recipient = {
  address: string;
  kind: "candidate" | "evaluator" | "fixed";
  language: Language;
  contactId?: string;
  name?: string;
};
export type Email = { to: string; subject: string; html: string; text: string };

export const toRule = (row: RuleRow): Rule => ({
  ruleId: row.ruleId,
  section: row.section,
  name: row.name,
  templateId: row.templateId,
  statusId: row.statusId,
  recipients: row.recipients as Rule["recipients"],
  enabled: row.enabled,
  builtIn: row.builtIn,
});

export async function rulesOf(companyId: string, campaignId: string) {
  const { data } = await RecruitmentRuleEntity.query
    .byCampaign({ companyId, campaignId })
    .go({ pages: "all" });
  return data.map(toRule);
}

/** The enabled rules that a move of a dossier to `statusId` fires, in its section. */
export const firing = (rules: Rule[], section: Rule["section"], statusId: string) =>
  rules.filter((rule) => rule.enabled && rule.section === section && rule.statusId === statusId);

/** The campaign's evaluators who can receive email (active users), once per campaign read. */
export async function evaluatorsOf(campaign: CampaignRow) {
  const found: Recipient[] = [];
  const companyId: string = campaign.companyId;
  for (const userId of new Set<string>(campaign.evaluatorIds)) {
    const { data } = await UserEntity.get({ companyId, userId }).go();
    if (data?.status === "active")
      found.push({
        address: data.email.toLowerCase(),
        kind: "evaluator",
        language: data.language ?? "fr",
        name: `${data.firstName} ${data.lastName}`,
      });
  }
  return found;
}

/** One address once per rule; the candidate first (their contact is attached to the message). */
export function recipientsOf(
  rule: Rule,
  dossier: { email?: string; contactId?: string; language: Language; firstName?: string; lastName?: string },
  evaluators: Recipient[],
): Recipient[] {
  const all: Recipient[] = [];
  if (rule.recipients.candidate && dossier.email)
    all.push({
      address: dossier.email.toLowerCase(),
      kind: "candidate",
      language: dossier.language,
      contactId: dossier.contactId,
      name: [dossier.firstName, dossier.lastName].filter(Boolean).join(" ") || undefined,
    });
  if (rule.recipients.evaluators) all.push(...evaluators);
  for (const address of rule.recipients.addresses)
    all.push({ address: address.toLowerCase(), kind: "fixed", language: "fr" });
  const seen = new Set<string>();
  return all.filter((recipient) => !seen.has(recipient.address) && seen.add(recipient.address));
}

export const dossierLink = (campaignId: string, dossierId: string) =>
  `${config("PUBLIC_URL")}/recruitment/${campaignId}/dossiers/${dossierId}`;

const labelIn = (label: Label | undefined, language: Language) =>
  (language === "en" ? label?.en : undefined) || label?.fr || "";

const builtIn = {
  candidate: {
    fr: {
      subject: "Votre candidature : %campagne%",
      html: "<p>Bonjour %Prénom,</p><p>Nous avons bien reçu votre candidature « %campagne% ». Nous l'étudions et revenons vers vous rapidement.</p><p>Merci de votre intérêt.</p>",
    },
    en: {
      subject: "Your application: %campagne%",
      html: "<p>Hello %Prénom,</p><p>We have received your application « %campagne% ». We are reviewing it and will get back to you soon.</p><p>Thank you for your interest.</p>",
    },
  },
  manager: {
    fr: {
      subject: "Votre candidature : %campagne%",
      html: "<p>Bonjour %Prénom,</p><p>Votre candidature « %campagne% » est maintenant : <strong>%statut%</strong>.</p>",
    },
    en: {
      subject: "Your application: %campagne%",
      html: "<p>Hello %Prénom,</p><p>Your application « %campagne% » is now: <strong>%statut%</strong>.</p>",
    },
  },
} as const;

type Context = {
  campaign: { campaignId: string; title: string; statuses: unknown; companyId: string };
  dossier: { dossierId: string; firstName?: string; lastName?: string; email?: string; mobile?: string };
  statusId: string;
};

/** The rule's email for one recipient: its template (or the built-in text) with the dossier's variables. */
export async function render(rule: Rule, context: Context, recipient: Recipient): Promise<Email> {
  const { campaign, dossier } = context;
  let subject: string = builtIn[rule.section][recipient.language].subject;
  let html: string = builtIn[rule.section][recipient.language].html;
  if (rule.templateId) {
    const { data } = await TemplateEntity.get({
      companyId: campaign.companyId,
      templateId: rule.templateId,
    }).go();
    if (data?.emailHtml) {
      subject = data.emailSubject || subject;
      html = data.emailHtml;
    }
  }
  const status = (campaign.statuses as Status[]).find((known) => known.statusId === context.statusId);
  const values = {
    campagne: campaign.title,
    statut: labelIn(status?.label, recipient.language) || context.statusId,
    lien_dossier: dossierLink(campaign.campaignId, dossier.dossierId),
    "%Prénom": recipient.language === "en" ? "there" : "Madame, Monsieur",
  };
  const person = {
    firstName: dossier.firstName,
    lastName: dossier.lastName,
    email: dossier.email,
    mobile: dossier.mobile,
  };
  const escaped = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, escapeHtml(value)]));
  const escapedPerson = Object.fromEntries(
    Object.entries(person).map(([key, value]) => [key, value === undefined ? undefined : escapeHtml(value)]),
  );
  const filledSubject = Variables.render(subject, person, values)
    .text.replace(/[\r\n]+/g, " ")
    .trim();
  const filledHtml = Variables.render(html, escapedPerson, escaped).text;
  const text = filledHtml
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h[1-3])>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { to: recipient.address, subject: filledSubject, html: filledHtml, text };
}

/** Same event, rule and address: same message id. The event id (a ULID) first, so ids sort by time. */
export const messageIdOf = (eventId: string, ruleId: string, address: string) =>
  `${eventId}-${createHash("sha256").update(`${ruleId}\n${address}`).digest("hex").slice(0, 16)}`;

/** The delivery campaign carrying one event's emails. */
export const sendingIdOf = (eventId: string) => `${eventId}-rec`;

/**
 * Writes the emails an event's rules send (conditional creates under ids derived from the event) and
 * hands them to the delivery engine, which opens their campaign once. Run twice, it sends nothing more.
 */
export async function fire(input: {
  eventId: string;
  section: Rule["section"];
  statusId: string;
  campaign: CampaignRow;
  dossier: DossierRow;
  changedBy?: string;
}) {
  const { campaign, dossier, eventId } = input;
  const rules = firing(await rulesOf(campaign.companyId, campaign.campaignId), input.section, input.statusId);
  if (rules.length === 0) return 0;
  const evaluators = rules.some((rule) => rule.recipients.evaluators) ? await evaluatorsOf(campaign) : [];
  const sendingId = sendingIdOf(eventId);
  const at = new Date().toISOString();
  for (const rule of rules) {
    for (const recipient of recipientsOf(rule, dossier, evaluators)) {
      const email = await render(rule, { campaign, dossier, statusId: input.statusId }, recipient);
      const messageId = messageIdOf(eventId, rule.ruleId, recipient.address);
      try {
        await MessageEntity.create({
          companyId: campaign.companyId,
          campaignId: sendingId,
          messageId,
          ...(recipient.contactId ? { contactId: recipient.contactId } : {}),
          name: recipient.name,
          channel: "email",
          to: recipient.address,
          subject: email.subject,
          html: email.html,
          units: 0,
          status: "scheduled",
        }).go({ response: "none" });
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
      await DossierEmailEntity.put({
        companyId: campaign.companyId,
        dossierId: dossier.dossierId,
        messageId,
        sendingId,
        ruleId: rule.ruleId,
        ruleName: rule.name,
        to: recipient.address,
        subject: email.subject,
        at,
      }).go({ response: "none" });
    }
  }
  return launchWritten({
    companyId: campaign.companyId,
    campaignId: sendingId,
    title: `${campaign.title} · ${input.section === "candidate" ? "candidature reçue" : "changement de statut"}`,
    agencyId: campaign.agencyId,
    createdBy: input.changedBy ?? "system",
    createdByName: "Campagne d'appel (automatique)",
    // An acknowledgment or a decision, answering what the candidate or a manager did just now.
    transactional: true,
  });
}
