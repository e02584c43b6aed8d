import "./staff.css";
import { type FormEvent, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { DataTable } from "../components/data-table";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { usePageTitle } from "../page-title";
import { Link, matchPath, usePathname } from "../router";
import { graphemes, groups, surveys, titleMax } from "./client";
import { GroupPicker, useWindowInput, WindowFields } from "./staff-form";

const types = ["yesno", "text", "choice"] as const;
type Type = (typeof types)[number];

/** « Gestion des sondages »: the form and the list, each survey linking to its report. */
export function SurveysPage() {
  usePageTitle("staff.surveys.title");
  const { t, dateTime } = useI18n();
  const list = useResource(() => surveys.list());
  const groupList = useResource(() => groups.list());
  const id = useId();
  const [question, setQuestion] = useState("");
  const [description, setDescription] = useState("");
  const [type, setType] = useState<Type>("yesno");
  const [choices, setChoices] = useState<string[]>(["", ""]);
  const [multiple, setMultiple] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  const [bySms, setBySms] = useState(false);
  const [groupIds, setGroupIds] = useState<string[]>(["tous"]);
  const dates = useWindowInput();
  const [failure, setFailure] = useState<string | null>(null);
  const used = graphemes(question);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      await surveys.create({
        question,
        description: description || undefined,
        type,
        choices: type === "choice" ? choices.filter((choice) => choice.trim()) : undefined,
        multiple,
        anonymous,
        bySms: type === "yesno" && !anonymous && bySms,
        groupIds,
        ...dates.iso(),
      });
      toast(t("staff.surveys.created"));
      setQuestion("");
      setDescription("");
      setChoices(["", ""]);
      await list.reload();
    } catch (error) {
      setFailure(errorText(t, error));
    }
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("staff.surveys.title")}</h1>
          <p className="page-subtitle">{t("staff.surveys.subtitle")}</p>
        </div>
      </header>
      <form
        className="card card-padded form"
        onSubmit={(event) => void create(event)}
        data-testid="survey-form"
      >
        <div className="field">
          <label htmlFor={`${id}-question`}>{t("staff.surveys.question")}</label>
          <input
            id={`${id}-question`}
            required
            value={question}
            onChange={(event) => setQuestion(event.target.value)}
            data-testid="survey-question"
          />
          <span className={`field-hint${used > titleMax ? " text-bad" : ""}`} data-testid="survey-count">
            {used}/{titleMax}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>{t("staff.description")}</label>
          <textarea
            id={`${id}-description`}
            rows={3}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend className="field-label">{t("staff.surveys.type")}</legend>
          <div className="inline-fields">
            {types.map((value) => (
              <label key={value} className="checkbox">
                <input
                  type="radio"
                  name={`${id}-type`}
                  checked={type === value}
                  onChange={() => setType(value)}
                />
                {t(`staff.surveys.type.${value}` as MessageKey)}
              </label>
            ))}
          </div>
        </fieldset>
        {type === "choice" && (
          <fieldset className="field" data-testid="survey-choices">
            <legend className="field-label">{t("staff.surveys.choices")}</legend>
            {choices.map((choice, index) => (
              <input
                // biome-ignore lint/suspicious/noArrayIndexKey: choices are edited in place by position
                key={index}
                aria-label={t("staff.surveys.choice", { index: index + 1 })}
                value={choice}
                onChange={(event) =>
                  setChoices(choices.map((item, at) => (at === index ? event.target.value : item)))
                }
              />
            ))}
            <button
              type="button"
              className="button button-small"
              onClick={() => setChoices([...choices, ""])}
            >
              {t("staff.surveys.addChoice")}
            </button>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={multiple}
                onChange={(event) => setMultiple(event.target.checked)}
              />
              {t("staff.surveys.multiple")}
            </label>
          </fieldset>
        )}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={anonymous}
            onChange={(event) => setAnonymous(event.target.checked)}
          />
          {t("staff.surveys.anonymous")}
        </label>
        {type === "yesno" && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={bySms && !anonymous}
              disabled={anonymous}
              onChange={(event) => setBySms(event.target.checked)}
              data-testid="survey-by-sms"
            />
            {t(anonymous ? "staff.surveys.bySmsAnonymous" : "staff.surveys.bySms")}
          </label>
        )}
        <GroupPicker groups={groupList.data?.items ?? []} value={groupIds} onChange={setGroupIds} />
        <WindowFields id={id} dates={dates} />
        <ErrorNotice text={failure} />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={used > titleMax}
            data-testid="survey-create"
          >
            {t("staff.surveys.create")}
          </button>
        </div>
      </form>
      <DataTable
        caption={t("staff.surveys.title")}
        testId="surveys"
        busy={list.loading}
        error={list.error === undefined ? null : errorText(t, list.error)}
        columns={3}
        head={
          <>
            <th scope="col">{t("staff.surveys.question")}</th>
            <th scope="col">{t("staff.surveys.type")}</th>
            <th scope="col">{t("staff.window")}</th>
          </>
        }
        empty={list.data?.items.length === 0 ? t("staff.surveys.none") : !list.data && t("app.loading")}
      >
        {list.data?.items.map((survey) => (
          <tr key={survey.surveyId} data-testid="survey-row">
            <td>
              <Link href={`/staff/surveys/${survey.surveyId}`}>{survey.question}</Link>
            </td>
            <td>{t(`staff.surveys.type.${survey.type}` as MessageKey)}</td>
            <td>
              {dateTime(survey.startsAt)} → {dateTime(survey.endsAt)}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

/** « Rapport de sondage »: live counts with a bar per choice, participation, text answers, exports. */
export function SurveyReportPage() {
  const surveyId = matchPath("/staff/surveys/:surveyId", usePathname())?.surveyId ?? "";
  usePageTitle("staff.report.title");
  const { t, number } = useI18n();
  const report = useResource(() => surveys.report(surveyId), surveyId);
  const data = report.data;
  const most = Math.max(1, ...(data?.counts.map((bucket) => bucket.count) ?? []));
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 data-testid="report-question">{data?.survey.question ?? "…"}</h1>
          <p className="page-subtitle">{t("staff.report.title")}</p>
        </div>
        <div className="inline-fields">
          <button type="button" className="button" onClick={() => void report.reload()}>
            {t("staff.report.refresh")}
          </button>
          <a className="button" href={surveys.csvUrl(surveyId)} download data-testid="report-csv">
            CSV
          </a>
          <a className="button" href={surveys.xlsxUrl(surveyId)} download data-testid="report-xlsx">
            Excel
          </a>
        </div>
      </header>
      <ErrorNotice text={report.error === undefined ? null : errorText(t, report.error)} />
      {data && (
        <section className="card card-padded stack-sm" data-testid="survey-report">
          <p data-testid="report-participation">
            {t("staff.report.participation", {
              answered: number(data.answered),
              targeted: number(data.targeted),
              rate: number(data.participation, { style: "percent" }),
            })}
          </p>
          {data.survey.bySms && (
            <p className="field-hint" data-testid="report-by-sms">
              {data.survey.smsAsked
                ? t("staff.report.bySms", { asked: number(data.survey.smsAsked), count: number(data.bySms) })
                : t("staff.report.smsPending")}
              {data.survey.smsCampaignId && (
                <>
                  {" · "}
                  <Link href={`/campaigns/${data.survey.smsCampaignId}`}>
                    {t("staff.report.smsCampaign")}
                  </Link>
                </>
              )}
            </p>
          )}
          {data.counts.map((bucket) => (
            <div key={bucket.key} className="staff-bar" data-testid="report-bar" data-count={bucket.count}>
              <span className="staff-bar-label">{bucket.label}</span>
              <span className="staff-bar-track">
                <span className="staff-bar-fill" style={{ width: `${(bucket.count / most) * 100}%` }} />
              </span>
              <span className="staff-bar-count">{number(bucket.count)}</span>
            </div>
          ))}
          {data.texts.length > 0 && (
            <ul className="stack-sm" data-testid="report-texts">
              {data.texts.map((answer, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: answers have no id of their own here
                <li key={index}>
                  {answer.name && <strong>{answer.name} : </strong>}
                  {answer.text}
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link href="/staff/surveys">{t("staff.report.back")}</Link>
          </p>
        </section>
      )}
    </div>
  );
}
