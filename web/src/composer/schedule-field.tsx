import { useEffect, useId, useState } from "react";
import { Notice } from "../components/notice";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { campaigns, type Departure } from "./client";
import { browserZone, differsFromParis, formatInZone, parisToIso, todayInParis } from "./schedule";

export type ScheduleValue = { mode: "now" | "later"; date: string; time: string };

/** The ISO send time (Paris offset) when scheduled, `undefined` to send now. */
export function sendAtOf(value: ScheduleValue): string | undefined {
  if (value.mode === "now") return undefined;
  return parisToIso(value.date, value.time) ?? undefined;
}

/** What keeps a scheduled send from being accepted: no readable date, or a time already past. */
export function scheduleProblem(value: ScheduleValue, now = new Date()): MessageKey | null {
  if (value.mode === "now") return null;
  const iso = parisToIso(value.date, value.time);
  if (!iso) return "composer.reason.scheduleInvalid";
  if (new Date(iso).getTime() <= now.getTime() + 60_000) return "composer.reason.schedulePast";
  return null;
}

/**
 * When the send asked for really leaves (quiet hours, Sundays, holidays move it), `undefined` while
 * unknown; `deferred` when it leaves more than a minute later than asked.
 */
export function useDeparture(iso: string | undefined, urgent: boolean) {
  const [departure, setDeparture] = useState<Departure | undefined>(undefined);
  useEffect(() => {
    if (urgent) {
      setDeparture(undefined);
      return;
    }
    const abort = new AbortController();
    campaigns.departure(iso, abort.signal).then(setDeparture, () => setDeparture(undefined));
    return () => abort.abort();
  }, [iso, urgent]);
  const deferred =
    departure !== undefined &&
    new Date(departure.leavesAt).getTime() - new Date(departure.at).getTime() > 60_000;
  return deferred ? departure : undefined;
}

/** « Heures calmes (dimanche) : partira le 07/12/2026 08:00 (heure de Paris) ». */
export function DepartureNotice({ departure }: { departure: Departure | undefined }) {
  const { t } = useI18n();
  if (!departure) return null;
  return (
    <Notice tone="warning" testId="schedule-deferred">
      <p>
        {t("composer.schedule.deferred", {
          reason: t(`composer.schedule.quiet.${departure.quiet ?? "night"}`),
          when: formatInZone(departure.leavesAt, "Europe/Paris"),
        })}
      </p>
    </Notice>
  );
}

/** « Envoyer maintenant » or « Programmer » on a day and time in Paris, with the local time beside it. */
export function Schedule({
  value,
  onChange,
}: {
  value: ScheduleValue;
  onChange: (value: ScheduleValue) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const iso = sendAtOf(value);
  const zone = browserZone();
  const elsewhere = iso !== undefined && differsFromParis(zone, new Date(iso));
  return (
    <div className="schedule" data-testid="schedule">
      <div className="radio-row" role="radiogroup" aria-label={t("composer.schedule.title")}>
        <label className="checkbox">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value.mode === "now"}
            onChange={() => onChange({ ...value, mode: "now" })}
            data-testid="schedule-now"
          />
          <span>{t("composer.schedule.now")}</span>
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value.mode === "later"}
            onChange={() => onChange({ ...value, mode: "later" })}
            data-testid="schedule-later"
          />
          <span>{t("composer.schedule.later")}</span>
        </label>
      </div>
      {value.mode === "later" && (
        <>
          <div className="schedule-when">
            <div className="field">
              <label htmlFor={`${id}-schedule`}>{t("composer.schedule.date")}</label>
              <input
                id={`${id}-schedule`}
                type="date"
                min={todayInParis()}
                value={value.date}
                onChange={(event) => onChange({ ...value, date: event.target.value })}
                data-testid="schedule-date"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-time`}>{t("composer.schedule.time")}</label>
              <input
                id={`${id}-time`}
                type="time"
                step={300}
                value={value.time}
                onChange={(event) => onChange({ ...value, time: event.target.value })}
                data-testid="schedule-time"
              />
            </div>
            <span className="schedule-zone">{t("composer.schedule.paris")}</span>
          </div>
          {iso && (
            <p className="field-hint" data-testid="schedule-summary">
              {t("composer.schedule.summary", { when: formatInZone(iso, "Europe/Paris") })}
              {elsewhere && (
                <>
                  {" "}
                  <span data-testid="schedule-local">
                    {t("composer.schedule.local", {
                      when: formatInZone(iso, zone),
                      zone: zone.replaceAll("_", " "),
                    })}
                  </span>
                </>
              )}
            </p>
          )}
        </>
      )}
    </div>
  );
}
