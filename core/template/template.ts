import { ulid } from "ulid";
import * as z from "zod";
import { canSeeAgency, forbidden } from "../access";
import { useCompanyId, useUser } from "../actor";
import { Agency } from "../agency";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Variables } from "../message";
import { fold } from "../text";
import { sanitize, toText } from "./html";
import { FavouriteEntity, messageKinds, TemplateEntity, templateScopes } from "./template.entity";

export const Scope = z.enum(templateScopes);
export const Kind = z.enum(messageKinds);

export const Info = z.object({
  templateId: z.string(),
  name: z.string(),
  kind: Kind,
  smsBody: z.string(),
  emailSubject: z.string(),
  emailHtml: z.string(),
  emailText: z.string(),
  scope: Scope,
  agencyId: z.string().optional(),
  owner: z.object({ userId: z.string(), name: z.string() }),
  favourite: z.boolean(),
  /** Custom variables the template needs (`%lieu%` → "lieu"). */
  variables: z.array(z.string()),
  canEdit: z.boolean(),
  updatedAt: z.string(),
});
export type Info = z.infer<typeof Info>;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof TemplateEntity.get>["go"]>>["data"]>;
type UserActor = ReturnType<typeof useUser>;
type Scoped = { scope: z.infer<typeof Scope>; ownerId: string; agencyId?: string };

function canSee(actor: UserActor, row: Scoped) {
  if (row.scope === "company") return true;
  if (row.scope === "agency") return row.agencyId !== undefined && canSeeAgency(actor, row.agencyId);
  return row.ownerId === actor.userId;
}

/** Personal: its owner. Agency: Managers of that agency and Admins. Company: Admins. */
function canWrite(actor: UserActor, row: Scoped) {
  if (row.scope === "personal") return row.ownerId === actor.userId;
  if (row.scope === "agency") {
    return (
      actor.role === "admin" ||
      (actor.role === "manager" && row.agencyId !== undefined && actor.agencyIds.includes(row.agencyId))
    );
  }
  return actor.role === "admin";
}

const toInfo = (row: Row, favourite: boolean, actor: UserActor): Info => ({
  templateId: row.templateId,
  name: row.name,
  kind: row.kind,
  smsBody: row.smsBody,
  emailSubject: row.emailSubject,
  emailHtml: row.emailHtml,
  emailText: row.emailText,
  scope: row.scope,
  agencyId: row.agencyId,
  owner: { userId: row.ownerId, name: row.ownerName },
  favourite,
  variables: Variables.customNames(row.smsBody, row.emailSubject, row.emailHtml),
  canEdit: canWrite(actor, row),
  updatedAt: row.updatedAt,
});

async function favourites(actor: UserActor) {
  const result = await FavouriteEntity.query
    .byUser({ companyId: actor.companyId, userId: actor.userId })
    .go({ pages: "all" });
  return new Set(result.data.map((item) => item.templateId));
}

async function visible(templateId: string) {
  const actor = useUser();
  const found = await TemplateEntity.get({ companyId: useCompanyId(), templateId }).go();
  if (!found.data || !canSee(actor, found.data))
    throw new VisibleError("template.not_found", "Template not found", 404);
  return found.data;
}

export const Content = z.object({
  name: z.string().trim().min(1, "Name is required").max(120),
  kind: Kind,
  smsBody: z.string().max(1600).default(""),
  emailSubject: z.string().max(200).default(""),
  emailHtml: z.string().max(100_000).default(""),
  scope: Scope,
  agencyId: z.string().max(64).optional(),
});

async function checkScope(actor: UserActor, input: { scope: z.infer<typeof Scope>; agencyId?: string }) {
  if (input.scope === "agency") {
    if (!input.agencyId)
      throw new VisibleError("template.agency_required", "Pick the agency to share with", 400);
    await Agency.assertUsable([input.agencyId]);
  }
  const probe = { scope: input.scope, ownerId: actor.userId, agencyId: input.agencyId };
  if (!canWrite(actor, probe)) forbidden("Your role cannot save templates with this scope");
}

export const create = fn(Content, async (input) => {
  const actor = useUser();
  await checkScope(actor, input);
  if (!input.smsBody.trim() && !input.emailHtml.trim()) {
    throw new VisibleError("template.empty", "Write an SMS text or an email", 400);
  }
  const emailHtml = sanitize(input.emailHtml);
  const created = await TemplateEntity.create({
    companyId: useCompanyId(),
    templateId: ulid(),
    name: input.name,
    kind: input.kind,
    smsBody: input.smsBody,
    emailSubject: input.emailSubject,
    emailHtml,
    emailText: toText(emailHtml),
    scope: input.scope,
    agencyId: input.scope === "agency" ? input.agencyId : undefined,
    ownerId: actor.userId,
    ownerName: actor.name,
  }).go();
  return toInfo(created.data, false, actor);
});

export const update = fn(
  Content.partial().extend({ templateId: z.string() }),
  async ({ templateId, ...patch }) => {
    const actor = useUser();
    const row = await visible(templateId);
    if (!canWrite(actor, row)) forbidden("You cannot edit this template");
    const scope = patch.scope ?? row.scope;
    const agencyId = scope === "agency" ? (patch.agencyId ?? row.agencyId) : undefined;
    if (patch.scope || patch.agencyId) await checkScope(actor, { scope, agencyId });
    const emailHtml = patch.emailHtml === undefined ? undefined : sanitize(patch.emailHtml);
    const set = Object.fromEntries(
      Object.entries({
        name: patch.name,
        kind: patch.kind,
        smsBody: patch.smsBody,
        emailSubject: patch.emailSubject,
        emailHtml,
        emailText: emailHtml === undefined ? undefined : toText(emailHtml),
        scope,
      }).filter(([, value]) => value !== undefined),
    );
    const operation = TemplateEntity.patch({ companyId: useCompanyId(), templateId }).set(
      agencyId ? { ...set, agencyId } : set,
    );
    await (agencyId ? operation : operation.remove(["agencyId"])).go();
    return fromId(templateId);
  },
);

export const fromId = fn(z.string(), async (templateId) => {
  const actor = useUser();
  const row = await visible(templateId);
  return toInfo(row, (await favourites(actor)).has(templateId), actor);
});

export const duplicate = fn(z.string(), async (templateId) => {
  const row = await visible(templateId);
  return create({
    name: `${row.name} (copie)`,
    kind: row.kind,
    smsBody: row.smsBody,
    emailSubject: row.emailSubject,
    emailHtml: row.emailHtml,
    scope: "personal",
  });
});

export const remove = fn(z.string(), async (templateId) => {
  const actor = useUser();
  const row = await visible(templateId);
  if (!canWrite(actor, row)) forbidden("You cannot delete this template");
  await TemplateEntity.delete({ companyId: useCompanyId(), templateId }).go();
});

export const setFavourite = fn(
  z.object({ templateId: z.string(), favourite: z.boolean() }),
  async (input) => {
    const actor = useUser();
    await visible(input.templateId);
    const key = { companyId: actor.companyId, userId: actor.userId, templateId: input.templateId };
    if (input.favourite) await FavouriteEntity.put(key).go();
    else await FavouriteEntity.delete(key).go();
    return fromId(input.templateId);
  },
);

/** The picker: Favoris, Mes modèles, Entreprise or all, searched by name or text. */
export const list = fn(
  z.object({
    filter: z.enum(["favourites", "mine", "company", "all"]).default("all"),
    search: z.string().trim().max(100).optional(),
    kind: Kind.optional(),
  }),
  async (input) => {
    const actor = useUser();
    const [result, starred] = await Promise.all([
      TemplateEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" }),
      favourites(actor),
    ]);
    const needle = input.search ? fold(input.search) : undefined;
    return result.data
      .filter((row) => canSee(actor, row))
      .filter((row) => input.filter !== "favourites" || starred.has(row.templateId))
      .filter((row) => input.filter !== "mine" || row.ownerId === actor.userId)
      .filter((row) => input.filter !== "company" || row.scope === "company")
      .filter((row) => !input.kind || row.kind === input.kind)
      .filter(
        (row) =>
          !needle || fold(`${row.name} ${row.smsBody} ${row.emailSubject} ${row.emailText}`).includes(needle),
      )
      .map((row) => toInfo(row, starred.has(row.templateId), actor))
      .sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name, "fr"));
  },
);
