import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId } from "../actor";
import { Audit } from "../audit";
import { Employee } from "../employee";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Partner } from "../partner";
import { PartnerEntity, PartnerKeyEntity } from "../partner/partner.entity";
import * as Storage from "../platform/storage";
import { assertImportable } from "../spreadsheet/importable";
import { fold } from "../text";
import { fileLimits, guessKey, type Named, readIdentifiers } from "./group-file";
import { StaffGroupEntity, StaffGroupMemberEntity } from "./staff-group.entity";

/** « Tous les salariés »: every employee, derived from the staff categories at each read. */
export const ALL = "tous";
export const allName = { fr: "Tous les salariés", en: "All employees" } as const;

export const Group = z.object({
  groupId: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  memberCount: z.number(),
});
export type Group = z.infer<typeof Group>;

export const Member = z.object({
  partnerId: z.string(),
  name: z.string(),
  matricule: z.string().optional(),
  mobile: z.string().optional(),
  email: z.string().optional(),
});
export type Member = z.infer<typeof Member>;

const notFound = () => new VisibleError("group.not_found", "Group not found", 404);

const toMember = (row: Partner.Row): Member => ({
  partnerId: row.partnerId,
  name: Partner.nameOf(row),
  matricule: row.matricule,
  mobile: row.mobile,
  email: row.email,
});

async function stored() {
  const found = await StaffGroupEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  return found.data;
}

async function memberIds(groupId: string) {
  const found = await StaffGroupMemberEntity.query
    .byGroup({ companyId: useCompanyId(), groupId })
    .go({ pages: "all" });
  return found.data.map((member) => member.partnerId);
}

/** Partners by id, staff and live only: someone who left the staff categories leaves every group. */
export async function employeesById(partnerIds: string[]) {
  const companyId = useCompanyId();
  const ids = [...new Set(partnerIds)];
  const staff = await Employee.staffCategories();
  const rows: Partner.Row[] = [];
  for (let start = 0; start < ids.length; start += 100) {
    const found = await PartnerEntity.get(
      ids.slice(start, start + 100).map((partnerId) => ({ companyId, partnerId })),
    ).go();
    rows.push(...found.data.filter((row) => Employee.isStaff(row, staff)));
  }
  return rows;
}

/** The company's groups, « Tous les salariés » first. */
export const list = async (): Promise<Group[]> => {
  Partner.useManager();
  const [everyone, groups] = await Promise.all([Employee.all(), stored()]);
  const counted = await Promise.all(
    groups.map(async (group) => ({
      groupId: group.groupId,
      name: group.name,
      builtIn: false,
      memberCount: (await employeesById(await memberIds(group.groupId))).length,
    })),
  );
  counted.sort((a, b) => a.name.localeCompare(b.name, "fr"));
  return [{ groupId: ALL, name: allName.fr, builtIn: true, memberCount: everyone.length }, ...counted];
};

export const fromId = fn(z.string().max(64), async (groupId) => {
  Partner.useManager();
  if (groupId === ALL)
    return { groupId, name: allName.fr, builtIn: true, memberCount: (await Employee.all()).length };
  const { data } = await StaffGroupEntity.get({ companyId: useCompanyId(), groupId }).go();
  if (!data) throw notFound();
  const members = await employeesById(await memberIds(groupId));
  return { groupId, name: data.name, builtIn: false, memberCount: members.length };
});

export const NewGroup = z.object({ name: z.string().trim().min(1, "Name is required").max(80) });

export const create = fn(NewGroup, async ({ name }) => {
  Partner.useManager();
  const companyId = useCompanyId();
  const taken = (await stored()).some((group) => fold(group.name) === fold(name));
  if (taken || fold(name) === fold(allName.fr))
    throw new VisibleError("group.exists", `The group ${name} already exists`, 409);
  const groupId = ulid();
  await StaffGroupEntity.create({ companyId, groupId, name }).go();
  await Audit.record("employee.group_created", { target: { type: "group", id: groupId, label: name } });
  return { groupId, name, builtIn: false, memberCount: 0 };
});

const builtIn = () =>
  new VisibleError("group.built_in", "« Tous les salariés » follows the staff categories", 409);

export const rename = fn(NewGroup.extend({ groupId: z.string().max(64) }), async ({ groupId, name }) => {
  Partner.useManager();
  if (groupId === ALL) throw builtIn();
  await fromId(groupId);
  await StaffGroupEntity.patch({ companyId: useCompanyId(), groupId }).set({ name }).go();
  await Audit.record("employee.group_updated", { target: { type: "group", id: groupId, label: name } });
  return fromId(groupId);
});

export const remove = fn(z.string().max(64), async (groupId) => {
  Partner.useManager();
  if (groupId === ALL) throw builtIn();
  const group = await fromId(groupId);
  const companyId = useCompanyId();
  const ids = await memberIds(groupId);
  if (ids.length > 0)
    await StaffGroupMemberEntity.delete(ids.map((partnerId) => ({ companyId, groupId, partnerId }))).go();
  await StaffGroupEntity.delete({ companyId, groupId }).go();
  await Audit.record("employee.group_deleted", { target: { type: "group", id: groupId, label: group.name } });
});

export const MembersFilter = z.object({ groupId: z.string().max(64), q: z.string().max(100).optional() });

/** A group's employees by name, filtered by a search on name, matricule, mobile or email. */
export const members = fn(MembersFilter, async ({ groupId, q }) => {
  await fromId(groupId);
  const rows = groupId === ALL ? await Employee.all() : await employeesById(await memberIds(groupId));
  const words = q ? fold(q).split(/\s+/).filter(Boolean) : [];
  return rows
    .filter((row) => {
      const haystack = `${row.nameKey ?? ""} ${fold(row.matricule ?? "")} ${row.email ?? ""} ${row.mobile ?? ""}`;
      return words.every((word) => haystack.includes(word));
    })
    .map(toMember)
    .sort((a, b) => a.name.localeCompare(b.name, "fr"));
});

export const Change = z.object({
  groupId: z.string().max(64),
  partnerIds: z.array(z.string().max(64)).min(1).max(500),
});

/** Adds employees to a group; partners who are not employees of the company are refused by name. */
export const add = fn(Change, async ({ groupId, partnerIds }) => {
  Partner.useManager();
  if (groupId === ALL) throw builtIn();
  await fromId(groupId);
  const companyId = useCompanyId();
  const wanted = [...new Set(partnerIds)];
  const found = await employeesById(wanted);
  const known = new Set(found.map((row) => row.partnerId));
  const unknown = wanted.filter((partnerId) => !known.has(partnerId));
  if (unknown.length > 0)
    throw new VisibleError("group.not_employee", "Only employees (staff categories) can join a group", 404, {
      partnerIds: unknown,
    });
  await StaffGroupMemberEntity.put(wanted.map((partnerId) => ({ companyId, groupId, partnerId }))).go();
  return fromId(groupId);
});

export const removeMember = fn(
  z.object({ groupId: z.string().max(64), partnerId: z.string().max(64) }),
  async ({ groupId, partnerId }) => {
    Partner.useManager();
    if (groupId === ALL) throw builtIn();
    await fromId(groupId);
    await StaffGroupMemberEntity.delete({ companyId: useCompanyId(), groupId, partnerId }).go();
    return fromId(groupId);
  },
);

/** The groups a partner belongs to (« tous » when an employee); company ids come from the actor. */
export async function groupsOf(partnerId: string, isEmployee: boolean) {
  if (!isEmployee) return new Set<string>();
  const companyId = useCompanyId();
  const groups = await stored();
  const mine = new Set<string>([ALL]);
  for (let start = 0; start < groups.length; start += 100) {
    const found = await StaffGroupMemberEntity.get(
      groups.slice(start, start + 100).map(({ groupId }) => ({ companyId, groupId, partnerId })),
    ).go();
    for (const member of found.data) mine.add(member.groupId);
  }
  return mine;
}

/** Checks group ids of the company exist (for targeting); unknown ones are a 404. */
export async function assertExist(groupIds: string[]) {
  const known = new Set([ALL, ...(await stored()).map((group) => group.groupId)]);
  const unknown = groupIds.find((groupId) => !known.has(groupId));
  if (unknown) throw notFound();
}

/** Every employee in at least one of the groups, once each. */
export async function employeesOf(groupIds: string[]) {
  if (groupIds.includes(ALL)) return Employee.all();
  const ids = (await Promise.all([...new Set(groupIds)].map(memberIds))).flat();
  return employeesById(ids);
}

export const Paste = z.object({ groupId: z.string().max(64), text: z.string().max(200_000) });

/** A group whose members may change: a stored group of the company (404 otherwise), never « tous ». */
async function editable(groupId: string) {
  Partner.useManager();
  if (groupId === ALL) throw builtIn();
  await fromId(groupId);
}

/**
 * Adds the employees the values name (each value by the first of its keys someone holds) and says which
 * values matched no one and which named someone who is not an employee. Adding is idempotent.
 */
async function addNamed(groupId: string, named: Named[]) {
  const companyId = useCompanyId();
  const owners = new Map<string, string>();
  const unique = [...new Set(named.flatMap((entry) => entry.keys))];
  for (let start = 0; start < unique.length; start += 100) {
    const found = await PartnerKeyEntity.get(
      unique.slice(start, start + 100).map((key) => ({ companyId, key })),
    ).go();
    for (const item of found.data) owners.set(item.key, item.partnerId);
  }
  const employees = new Set((await employeesById([...owners.values()])).map((row) => row.partnerId));
  const unknown: Named[] = [];
  const notEmployees: Named[] = [];
  for (const entry of named) {
    const owner = entry.keys.map((key) => owners.get(key)).find(Boolean);
    if (!owner) unknown.push(entry);
    else if (!employees.has(owner)) notEmployees.push(entry);
  }
  if (employees.size > 0)
    await StaffGroupMemberEntity.put(
      [...employees].map((partnerId) => ({ companyId, groupId, partnerId })),
    ).go();
  return { added: employees.size, unknown, notEmployees };
}

/**
 * Adds the employees named in a column pasted from Excel (one matricule, mobile or email per line);
 * says which values matched no one and which named someone who is not an employee.
 */
export const paste = fn(Paste, async ({ groupId, text }) => {
  await editable(groupId);
  const values = [
    ...new Set(
      text
        .split(/[\r\n\t;,]+/)
        .map((value) => value.trim().replace(/^"|"$/g, ""))
        .filter(Boolean),
    ),
  ].slice(0, 5000);
  // One entry a key: « 06 12… » and « +33 6 12… » pasted together are one person.
  const byKey = new Map<string, string>();
  for (const value of values) {
    const key = guessKey(value);
    if (key) byKey.set(key, value);
  }
  const { added, unknown, notEmployees } = await addNamed(
    groupId,
    [...byKey].map(([key, value]) => ({ value, keys: [key] })),
  );
  return {
    added,
    unknown: unknown.map((entry) => entry.value),
    notEmployees: notEmployees.map((entry) => entry.value),
    group: await fromId(groupId),
  };
});

export const FileImport = z.object({
  groupId: z.string().max(64),
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, "Bytes expected"),
  fileName: z.string().max(200),
});

const byLine = (entries: Named[]) => entries.map(({ line, value }) => ({ line: line ?? 0, value }));

/**
 * Adds the employees named in an .xlsx or CSV file (a Matricule, Mobile or Email column, else the first
 * column) and names, by line, what matched no one or no employee. A file that cannot be read adds nobody.
 */
export const importFile = fn(FileImport, async ({ groupId, bytes, fileName }) => {
  await editable(groupId);
  const { named, issues } = await readIdentifiers({ bytes, fileName });
  const { added, unknown, notEmployees } = await addNamed(groupId, named);
  return {
    added,
    unknown: byLine(unknown),
    notEmployees: byLine(notEmployees),
    issues,
    group: await fromId(groupId),
  };
});

const uploadKey = (groupId: string, uploadId: string) =>
  `imports/staff-groups/${useCompanyId()}/${groupId}/${uploadId}`;

/** Where the browser uploads a group's file (presigned POST; the size is bounded by storage too). */
export const fileUpload = fn(
  z.object({ groupId: z.string().max(64), fileName: z.string().min(1).max(200), size: z.number().int() }),
  async ({ groupId, fileName, size }) => {
    await editable(groupId);
    assertImportable({ fileName, size }, fileLimits.maxBytes);
    const uploadId = ulid();
    const post = await Storage.presignUpload("attachments", uploadKey(groupId, uploadId), {
      maxBytes: fileLimits.maxBytes,
    });
    return { uploadId, url: post.url, fields: post.fields };
  },
);

/** Imports an uploaded file once; the upload is deleted whether it could be read or not. */
export const importUpload = fn(
  z.object({ groupId: z.string().max(64), uploadId: z.string().regex(/^[0-9A-Z]{26}$/) }),
  async ({ groupId, uploadId }) => {
    await editable(groupId);
    const key = uploadKey(groupId, uploadId);
    let bytes: Uint8Array;
    try {
      bytes = await Storage.readBytes("attachments", key);
    } catch (error) {
      if (!Storage.isMissing(error)) throw error;
      throw new VisibleError("import.not_found", "Upload the file first", 404);
    }
    try {
      return await importFile({ groupId, bytes, fileName: "groupe.xlsx" });
    } finally {
      await Storage.remove("attachments", key);
    }
  },
);
