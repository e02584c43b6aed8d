import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { toFieldName } from "../lists/client";
import { type ImportField, type ImportMapping, importFields } from "./client";

/** What a column's select holds: `` ignore, `field:<key>`, `custom`, `list`. */
type Choice = "" | `field:${ImportField}` | "custom" | "list";

function choiceOf(target: string | null | undefined): Choice {
  if (!target) return "";
  if (target === "custom" || target.startsWith("custom:")) return "custom";
  if (target.startsWith("list:")) return "list";
  return (importFields as readonly string[]).includes(target) ? (`field:${target}` as Choice) : "";
}

function targetOf(choice: Choice, header: string): string | null {
  if (choice === "") return null;
  if (choice === "custom") return "custom";
  if (choice === "list") return `list:${toFieldName(header) || "champ"}`;
  return choice.slice("field:".length);
}

/** The list variables the mapping asks for (`list:date_rdv` → `date_rdv`), in column order. */
export function listFieldsOf(mapping: ImportMapping): string[] {
  return [
    ...new Set(
      Object.values(mapping)
        .filter((target): target is string => Boolean(target?.startsWith("list:")))
        .map((target) => target.slice("list:".length)),
    ),
  ];
}

/**
 * The mapping step: each column the import did not recognise, and what to do with it — a contact field,
 * a custom field of the contact, a variable of the list being filled, or nothing.
 */
export function MappingStep({
  headers,
  mapping,
  onChange,
  onRecheck,
  dirty,
  busy,
}: {
  headers: string[];
  mapping: ImportMapping;
  onChange: (mapping: ImportMapping) => void;
  onRecheck: () => void;
  dirty: boolean;
  busy: boolean;
}) {
  const { t } = useI18n();
  if (headers.length === 0) return null;
  return (
    <section
      className="card card-padded mapping-card"
      aria-labelledby="mapping-title"
      data-testid="import-mapping"
    >
      <div className="card-title-row">
        <div>
          <h2 id="mapping-title" className="card-title">
            {t("contactImport.mapping.title")}
          </h2>
          <p className="text-subtle">{t("contactImport.mapping.subtitle")}</p>
        </div>
        <button
          type="button"
          className={dirty ? "button button-primary" : "button"}
          disabled={busy || !dirty}
          onClick={onRecheck}
          data-testid="import-recheck"
        >
          {busy ? <span className="spinner" aria-hidden="true" /> : <Icon name="refresh" />}
          {t("contactImport.mapping.recheck")}
        </button>
      </div>
      <table className="table mapping-table">
        <thead>
          <tr>
            <th scope="col">{t("contactImport.mapping.column")}</th>
            <th scope="col">{t("contactImport.mapping.target")}</th>
          </tr>
        </thead>
        <tbody>
          {headers.map((header) => {
            const choice = choiceOf(mapping[header]);
            const target = mapping[header];
            return (
              <tr key={header} data-testid="mapping-row" data-header={header}>
                <th scope="row">
                  <code>{header}</code>
                </th>
                <td>
                  <div className="mapping-target">
                    <select
                      aria-label={t("contactImport.mapping.targetFor", { column: header })}
                      value={choice}
                      disabled={busy}
                      data-testid="mapping-select"
                      onChange={(event) =>
                        onChange({ ...mapping, [header]: targetOf(event.target.value as Choice, header) })
                      }
                    >
                      <option value="">{t("contactImport.mapping.ignore")}</option>
                      <optgroup label={t("contactImport.mapping.fields")}>
                        {importFields.map((field) => (
                          <option key={field} value={`field:${field}`}>
                            {t(`contactImport.field.${field}`)}
                          </option>
                        ))}
                      </optgroup>
                      <optgroup label={t("contactImport.mapping.other")}>
                        <option value="custom">{t("contactImport.mapping.custom")}</option>
                        <option value="list">{t("contactImport.mapping.list")}</option>
                      </optgroup>
                    </select>
                    {choice === "custom" && (
                      <span className="text-subtle">
                        {t("contactImport.mapping.customHint", { name: header })}
                      </span>
                    )}
                    {choice === "list" && target && (
                      <span className="var-chip">%{target.slice("list:".length)}%</span>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {dirty && <p className="field-hint">{t("contactImport.mapping.dirty")}</p>}
    </section>
  );
}
