import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import type { Group } from "./client";

/** A date for `<input type="datetime-local">`, in the browser's time. */
function localInput(date: Date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

const toIso = (local: string) => new Date(local).toISOString();

/** The window's inputs: the start empty (at once) and the end a week ahead; `iso()` is what the API takes. */
export function useWindowInput() {
  const [startsAt, setStartsAt] = useState("");
  const [endsAt, setEndsAt] = useState(() => localInput(new Date(Date.now() + 7 * 86_400_000)));
  const iso = () => ({ startsAt: startsAt ? toIso(startsAt) : undefined, endsAt: toIso(endsAt) });
  return { startsAt, endsAt, setStartsAt, setEndsAt, iso };
}
type WindowInput = ReturnType<typeof useWindowInput>;

/** Start and end side by side, the end required; `startHint` under the start. */
export function WindowFields({
  id,
  dates,
  startHint,
}: {
  id: string;
  dates: WindowInput;
  startHint?: string;
}) {
  const { t } = useI18n();
  const field = (edge: "start" | "end", value: string, set: (value: string) => void) => (
    <div className="field">
      <label htmlFor={`${id}-${edge}`}>{t(edge === "start" ? "staff.startsAt" : "staff.endsAt")}</label>
      <input
        id={`${id}-${edge}`}
        type="datetime-local"
        required={edge === "end"}
        value={value}
        onChange={(event) => set(event.target.value)}
      />
      {edge === "start" && startHint && <p className="field-hint">{startHint}</p>}
    </div>
  );
  return (
    <div className="field-row">
      {field("start", dates.startsAt, dates.setStartsAt)}
      {field("end", dates.endsAt, dates.setEndsAt)}
    </div>
  );
}

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
