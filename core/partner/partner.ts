import { monotonicFactory } from "ulid";
import * as z from "zod";
import { useCompanyId, useRole } from "../actor";
import { Audit } from "../audit";
import { ContactKeyEntity } from "../contact/contact.entity";
import { isConditionalFailure, type TransactItem, transactWrite, write } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Phone } from "../phone";
import { fold } from "../text";
import {
  languages,
  PartnerCategoryEntity,
  PartnerEntity,
  PartnerKeyEntity,
  PartnerLoginEntity,
  partnerChannels,
  partnerKinds,
} from "./partner.entity";

const ulid = monotonicFactory();

/** Who manages partners and their documents: payslips and contracts are not for every recruiter. */
export const useManager = () => useRole("admin", "manager");

export const Category = z.object({ categoryId: z.string(), name: z.string(), staff: z.boolean() });
export type Category = z.infer<typeof Category>;

/** Seeded for every company the first time its categories are read; ids are stable so seeding twice is harmless. */
export const defaultCategories: Category[] = [
  { categoryId: "interimaire", name: "Intérimaire", staff: false },
  { categoryId: "salarie-structure", name: "Salarié structure", staff: true },
  { categoryId: "client", name: "Client", staff: false },
  { categoryId: "sous-traitant", name: "Sous-traitant", staff: false },
  { categoryId: "deja-en-relation", name: "Déjà en relation", staff: false },
];

export async function categories(): Promise<Category[]> {
  const companyId = useCompanyId();
  const found = await PartnerCategoryEntity.query.byCompany({ companyId }).go({ pages: "all" });
  if (found.data.length > 0)
    return found.data.map(({ categoryId, name, staff }) => ({ categoryId, name, staff }));
  await PartnerCategoryEntity.put(defaultCategories.map((category) => ({ companyId, ...category }))).go();
  return defaultCategories;
}

export const NewCategory = z.object({
  name: z.string().trim().min(1, "Name is required").max(60),
  staff: z.boolean().default(false),
});

export const createCategory = fn(NewCategory, async (input) => {
  useRole("admin");
  const companyId = useCompanyId();
  const existing = await categories();
  if (existing.some((category) => fold(category.name) === fold(input.name)))
    throw new VisibleError("partner.category_exists", `The category ${input.name} already exists`, 409);
  const categoryId = ulid();
  await PartnerCategoryEntity.create({ companyId, categoryId, ...input }).go();
  return { categoryId, ...input };
});

export const Info = z.object({
  partnerId: z.string(),
  kind: z.enum(partnerKinds),
  name: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  organisation: z.string().optional(),
  matricule: z.string().optional(),
  categoryIds: z.array(z.string()),
  mobile: z.string().optional(),
  email: z.string().optional(),
  contactId: z.string().optional(),
  preferredChannel: z.enum(partnerChannels).optional(),
  language: z.enum(languages),
  createdAt: z.string(),
});
export type Info = z.infer<typeof Info>;

export type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof PartnerEntity.get>["go"]>>["data"]>;

export const nameOf = (row: { kind: string; firstName?: string; lastName?: string; organisation?: string }) =>
  (row.kind === "organisation"
    ? row.organisation
    : [row.firstName, row.lastName].filter(Boolean).join(" ")) || "—";

export const toInfo = (row: Row): Info => ({
  partnerId: row.partnerId,
  kind: row.kind,
  name: nameOf(row),
  firstName: row.firstName,
  lastName: row.lastName,
  organisation: row.organisation,
  matricule: row.matricule,
  categoryIds: [...(row.categoryIds ?? [])].sort(),
  mobile: row.mobile,
  email: row.email,
  contactId: row.contactId,
  preferredChannel: row.preferredChannel,
  language: row.language,
  createdAt: row.createdAt,
});

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => value || undefined);

export const Input = z.object({
  kind: z.enum(partnerKinds).default("person"),
  firstName: optionalText(80),
  lastName: optionalText(80),
  organisation: optionalText(120),
  matricule: optionalText(40),
  categoryIds: z.array(z.string().max(64)).min(1, "Pick at least one category").max(20),
  mobile: optionalText(40),
  email: optionalText(254),
  preferredChannel: z.enum(partnerChannels).optional(),
  language: z.enum(languages).default("fr"),
});
export type Input = z.input<typeof Input>;

const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** An address a partner signs in with: a mobile in E.164 or a lower-case email; undefined when neither. */
export function addressOf(typed: string): string | undefined {
  const trimmed = typed.trim();
  if (trimmed.includes("@")) return emailPattern.test(trimmed) ? trimmed.toLowerCase() : undefined;
  return Phone.mobile(trimmed);
}

const invalid = (path: string, message: string) =>
  new VisibleError("partner.invalid", message, 400, { fields: [{ path, message }] });

export type Clean = Omit<z.output<typeof Input>, "mobile" | "email"> & { mobile?: string; email?: string };

export async function normalise(input: z.output<typeof Input>, known?: Set<string>): Promise<Clean> {
  if (input.kind === "person" && !input.lastName && !input.firstName)
    throw invalid("lastName", "A name is required");
  if (input.kind === "organisation" && !input.organisation)
    throw invalid("organisation", "The organisation's name is required");
  const mobile = input.mobile ? Phone.mobile(input.mobile) : undefined;
  if (input.mobile && !mobile) throw invalid("mobile", `"${input.mobile}" is not a mobile number`);
  const email = input.email?.toLowerCase();
  if (email && !emailPattern.test(email)) throw invalid("email", `Invalid email "${input.email}"`);
  if (!mobile && !email)
    throw invalid("mobile", "A mobile or an email is required: it is how the partner signs in");
  const categoryIds = known ?? new Set((await categories()).map((category) => category.categoryId));
  const unknown = input.categoryIds.find((categoryId) => !categoryIds.has(categoryId));
  if (unknown) throw invalid("categoryIds", `Unknown category ${unknown}`);
  const preferredChannel = input.preferredChannel ?? (mobile ? "sms" : "email");
  if (preferredChannel === "sms" && !mobile) throw invalid("preferredChannel", "SMS needs a mobile");
  if (preferredChannel === "email" && !email) throw invalid("preferredChannel", "Email needs an address");
  return { ...input, mobile, email, preferredChannel, categoryIds: [...new Set(input.categoryIds)] };
}

/** The values a partner is unique by within its company, as key items. */
export const keysOf = (row: { matricule?: string; mobile?: string; email?: string }) =>
  [
    row.matricule ? `matricule#${fold(row.matricule).replace(/ /g, "")}` : undefined,
    row.mobile ? `mobile#${row.mobile}` : undefined,
    row.email ? `email#${row.email}` : undefined,
  ].filter((key): key is string => Boolean(key));

const addressesOf = (row: { mobile?: string; email?: string }) =>
  [row.mobile, row.email].filter((address): address is string => Boolean(address));

const nameKeyOf = (row: { kind: string; firstName?: string; lastName?: string; organisation?: string }) =>
  fold(
    row.kind === "organisation" ? (row.organisation ?? "") : `${row.lastName ?? ""} ${row.firstName ?? ""}`,
  )
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** 409 naming the field and the partner who holds it, so the console can open that partner instead. */
const exists = (row: Clean, held: Array<{ key: string; partnerId: string }>) => {
  const field = held[0]?.key.split("#")[0] ?? "matricule";
  return new VisibleError(
    "partner.exists",
    `Another partner already has this ${field === "matricule" ? "matricule" : field}`,
    409,
    {
      fields: [{ path: field, message: "Already used by another partner" }],
      matricule: row.matricule,
      partnerId: held[0]?.partnerId,
    },
  );
};

/** The contact holding the partner's number or email, if any: its messages and opt-outs are the partner's. */
async function contactFor(companyId: string, row: { mobile?: string; email?: string }) {
  for (const key of [row.mobile, row.email]) {
    if (!key) continue;
    const { data } = await ContactKeyEntity.get({ companyId, key }).go();
    if (data) return data.contactId;
  }
  return undefined;
}

export const create = fn(Input, async (input) => {
  useManager();
  const created = await insert(await normalise(input));
  await Audit.record("partner.created", {
    target: { type: "partner", id: created.partnerId, label: created.name },
  });
  return created;
});

/** Writes a checked partner with its keys and sign-in addresses, all or nothing (the import uses it too). */
export async function insert(clean: Clean): Promise<Info> {
  const companyId = useCompanyId();
  const partnerId = ulid();
  const contactId = await contactFor(companyId, clean);
  const row = { companyId, partnerId, ...clean, contactId, nameKey: nameKeyOf(clean) };
  const keys = keysOf(clean);
  try {
    await transactWrite([
      write.put(PartnerEntity.create(row).params()),
      ...keys.map((key) => write.put(PartnerKeyEntity.create({ companyId, key, partnerId }).params())),
      ...addressesOf(clean).map((address) =>
        write.put(PartnerLoginEntity.put({ address, companyId, partnerId }).params()),
      ),
    ]);
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    throw exists(clean, await takenKeys(companyId, keys));
  }
  return toInfo((await PartnerEntity.get({ companyId, partnerId }).go()).data!);
}

/** Keys (matricule, mobile, email) already held by a partner of the company, among `keys`. */
export async function taken(keys: string[]) {
  const companyId = useCompanyId();
  const found = new Set<string>();
  for (let start = 0; start < keys.length; start += 100) {
    const result = await PartnerKeyEntity.get(
      keys.slice(start, start + 100).map((key) => ({ companyId, key })),
    ).go();
    for (const item of result.data) found.add(item.key);
  }
  return found;
}

async function takenKeys(companyId: string, keys: string[], except?: string) {
  const held: Array<{ key: string; partnerId: string }> = [];
  for (const key of keys) {
    const { data } = await PartnerKeyEntity.get({ companyId, key }).go();
    if (data && data.partnerId !== except) held.push({ key, partnerId: data.partnerId });
  }
  return held;
}

export const notFound = () => new VisibleError("partner.not_found", "Partner not found", 404);

/** A partner of the acting company; erased ones are gone. */
export async function row(partnerId: string) {
  const { data } = await PartnerEntity.get({ companyId: useCompanyId(), partnerId }).go();
  if (!data || data.erasedAt) throw notFound();
  return data;
}

export const fromId = fn(z.string().max(64), async (partnerId) => {
  useManager();
  return toInfo(await row(partnerId));
});

export const UpdateInput = Input.extend({ partnerId: z.string().max(64) });

export const update = fn(UpdateInput, async ({ partnerId, ...input }) => {
  useManager();
  const companyId = useCompanyId();
  const before = await row(partnerId);
  const clean = await normalise(input);
  const oldKeys = new Set(keysOf(before));
  const newKeys = keysOf(clean);
  const oldAddresses = new Set(addressesOf(before));
  const newAddresses = addressesOf(clean);
  const writes: TransactItem[] = [
    write.update(
      PartnerEntity.patch({ companyId, partnerId })
        .set({
          ...clean,
          nameKey: nameKeyOf(clean),
          contactId: before.contactId ?? (await contactFor(companyId, clean)),
        })
        .remove(
          (["firstName", "lastName", "organisation", "matricule", "mobile", "email"] as const).filter(
            (field) => clean[field] === undefined && before[field] !== undefined,
          ),
        )
        .where(({ updatedAt }, { eq }) => eq(updatedAt, before.updatedAt))
        .params(),
    ),
    ...newKeys
      .filter((key) => !oldKeys.has(key))
      .map((key) => write.put(PartnerKeyEntity.create({ companyId, key, partnerId }).params())),
    ...[...oldKeys]
      .filter((key) => !newKeys.includes(key))
      .map((key) => write.remove(PartnerKeyEntity.delete({ companyId, key }).params())),
    ...newAddresses
      .filter((address) => !oldAddresses.has(address))
      .map((address) => write.put(PartnerLoginEntity.put({ address, companyId, partnerId }).params())),
    ...[...oldAddresses]
      .filter((address) => !newAddresses.includes(address))
      .map((address) => write.remove(PartnerLoginEntity.delete({ address, companyId, partnerId }).params())),
  ];
  try {
    await transactWrite(writes);
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    const taken = await takenKeys(companyId, newKeys, partnerId);
    if (taken.length > 0) throw exists(clean, taken);
    throw new VisibleError("partner.changed", "Someone changed this partner meanwhile: reload it", 409);
  }
  const updated = toInfo(await row(partnerId));
  await Audit.record("partner.updated", { target: { type: "partner", id: partnerId, label: updated.name } });
  return updated;
});

export const Filters = z.object({
  categoryId: z.string().max(64).optional(),
  q: z.string().max(100).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * A page of partners, newest first when nothing is filtered. A search or category reads the company's
 * partners page by page until the page is full (partners number in thousands, not in hundreds of thousands).
 */
export const list = fn(Filters, async (filters) => {
  useManager();
  const companyId = useCompanyId();
  const words = filters.q ? fold(filters.q).split(/\s+/).filter(Boolean) : [];
  const matches = (row: Row) => {
    if (row.erasedAt) return false;
    if (filters.categoryId && !row.categoryIds?.includes(filters.categoryId)) return false;
    const haystack = `${row.nameKey ?? ""} ${fold(row.matricule ?? "")} ${row.email ?? ""} ${row.mobile ?? ""}`;
    return words.every((word) => haystack.includes(word));
  };
  const items: Info[] = [];
  let cursor = filters.cursor;
  do {
    const page = await PartnerEntity.query
      .byCompany({ companyId })
      .go({ order: "desc", cursor, limit: words.length || filters.categoryId ? 500 : filters.limit });
    for (const found of page.data)
      if (matches(found) && items.length < filters.limit) items.push(toInfo(found));
    cursor = page.cursor ?? undefined;
    if (items.length >= filters.limit) break;
  } while (cursor);
  return { items, cursor: items.length >= filters.limit ? cursor : undefined };
});

/** Every live partner of the company, for matching file names in a bulk upload. */
export async function all(): Promise<Row[]> {
  const found = await PartnerEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  return found.data.filter((partner) => !partner.erasedAt);
}

/** Creates a partner from a contact the user can see, with its name, number and email. */
export const fromContact = fn(
  z.object({
    contactId: z.string().max(64),
    categoryIds: Input.shape.categoryIds,
    matricule: Input.shape.matricule,
  }),
  async (input) => {
    useManager();
    const { Contact } = await import("../contact");
    const contact = await Contact.fromId(input.contactId);
    return create({
      kind: "person",
      firstName: contact.firstName,
      lastName: contact.lastName,
      mobile: contact.smsCapable ? contact.mobile : undefined,
      email: contact.email,
      matricule: input.matricule,
      categoryIds: input.categoryIds,
      preferredChannel: contact.preferredChannel,
    });
  },
);

/** Partners the sign-in address belongs to, across companies (the partner space's lookup). */
export async function byAddress(address: string) {
  const found = await PartnerLoginEntity.query.byAddress({ address }).go({ limit: 20 });
  return found.data.map(({ companyId, partnerId }) => ({ companyId, partnerId }));
}
