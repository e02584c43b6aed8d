import * as z from "zod";
import { type Actor, useOperator, withActor } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { Company } from "../company";
import { CompanyEntity } from "../company/company.entity";
import * as Parking from "../company/parking";
import { type State, states } from "../company/state";
import { defaultMonthlyCapMillicents } from "../delivery/pricing";
import { checkIdentities, defaultRates } from "../delivery/settings";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Invitation } from "../invitation";
import * as Job from "../job";
import * as Sms from "../platform/sms";
import * as Storage from "../platform/storage";
import { User } from "../user";
import * as OperatorAudit from "./audit";
import * as Erasure from "./erasure";

export const Summary = z.object({
  companyId: z.string(),
  code: z.string(),
  name: z.string(),
  plan: z.string(),
  state: z.enum(states),
  createdAt: z.string(),
});
export type Summary = z.infer<typeof Summary>;

export const Terms = z.object({
  smsUnitPriceMillicents: z.number().int().min(0).max(1_000_000),
  emailPriceMillicents: z.number().int().min(0).max(1_000_000),
  monthlyCapMillicents: z.number().int().min(0).max(100_000_000_000),
  perSecond: z.object({ sms: z.number().int().min(0).max(1000), email: z.number().int().min(0).max(1000) }),
});
export type Terms = z.infer<typeof Terms>;

export const Identity = z.object({
  value: z.string(),
  /** From End User Messaging: whether the account owns it, its state and its registration's status. */
  found: z.boolean(),
  status: z.string().optional(),
  twoWay: z.boolean().optional(),
  registrationId: z.string().optional(),
  registrationStatus: z.string().optional(),
});

export const Detail = Summary.extend({
  terms: Terms,
  identities: z.object({ senderId: Identity.optional(), replyNumber: Identity.optional() }),
  stateChangedAt: z.string().optional(),
  erasureAt: z.string().optional(),
  erasedAt: z.string().optional(),
  /** Sending jobs waiting for reactivation. */
  parkedJobs: z.number().int(),
  /** A closed company's export (contacts, campaigns, messages): a signed link valid one hour. */
  exportUrl: z.string().optional(),
});
export type Detail = z.infer<typeof Detail>;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof CompanyEntity.get>["go"]>>["data"]>;

const summaryOf = (row: Row): Summary => ({
  companyId: row.companyId,
  code: row.code,
  name: row.name,
  plan: row.plan ?? "standard",
  state: row.state ?? "active",
  createdAt: row.createdAt,
});

async function rowOf(companyId: string) {
  const { data } = await CompanyEntity.get({ companyId }).go();
  if (!data) throw new VisibleError("company.not_found", "Company not found", 404);
  return data;
}

/**
 * Runs `act` inside the company as the operator, seen there as a company-wide Admin named « Opérateur
 * <name> » (id `operator:<id>`): what it records (an invitation, an audit entry) names the operator.
 */
function asOperatorIn<T>(companyId: string, act: () => Promise<T>) {
  const operator = useOperator();
  const actor: Actor = {
    type: "user",
    companyId,
    userId: `operator:${operator.operatorId}`,
    role: "admin",
    agencyIds: [],
    name: `Opérateur ${operator.name}`,
  };
  return withActor(actor, act);
}

/** The same action in the operators' log and in the company's own. */
async function audited(
  row: { companyId: string; name: string },
  type:
    | "company.created"
    | "company.suspended"
    | "company.reactivated"
    | "company.closed"
    | "company.terms_updated",
  details?: Record<string, unknown>,
) {
  await OperatorAudit.record(type, { company: { companyId: row.companyId, name: row.name }, details });
  await asOperatorIn(row.companyId, () =>
    Audit.record(type, { target: { type: "company", id: row.companyId, label: row.name }, details }),
  );
}

export async function list(): Promise<Summary[]> {
  useOperator();
  const { data } = await CompanyEntity.query.all({}).go({ pages: "all" });
  return data.map(summaryOf);
}

export const NewCompany = z.object({
  code: Company.Code,
  name: z.string().trim().min(1).max(120),
  plan: z.string().trim().min(1).max(40).default("standard"),
  admin: z.object({
    email: User.Email,
    firstName: z.string().trim().max(80).optional(),
    lastName: z.string().trim().max(80).optional(),
  }),
});

/**
 * A new company with its first agency (« Siège »), and its first Admin invited by email through the
 * usual invitation (they choose their password from the link).
 */
export const create = fn(NewCompany, async (input) => {
  useOperator();
  const companyId = await Company.create({ code: input.code, name: input.name });
  await CompanyEntity.patch({ companyId }).set({ plan: input.plan, state: "active" }).go();
  const agency = await withActor({ type: "system", companyId, reason: "operator" }, () =>
    Agency.createFirst("Siège"),
  );
  const invitation = await asOperatorIn(companyId, () =>
    Invitation.create({
      channel: "email",
      email: input.admin.email,
      firstName: input.admin.firstName,
      lastName: input.admin.lastName,
      role: "admin",
      agencyIds: [agency.agencyId],
    }),
  );
  await audited({ companyId, name: input.name }, "company.created", {
    code: input.code,
    plan: input.plan,
    admin: input.admin.email,
  });
  return { companyId, invitationId: invitation.invitationId };
});

async function identity(kind: "senderId" | "replyNumber", value: string | undefined) {
  if (!value) return undefined;
  const found =
    kind === "senderId"
      ? await Sms.senderIdStatus(value).then(
          (sender) => sender && { status: sender.registered ? "REGISTERED" : "UNREGISTERED", ...sender },
        )
      : await Sms.phoneNumberStatus(value);
  if (!found) return { value, found: false };
  const registrationStatus = found.registrationId
    ? (await Sms.registrationStatuses([found.registrationId])).get(found.registrationId)
    : undefined;
  return {
    value,
    found: true,
    status: found.status,
    twoWay: "twoWay" in found ? found.twoWay : undefined,
    registrationId: found.registrationId,
    registrationStatus,
  };
}

export const detail = fn(z.string().min(1).max(40), async (companyId): Promise<Detail> => {
  useOperator();
  const row = await rowOf(companyId);
  const [senderId, replyNumber, parkedJobs] = await Promise.all([
    identity("senderId", row.smsSenderId),
    identity("replyNumber", row.smsReplyNumber),
    Parking.parkedCount(companyId),
  ]);
  return {
    ...summaryOf(row),
    terms: {
      smsUnitPriceMillicents: row.smsUnitPriceMillicents ?? 4500,
      emailPriceMillicents: row.emailPriceMillicents ?? 0,
      monthlyCapMillicents: row.smsMonthlyCapMillicents ?? defaultMonthlyCapMillicents,
      perSecond: {
        sms: row.smsPerSecondMax ?? row.smsPerSecond ?? defaultRates.sms,
        email: row.emailsPerSecondMax ?? row.emailsPerSecond ?? defaultRates.email,
      },
    },
    identities: { senderId, replyNumber },
    stateChangedAt: row.stateChangedAt,
    erasureAt: row.erasureAt,
    erasedAt: row.erasedAt,
    parkedJobs,
    exportUrl: row.exportKey
      ? await Storage.presignDownload("attachments", row.exportKey, { expiresIn: 3600 })
      : undefined,
  };
});

export const TermsUpdate = z
  .object({
    plan: z.string().trim().min(1).max(40).optional(),
    smsUnitPriceMillicents: Terms.shape.smsUnitPriceMillicents.optional(),
    emailPriceMillicents: Terms.shape.emailPriceMillicents.optional(),
    monthlyCapMillicents: Terms.shape.monthlyCapMillicents.optional(),
    perSecond: Terms.shape.perSecond.partial().optional(),
    /** The SMS identities assigned; null removes one. Checked with End User Messaging. */
    senderId: z
      .string()
      .trim()
      .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/, "3 to 11 letters or digits, at least one letter")
      .nullable()
      .optional(),
    replyNumber: z
      .string()
      .trim()
      .regex(/^\+\d{8,15}$/, "An international number such as +33700000000")
      .nullable()
      .optional(),
  })
  .strict();

/** The company's terms and SMS identities: operators only (Admins see them read-only). */
export const setTerms = fn(
  z.object({ companyId: z.string().min(1).max(40), terms: TermsUpdate }),
  async ({ companyId, terms }) => {
    useOperator();
    const row = await rowOf(companyId);
    await checkIdentities(terms);
    const set = {
      plan: terms.plan,
      smsUnitPriceMillicents: terms.smsUnitPriceMillicents,
      emailPriceMillicents: terms.emailPriceMillicents,
      smsMonthlyCapMillicents: terms.monthlyCapMillicents,
      // The operator's rate is both the company's rate and its ceiling (core/delivery/settings.ts).
      smsPerSecond: terms.perSecond?.sms,
      emailsPerSecond: terms.perSecond?.email,
      smsPerSecondMax: terms.perSecond?.sms,
      emailsPerSecondMax: terms.perSecond?.email,
      smsSenderId: terms.senderId ?? undefined,
      smsReplyNumber: terms.replyNumber ?? undefined,
    };
    const changes = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
    const removed = [
      ...(terms.senderId === null ? (["smsSenderId"] as const) : []),
      ...(terms.replyNumber === null ? (["smsReplyNumber"] as const) : []),
    ];
    let patch = CompanyEntity.patch({ companyId }).set(changes);
    if (removed.length > 0) patch = patch.remove([...removed]);
    await patch.go({ response: "none" });
    await audited(row, "company.terms_updated", { changes: terms });
    return detail(companyId);
  },
);

/** Moves a company between states, on condition that it is still in the expected one. */
async function move(companyId: string, from: State[], to: State, extra: Record<string, string> = {}) {
  const row = await rowOf(companyId);
  const state = row.state ?? "active";
  if (!from.includes(state))
    throw new VisibleError("company.state_invalid", `The company is ${state}; it cannot become ${to}`, 409);
  await CompanyEntity.patch({ companyId })
    .set({ state: to, stateChangedAt: new Date().toISOString(), ...extra })
    .where(({ state }, { eq, notExists }) =>
      from
        // Companies never touched by an operator have no state: they are active.
        .map((value) => (value === "active" ? `${notExists(state)} OR ` : "") + eq(state, value as State))
        .join(" OR "),
    )
    .go();
  return row;
}

/** Sign-in refused (console, partner space, API keys) and sends parked until reactivation. */
export const suspend = fn(
  z.object({ companyId: z.string().min(1).max(40), reason: z.string().trim().max(500).optional() }),
  async ({ companyId, reason }) => {
    useOperator();
    const row = await move(companyId, ["active"], "suspended");
    await audited(row, "company.suspended", reason ? { reason } : undefined);
    return detail(companyId);
  },
);

/** Back to active: every parked send goes out again. */
export const reactivate = fn(z.string().min(1).max(40), async (companyId) => {
  useOperator();
  const row = await move(companyId, ["suspended"], "active");
  const released = await Parking.release(companyId);
  await audited(row, "company.reactivated", { released });
  return detail(companyId);
});

/** Days between closing and erasure: the customer's time to take their export. */
export const graceDays = 30;

/**
 * Closing: sign-in refused and sends parked for good, the erasure date set, and the customer's export
 * made by a job (its link on the company page). At that date a schedule runs the erasure
 * (core/operator/erasure.ts).
 */
export const close = fn(
  z.object({ companyId: z.string().min(1).max(40), reason: z.string().trim().max(500).optional() }),
  async ({ companyId, reason }) => {
    useOperator();
    const erasureAt = new Date(Date.now() + graceDays * 86_400_000).toISOString();
    const row = await move(companyId, ["active", "suspended"], "closing", { erasureAt });
    await Job.enqueue({ kind: "company.export", companyId });
    await Erasure.schedule(companyId, new Date(erasureAt));
    await audited(row, "company.closed", { erasureAt, ...(reason ? { reason } : {}) });
    return detail(companyId);
  },
);
