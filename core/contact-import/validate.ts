import { Contact } from "../contact";
import type { Spreadsheet } from "../spreadsheet";
import { type Field, labels, maxCustomValue, maxLengths, type Plan } from "./columns";

/**
 * One problem of one line. `field` says which contact field it is about; the column shown to the user
 * is resolved from the header once the whole file has been read (see `columnOf`).
 */
export type LineError = {
  line: number;
  column: string;
  code: string;
  message: string;
  value?: string;
  /** Excel's reference of the cell (« B7 ») when the reader knows it. */
  cell?: string;
};

type Pending = Omit<LineError, "column"> & { field?: Field; column?: string };

export type Checked =
  | { line: number; ok: true; value: Contact.Normalized; listFields?: Record<string, string> }
  | { line: number; ok: false; errors: Pending[] };

const contactFields = new Set<string>([
  "civility",
  "firstName",
  "lastName",
  "email",
  "mobile",
  "type",
  "skills",
  "description",
  "position",
  "preferredChannel",
]);

/**
 * Validates rows in file order: each through `Contact.normalize`, then against the earlier valid lines
 * of the file (same mobile or email → "duplicate of line N"). Only valid lines claim a number or email,
 * so a bad line never hides a good one further down.
 */
export class RowValidator {
  /**
   * First valid line of each number and email. Numbers are kept as numbers (E.164 digits fit a double
   * exactly): over 50,000 rows these maps are the largest thing an import holds from start to end.
   */
  private readonly mobiles = new Map<number, number>();
  private readonly emails = new Map<string, number>();

  private readonly customs: Plan["customs"];
  private readonly listFields: Plan["listFields"];

  constructor(plan: Pick<Plan, "customs" | "listFields">) {
    this.customs = plan.customs;
    this.listFields = plan.listFields;
  }

  check(row: Spreadsheet.Row<Field>): Checked {
    const { line, values } = row;
    let errors: Pending[] | undefined;
    const fail = (error: Pending) => {
      errors ??= [];
      errors.push(error);
    };
    for (const issue of row.issues) {
      fail({
        line,
        column: issue.column,
        code: issue.code,
        message: issue.message,
        ...(issue.cell ? { cell: issue.cell } : {}),
      });
    }
    for (const field in values) {
      const text = values[field as Field]!;
      const max = maxLengths[field as Field];
      if (text.length > max) {
        fail({
          line,
          field: field as Field,
          code: "import.value_too_long",
          message: `Longer than ${max} characters`,
          value: text.slice(0, 100),
        });
      }
    }
    const extra = (columns: Map<string, string>) => {
      let picked: Record<string, string> | undefined;
      for (const [header, name] of columns) {
        const text = row.extra[header];
        if (text === undefined) continue;
        if (text.length > maxCustomValue) {
          fail({
            line,
            column: header,
            code: "import.value_too_long",
            message: `Longer than ${maxCustomValue} characters`,
            value: text.slice(0, 100),
          });
          continue;
        }
        picked ??= {};
        picked[name] = text;
      }
      return picked;
    };
    const customFields = this.customs.size > 0 ? extra(this.customs) : undefined;
    const listFields = this.listFields.size > 0 ? extra(this.listFields) : undefined;
    const { value, issues } = Contact.normalize(customFields ? { ...values, customFields } : values);
    for (const issue of issues) {
      const field = contactFields.has(issue.field) ? (issue.field as Field) : undefined;
      fail({
        line,
        field,
        code: issue.code,
        message: issue.message,
        value: field ? values[field] : undefined,
      });
    }
    if (errors) return { line, ok: false, errors };

    const mobile = value.mobile ? Number(value.mobile.slice(1)) : undefined;
    const duplicates: Array<[Field, number | undefined]> = [
      ["mobile", mobile === undefined ? undefined : this.mobiles.get(mobile)],
      ["email", value.email === undefined ? undefined : this.emails.get(value.email)],
    ];
    for (const [field, first] of duplicates) {
      if (first === undefined) continue;
      return {
        line,
        ok: false,
        errors: [
          {
            line,
            field,
            code: "import.duplicate_in_file",
            message: `Duplicate of line ${first} (same ${field === "mobile" ? "mobile number" : "email"})`,
            value: values[field],
          },
        ],
      };
    }
    if (mobile !== undefined) this.mobiles.set(mobile, line);
    if (value.email !== undefined) this.emails.set(value.email, line);
    return listFields ? { line, ok: true, value, listFields } : { line, ok: true, value };
  }
}

/** The header the file uses for a field, or the field's usual name when the file has none. */
export function columnOf(header: Spreadsheet.HeaderMatch<Field> | undefined) {
  const byField = new Map(header?.matched.map((match) => [match.key, match.header]));
  return (error: Pending): LineError => ({
    line: error.line,
    column: error.column ?? (error.field ? (byField.get(error.field) ?? labels[error.field]) : ""),
    code: error.code,
    message: error.message,
    ...(error.value === undefined ? {} : { value: error.value }),
    ...(error.cell === undefined ? {} : { cell: error.cell }),
  });
}

export type { Pending };
