import { useEffect, useState } from "react";
import { useDebounced } from "../components/use-debounced";
import { useI18n } from "../i18n/i18n";
import { lists, type PastePreview, pastedEntries } from "./client";
import { PasteColumnsView } from "./paste-report";

/** A block with several columns on a line: worth asking the API how it reads before confirming. */
const looksTabular = (text: string) =>
  text.includes("\t") || (text.includes(";") && /\n\s*\S/.test(text.trim()));

/**
 * A textarea for a block copied from Excel, counting the entries it sees as the person pastes. A block of
 * columns is read by the API (writing nothing) to show each column and what it will fill, before the
 * person confirms.
 */
export function PasteBox({
  id,
  value,
  onChange,
  disabled,
  fields,
  newFields = false,
  onPreview,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  /** The list's field names (or those typed for a new list). */
  fields: string[];
  /** Creating a list: unmatched headers become fields. */
  newFields?: boolean;
  onPreview?: (preview: PastePreview | null) => void;
}) {
  const { t, number } = useI18n();
  const debounced = useDebounced(value, 300);
  const fieldKey = fields.join("\u0000");
  const [preview, setPreview] = useState<PastePreview | null>(null);

  useEffect(() => {
    let live = true;
    const show = (next: PastePreview | null) => {
      if (!live) return;
      setPreview(next);
      onPreview?.(next);
    };
    if (!looksTabular(debounced)) show(null);
    else
      lists.previewPaste(debounced, fieldKey ? fieldKey.split("\u0000") : [], newFields).then(
        (answer) => show(answer.preview.layout === "rows" ? answer.preview : null),
        // The paste itself reports what is wrong; a failed preview only hides the columns.
        () => show(null),
      );
    return () => {
      live = false;
    };
  }, [debounced, fieldKey, newFields, onPreview]);

  const rows = preview && debounced === value ? preview : null;
  const count = pastedEntries(value).length;
  return (
    <div className="field">
      <label htmlFor={id}>{t("lists.paste.label")}</label>
      <textarea
        id={id}
        className="paste-box"
        rows={6}
        value={value}
        disabled={disabled}
        spellCheck={false}
        placeholder={t("lists.paste.placeholder")}
        data-testid="paste-text"
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="field-hint" id={`${id}-hint`} aria-live="polite">
        {rows
          ? t(
              rows.invalid.length > 0 ? "lists.paste.columns.summaryRefused" : "lists.paste.columns.summary",
              {
                rows: number(rows.entries),
                invalid: number(rows.invalid.length),
              },
            )
          : count > 0
            ? t("lists.paste.detected", { count: number(count) })
            : t("lists.paste.hint")}
      </p>
      {rows && (
        <div className="stack" data-testid="paste-preview">
          <strong>{t("lists.paste.columns.title")}</strong>
          <PasteColumnsView columns={rows.columns} />
          {rows.columns.some((column) => column.target === "ignored") && (
            <p className="field-hint">
              {t(newFields ? "lists.paste.columns.hintNew" : "lists.paste.columns.hintExisting")}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
