import { useI18n } from "../i18n/i18n";
import type { Group } from "./client";

/** A date for `<input type="datetime-local">`, in the browser's time. */
export function localInput(date: Date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export const toIso = (local: string) => new Date(local).toISOString();

/** The target groups: checkboxes, « Tous les salariés » first. */
export function GroupPicker({
  groups,
  value,
  onChange,
}: {
  groups: Group[];
  value: string[];
  onChange: (groupIds: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="field" data-testid="group-picker">
      <legend className="field-label">{t("staff.groupsTarget")}</legend>
      <div className="inline-fields">
        {groups.map((group) => (
          <label key={group.groupId} className="checkbox">
            <input
              type="checkbox"
              checked={value.includes(group.groupId)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? [...value, group.groupId]
                    : value.filter((id) => id !== group.groupId),
                )
              }
            />
            {group.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
