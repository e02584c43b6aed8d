import { useId } from "react";
import type { Agency } from "../accounts/types";
import { useT } from "../i18n/i18n";

/** Agencies as a list of checkboxes; archived ones appear only if already chosen. */
export function AgencyPicker({
  agencies,
  value,
  onChange,
  invalid,
  disabled,
  describedBy,
}: {
  agencies: Agency[];
  value: string[];
  onChange: (value: string[]) => void;
  invalid?: boolean;
  disabled?: boolean;
  describedBy?: string;
}) {
  const t = useT();
  const id = useId();
  const shown = agencies.filter((agency) => !agency.archived || value.includes(agency.agencyId));
  const toggle = (agencyId: string, checked: boolean) =>
    onChange(checked ? [...value, agencyId] : value.filter((chosen) => chosen !== agencyId));
  return (
    <fieldset
      className={invalid ? "check-list is-invalid" : "check-list"}
      aria-describedby={describedBy}
      aria-labelledby={`${id}-legend`}
      data-testid="agency-picker"
    >
      <legend id={`${id}-legend`} className="visually-hidden">
        {t("user.agencies")}
      </legend>
      {shown.length === 0 && <p className="text-subtle">{t("agency.none")}</p>}
      {shown.map((agency) => (
        <label key={agency.agencyId} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(agency.agencyId)}
            disabled={disabled}
            onChange={(event) => toggle(agency.agencyId, event.target.checked)}
          />
          <span>
            {agency.name}
            {agency.archived && <span className="text-subtle"> ({t("agency.archived")})</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
