import type { ReactNode } from "react";
import { Icon } from "../icons";

/** A search input behind a magnifier; the label is for screen readers, the placeholder for the eye. */
export function SearchBox({
  label,
  placeholder,
  value,
  onChange,
  testId,
  wide = false,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  /** Fills its row (in a dialog) instead of stopping at the toolbar's width. */
  wide?: boolean;
}) {
  return (
    <label className={wide ? "search search-full" : "search"}>
      <Icon name="search" />
      <span className="visually-hidden">{label}</span>
      <input
        type="search"
        placeholder={placeholder}
        value={value}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}

/** A filter of the toolbar: its name, then the control (a select, a date…). */
export function Filter({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as `children`
    <label className="select-filter">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A select filter whose first option (« Toutes les agences »…) is the empty value: no filter. */
export function FilterSelect<Value extends string>({
  label,
  allLabel,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  allLabel: string;
  value: Value | "";
  options: readonly { value: Value; label: string }[];
  onChange: (value: Value | "") => void;
  testId?: string;
}) {
  return (
    <Filter label={label}>
      <select
        value={value}
        // the options are `Value`s or the empty one, so the cast only restores what they were
        onChange={(event) => onChange(event.target.value as Value | "")}
        data-testid={testId}
      >
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Filter>
  );
}

/**
 * The toolbar above a table: search and filters, then « Effacer les filtres » while one is set, then
 * `end` (an export link…).
 */
export function FilterBar({
  children,
  testId,
  clearLabel,
  onClear,
  end,
}: {
  children: ReactNode;
  testId?: string;
  clearLabel?: string;
  /** Given only while a filter is set: the button shows then. */
  onClear?: () => void;
  end?: ReactNode;
}) {
  return (
    <div className="toolbar" data-testid={testId}>
      {children}
      {onClear && (
        <button type="button" className="button button-quiet" onClick={onClear}>
          {clearLabel}
        </button>
      )}
      {end}
    </div>
  );
}
