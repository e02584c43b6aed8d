import { type AuditEntry, type AuditType, auditTypes } from "../accounts/types";
import { formatDateTimeMedium, formatDayMedium, formatNumber } from "../i18n/format";
import { isMessageKey, type Locale, type MessageKey, translate } from "../i18n/messages";

/** Names the console already loads, so that details read « Agence Lyon » rather than an id. */
export type Names = { agencies: ReadonlyMap<string, string> };

export type Field = { key: string; label: string; value: string };

type Context = { locale: Locale; names: Names };

const ulid = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
const ulidInText = /\b[0-9A-HJKMNP-TV-Z]{26}\b/gi;
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const day = /^\d{4}-\d{2}-\d{2}$/;

/** Ids that say nothing to a person, and the technical queue name: the entry's target already tells. */
const hidden = new Set(["linkId", "listId", "partnerId", "duplicatedFrom", "queue", "by"]);

export function auditTypeLabel(locale: Locale, type: string): string {
  const key = `audit.type.${type}`;
  return isMessageKey(key) ? translate(locale, key) : type;
}

const groupOf = (type: string) => type.split(".")[0] ?? type;

/** Every type the API records (the list both sides import), grouped by subject, groups and types by label. */
export function groupedTypes(locale: Locale) {
  const collator = new Intl.Collator(locale);
  const groups = new Map<string, AuditType[]>();
  for (const type of auditTypes) groups.set(groupOf(type), [...(groups.get(groupOf(type)) ?? []), type]);
  return [...groups.entries()]
    .map(([group, types]) => ({
      group,
      label: label(locale, `audit.group.${group}`, group),
      types: types
        .map((type) => ({ type, label: auditTypeLabel(locale, type) }))
        .sort((a, b) => collator.compare(a.label, b.label)),
    }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

function label(locale: Locale, key: string, fallback: string): string {
  return isMessageKey(key) ? translate(locale, key as MessageKey) : fallback;
}

/** The target in words: its kind, then its name with any id taken out (« Échec technique · send »). */
export function targetText(locale: Locale, target: NonNullable<AuditEntry["target"]>): string {
  const kind = label(locale, `audit.target.${target.type}`, "");
  const name = target.label.replace(ulidInText, "").replace(/\s+/g, " ").trim();
  return [kind, name].filter(Boolean).join(" · ") || "—";
}

/** One value in words, or undefined when all it holds is an id nobody can read. */
function valueText(key: string, value: unknown, context: Context): string | undefined {
  const { locale, names } = context;
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "boolean") return translate(locale, value ? "audit.value.yes" : "audit.value.no");
  if (typeof value === "number") return formatNumber(value, locale);
  if (Array.isArray(value)) {
    const parts = value.map((item) => valueText(key, item, context)).filter((part) => part !== undefined);
    return parts.length > 0 ? parts.join(", ") : undefined;
  }
  if (typeof value === "object") {
    const parts = fieldsOf(value as Record<string, unknown>, context).map((f) => `${f.label} : ${f.value}`);
    return parts.length > 0 ? parts.join(", ") : undefined;
  }
  const text = String(value);
  if (key === "agencyId" || key === "agencyIds")
    return names.agencies.get(text) ?? translate(locale, "audit.value.unknownAgency");
  if (key === "logoKey") return translate(locale, "audit.value.newLogo");
  if (ulid.test(text)) return undefined;
  if (instant.test(text)) return formatDateTimeMedium(text, locale);
  if (day.test(text)) return formatDayMedium(text, locale);
  if (key === "role" || key === "urgentRoles") return label(locale, `role.${text}`, text);
  if (key === "smsCountries") return new Intl.DisplayNames([locale], { type: "region" }).of(text) ?? text;
  return label(locale, `audit.value.${key}.${text}`, text);
}

function fieldLabel(locale: Locale, key: string): string {
  return label(locale, `audit.field.${key}`, key);
}

function fieldsOf(details: Record<string, unknown>, context: Context): Field[] {
  const fields: Field[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (hidden.has(key)) continue;
    const text = valueText(key, value, context);
    if (text !== undefined) fields.push({ key, label: fieldLabel(context.locale, key), value: text });
  }
  return fields;
}

/**
 * `details` as named fields: `{ changes: { role: "manager" } }` → « Rôle : Manager »; before and after
 * as « Nom : Agence Lyon → Agence Lyon Centre » for what changed only; ids as names, or left out.
 */
export function detailFields(details: Record<string, unknown> | undefined, context: Context): Field[] {
  if (!details) return [];
  const { before, after, changes, ...rest } = details as Record<string, unknown> & {
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
    changes?: Record<string, unknown>;
  };
  const fields: Field[] = [];
  if (isRecord(before) || isRecord(after)) {
    const was = isRecord(before) ? before : {};
    const now = isRecord(after) ? after : {};
    for (const key of new Set([...Object.keys(now), ...Object.keys(was)])) {
      if (hidden.has(key) || key === "agencyId" || !(key in now)) continue;
      if (JSON.stringify(was[key]) === JSON.stringify(now[key])) continue;
      const from = valueText(key, was[key], context) ?? "—";
      const to = valueText(key, now[key], context) ?? "—";
      fields.push({ key, label: fieldLabel(context.locale, key), value: `${from} → ${to}` });
    }
  }
  if (isRecord(changes)) fields.push(...fieldsOf(changes, context));
  fields.push(...fieldsOf(rest, context));
  return fields;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Sign-ins and password events are done by the person they concern, who is then only the target. */
export function actorName(entry: AuditEntry): string | undefined {
  if (entry.actor) return entry.actor.name;
  if (entry.type.startsWith("auth.") && entry.target?.type === "user") return entry.target.label;
  return undefined;
}
