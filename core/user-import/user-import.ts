import { PassThrough } from "node:stream";
import { ulid } from "ulid";
import * as z from "zod";
import { canAddUser } from "../access";
import { useCompanyId, useRole, useUser } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Invitation } from "../invitation";
import { Phone } from "../phone";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";
import { assertImportable } from "../spreadsheet/importable";
import { fold } from "../text";
import { PasswordPolicy as Policy, User } from "../user";
import { UserEmailEntity } from "../user/user.entity";

/** Bulk user import from .xlsx or CSV: upload to S3, dry run listing every error, then commit. */
export const limits = { maxBytes: 10 * 1024 * 1024, maxRows: 5000 };

type Key = "firstName" | "lastName" | "email" | "mobile" | "role" | "agencies";
const columns: Spreadsheet.Column<Key>[] = [
  { key: "firstName", aliases: ["Prénom", "First name", "Firstname"], required: true },
  { key: "lastName", aliases: ["Nom", "Last name", "Lastname", "Nom de famille"], required: true },
  { key: "email", aliases: ["Email", "E-mail", "Courriel", "Adresse email"], required: true },
  { key: "mobile", aliases: ["Mobile", "Portable", "Téléphone", "Phone"] },
  { key: "role", aliases: ["Rôle", "Role", "Profil"] },
  { key: "agencies", aliases: ["Agences", "Agence", "Agencies", "Agency", "Sites"] },
];

const roleNames: Record<string, "admin" | "manager" | "user"> = {
  administrateur: "admin",
  admin: "admin",
  manager: "manager",
  responsable: "manager",
  utilisateur: "user",
  user: "user",
};

export type LineError = { line: number; column?: string; code: string; message: string };
export type Candidate = {
  line: number;
  email: string;
  firstName: string;
  lastName: string;
  mobile?: string;
  role: "admin" | "manager" | "user";
  agencies: string[];
  agencyIds: string[];
};

const keyOf = (uploadId: string) => `imports/users/${useCompanyId()}/${uploadId}`;

export const upload = fn(
  z.object({ fileName: z.string().min(1).max(200), size: z.number().int().min(1) }),
  async (input) => {
    useRole("admin", "manager");
    assertImportable(input, limits.maxBytes);
    const uploadId = ulid();
    const post = await Storage.presignUpload("attachments", keyOf(uploadId), { maxBytes: limits.maxBytes });
    return { uploadId, url: post.url, fields: post.fields };
  },
);

/** Reads and validates every line; writes nothing. */
export async function check(uploadId: string) {
  const actor = useRole("admin", "manager");
  const key = keyOf(uploadId);
  let size: number;
  try {
    size = await Storage.size("attachments", key);
  } catch (error) {
    if (!Storage.isMissing(error)) throw error;
    throw new VisibleError("import.not_found", "Upload the file first", 404);
  }
  if (size > limits.maxBytes)
    throw new VisibleError("spreadsheet.too_large", "The file is larger than 10 MB", 413);
  const agencies = await Agency.all();
  const byName = new Map(
    agencies.filter((agency) => !agency.archived).map((agency) => [fold(agency.name).trim(), agency]),
  );
  const errors: LineError[] = [];
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  // Spreadsheet errors are VisibleErrors already (413 too large, 422 unreadable…) and go out as they are.
  {
    const rows = Spreadsheet.readRows(
      { bytes: await Storage.readBytes("attachments", key), fileName: "users.xlsx" },
      columns,
      limits,
    );
    for await (const row of rows) {
      total++;
      const before = errors.length;
      const fail = (column: string | undefined, code: string, message: string) =>
        errors.push({ line: row.line, column, code, message });
      for (const issue of row.issues) fail(issue.column, issue.code, issue.message);
      const {
        firstName,
        lastName,
        email: rawEmail,
        mobile: rawMobile,
        role: rawRole,
        agencies: rawAgencies,
      } = row.values;
      if (!firstName) fail("Prénom", "user.first_name_missing", "First name is missing");
      if (!lastName) fail("Nom", "user.last_name_missing", "Last name is missing");
      const email = rawEmail?.toLowerCase();
      if (!email || !z.email().safeParse(email).success)
        fail("Email", "user.email_invalid", `Invalid email "${rawEmail ?? ""}"`);
      else if (seen.has(email))
        fail("Email", "user.email_duplicate", `Same email as line ${seen.get(email)}`);
      else seen.set(email, row.line);
      const mobile = rawMobile ? Phone.mobile(rawMobile) : undefined;
      if (rawMobile && !mobile) fail("Mobile", "user.mobile_invalid", `Not a mobile number: "${rawMobile}"`);
      const role = rawRole ? roleNames[fold(rawRole).trim()] : "user";
      if (!role)
        fail("Rôle", "user.role_invalid", `Unknown role "${rawRole}" (Administrateur, Manager, Utilisateur)`);
      const names = (rawAgencies ?? "")
        .split(/[;,\n]/)
        .map((name) => name.trim())
        .filter(Boolean);
      const agencyIds: string[] = [];
      for (const name of names) {
        const agency = byName.get(fold(name).trim());
        if (agency) agencyIds.push(agency.agencyId);
        else fail("Agences", "user.agency_unknown", `Unknown agency "${name}"`);
      }
      if (names.length === 0) {
        if (actor.agencyIds.length === 1 && actor.agencyIds[0]) agencyIds.push(actor.agencyIds[0]);
        else fail("Agences", "user.agency_missing", "Name at least one agency");
      }
      if (role && agencyIds.length > 0 && !canAddUser(actor, { role, agencyIds })) {
        fail("Rôle", "user.not_allowed", "You cannot add a user with this role or in these agencies");
      }
      if (errors.length === before && firstName && lastName && email && role) {
        candidates.push({
          line: row.line,
          email,
          firstName,
          lastName,
          mobile,
          role,
          agencies: names,
          agencyIds,
        });
      }
    }
  }
  // Emails already used in the company, in one batch read.
  const companyId = useCompanyId();
  for (let start = 0; start < candidates.length; start += 100) {
    const chunk = candidates.slice(start, start + 100);
    const found = await UserEmailEntity.get(
      chunk.map((candidate) => ({ companyId, email: candidate.email })),
    ).go();
    const taken = new Set(found.data.map((item) => item.email));
    for (const candidate of chunk) {
      if (taken.has(candidate.email)) {
        errors.push({
          line: candidate.line,
          column: "Email",
          code: "user.email_taken",
          message: "A user with this email already exists",
        });
      }
    }
  }
  const bad = new Set(errors.map((error) => error.line));
  const valid = candidates.filter((candidate) => !bad.has(candidate.line));
  errors.sort((a, b) => a.line - b.line);
  return { total, valid: valid.length, errors, preview: valid.slice(0, 50), candidates: valid };
}

export const commit = fn(
  z.object({ uploadId: z.string(), onlyValid: z.boolean(), invite: z.enum(["none", "email", "sms"]) }),
  async (input) => {
    const result = await check(input.uploadId);
    if (result.errors.length > 0 && !input.onlyValid) {
      throw new VisibleError(
        "import.has_errors",
        `The file has ${result.errors.length} error(s): fix them or import only the valid lines`,
        422,
      );
    }
    const missingMobile =
      input.invite === "sms" ? result.candidates.filter((candidate) => !candidate.mobile) : [];
    if (missingMobile.length > 0) {
      throw new VisibleError(
        "import.mobile_missing",
        `Lines ${missingMobile.map((candidate) => candidate.line).join(", ")} have no mobile number for an SMS invitation`,
        422,
      );
    }
    const created: User.Summary[] = [];
    const temporaryPasswords: Array<{ email: string; password: string }> = [];
    let invited = 0;
    for (const candidate of result.candidates) {
      const person = {
        email: candidate.email,
        firstName: candidate.firstName,
        lastName: candidate.lastName,
        mobile: candidate.mobile,
        role: candidate.role,
        agencyIds: candidate.agencyIds,
      };
      if (input.invite === "none") {
        const password = Policy.temporary();
        created.push(await User.insert({ ...person, password, mustChangePassword: true }));
        temporaryPasswords.push({ email: candidate.email, password });
      } else {
        await Invitation.create({ ...person, channel: input.invite });
        invited++;
      }
    }
    // The upload served once; committing it again would only report every email as taken.
    await Storage.remove("attachments", keyOf(input.uploadId));
    await Audit.record("user.imported", {
      details: {
        created: created.length,
        invited,
        skipped: result.total - result.candidates.length,
        by: useUser().name,
      },
    });
    return {
      created: created.length,
      invited,
      skipped: result.total - result.candidates.length,
      temporaryPasswords,
    };
  },
);

/** The template offered for download: the expected headers and one example line. */
export async function template() {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await Spreadsheet.writeXlsx(output, [
    {
      name: "Utilisateurs",
      columns: [
        { header: "Prénom", key: "firstName", width: 16 },
        { header: "Nom", key: "lastName", width: 16 },
        { header: "Email", key: "email", width: 28 },
        { header: "Mobile", key: "mobile", width: 16 },
        { header: "Rôle", key: "role", width: 16 },
        { header: "Agences", key: "agencies", width: 30 },
      ],
      rows: [
        {
          firstName: "Camille",
          lastName: "Martin",
          email: "camille.martin@exemple.fr",
          mobile: "06 12 34 56 78",
          role: "Utilisateur",
          agencies: "Agence Lyon Part-Dieu",
        },
      ],
    },
  ]);
  return Buffer.concat(chunks);
}
