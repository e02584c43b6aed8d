import * as z from "zod";
import { Company } from "../company";
import * as Pricing from "../delivery/pricing";
import { SmsSegments, Variables } from "../message";
import { Template } from "../template";
import { sanitize } from "../template/html";
import { escapeHtml } from "../text";
import { placeholderLink, smsWithLink } from "./attachments";
import { type Recipient, resolve, Sources } from "./recipients";

export const Draft = z.object({
  kind: Template.Kind,
  smsBody: z.string().max(1600).default(""),
  emailSubject: z.string().max(200).default(""),
  emailHtml: z.string().max(100_000).default(""),
  recipients: Sources,
  /** Values the composer gives to custom variables; list fields win for their members. */
  values: z.record(z.string().max(40), z.string().max(500)).default({}),
  attachments: z.number().int().min(0).max(5).default(0),
});
export type Draft = z.input<typeof Draft>;

export type Channel = "sms" | "email";

/** SMS when a mobile can receive it and SMS is allowed (unless email is preferred), else email. */
export function channelFor(recipient: Recipient, draft: { smsBody: string; emailHtml: string }) {
  const canSms =
    recipient.smsCapable &&
    Boolean(recipient.mobile) &&
    !recipient.optOutSms &&
    !recipient.smsRefused &&
    draft.smsBody.trim() !== "";
  const canEmail = Boolean(recipient.email) && !recipient.optOutEmail && draft.emailHtml.trim() !== "";
  if (canSms && !(recipient.preferredChannel === "email" && canEmail)) return { channel: "sms" as const };
  if (canEmail) return { channel: "email" as const };
  const optedOut = (recipient.mobile && recipient.optOutSms) || (recipient.email && recipient.optOutEmail);
  if (optedOut) return { channel: null, reason: "opted_out" as const };
  // Only the number, in a country the company does not text: say so rather than "unreachable".
  if (recipient.mobile && recipient.smsRefused)
    return { channel: null, reason: "country_not_allowed" as const };
  return { channel: null, reason: "unreachable" as const };
}

/**
 * Renders one recipient's message; values inserted in HTML are escaped, and the result sanitised.
 * With attachments, an SMS ends with their link and is counted with it: `link` is the real one when
 * the campaign is created, a placeholder of the same length in previews.
 */
export function renderFor(
  recipient: Recipient,
  draft: z.output<typeof Draft>,
  channel: Channel,
  link: string = placeholderLink(),
) {
  const values = { ...draft.values, ...recipient.fields };
  if (channel === "sms") {
    const rendered = Variables.render(draft.smsBody, recipient, values);
    const text = draft.attachments > 0 ? smsWithLink(rendered.text, link) : rendered.text;
    const count = SmsSegments.count(text);
    const withoutLink = draft.attachments > 0 ? SmsSegments.count(rendered.text).segments : count.segments;
    return {
      channel,
      text,
      missing: rendered.missing,
      emptyGlobals: rendered.emptyGlobals,
      sms: { ...count, units: count.segments, linkUnits: count.segments - withoutLink },
    };
  }
  const subject = Variables.render(draft.emailSubject, recipient, values);
  const escaped = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, escapeHtml(value)]));
  const person = {
    firstName: recipient.firstName && escapeHtml(recipient.firstName),
    lastName: recipient.lastName && escapeHtml(recipient.lastName),
    email: recipient.email && escapeHtml(recipient.email),
    mobile: recipient.mobile,
  };
  const html = Variables.render(draft.emailHtml, person, escaped);
  return {
    channel,
    subject: subject.text,
    // Escaping does not make a value safe in an attribute (`href="%lien%"` with `javascript:…`):
    // the filled HTML is sanitised again, which drops unsafe schemes wherever they came from.
    html: sanitize(html.text),
    missing: [...new Set([...subject.missing, ...html.missing])],
    emptyGlobals: [...new Set([...subject.emptyGlobals, ...html.emptyGlobals])],
  };
}

/**
 * What the composer shows before sending, and `POST /api/campaigns/preview` answers: per recipient the
 * channel, the rendered text, encoding, characters, segments and units; totals and cost.
 */
export async function preview(input: Draft, options: { limit?: number } = {}) {
  const parsed = Draft.parse(input);
  const draft = { ...parsed, emailHtml: sanitize(parsed.emailHtml) };
  const { recipients, rejected, listFields } = await resolve(draft.recipients);
  const company = await Company.current();
  const needed = Variables.customNames(draft.smsBody, draft.emailSubject, draft.emailHtml);
  const totals = {
    recipients: recipients.length,
    sms: 0,
    email: 0,
    excluded: 0,
    smsUnits: 0,
    costMillicents: 0,
  };
  const missing = new Set<string>();
  /** How many recipients lack each global the body uses (no fallback word given). */
  const emptyGlobals = new Map<string, number>();
  const rows = recipients.map((recipient) => {
    const routed = channelFor(recipient, draft);
    const name = [recipient.firstName, recipient.lastName].filter(Boolean).join(" ") || undefined;
    const base = {
      key: recipient.key,
      contactId: recipient.contactId,
      name,
      mobile: recipient.mobile,
      email: recipient.email,
    };
    if (!routed.channel) {
      totals.excluded++;
      return { ...base, channel: null, excludedReason: routed.reason };
    }
    const rendered = renderFor(recipient, draft, routed.channel);
    for (const name of rendered.missing) missing.add(name);
    for (const name of rendered.emptyGlobals) emptyGlobals.set(name, (emptyGlobals.get(name) ?? 0) + 1);
    if (rendered.channel === "sms") {
      totals.sms++;
      totals.smsUnits += rendered.sms.units;
    } else totals.email++;
    return { ...base, ...rendered };
  });
  // Priced per destination: the company's own price in France, the table's elsewhere (pricing.ts).
  totals.costMillicents = rows.reduce((sum, row) => {
    if (row.channel !== "sms" || !("sms" in row) || !row.mobile) return sum;
    const unit = Pricing.unitPriceFor(Pricing.countryOf(row.mobile), company.smsUnitPriceMillicents);
    return sum + row.sms.units * unit;
  }, 0);
  return {
    totals,
    variables: {
      needed,
      fromLists: listFields,
      missing: [...missing],
      emptyGlobals: [...emptyGlobals].map(([name, recipients]) => ({ name, recipients })),
    },
    rejected,
    recipients: rows.slice(0, options.limit ?? rows.length),
    truncated: rows.length > (options.limit ?? rows.length),
  };
}
