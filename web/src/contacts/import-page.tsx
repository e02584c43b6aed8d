import "./contacts.css";
import { type ReactNode, useEffect, useId, useState } from "react";
import { limits } from "../../../core/contact-import/import.types";
import { agencies as agenciesApi } from "../accounts/client";
import type { Agency } from "../accounts/types";
import { AgencyPicker } from "../components/agency-picker";
import { ErrorNotice, FieldError, Notice } from "../components/notice";
import { Stats } from "../components/stats";
import { FilePicker, ImportSteps, ProgressBar, useUpload } from "../components/upload";
import { UploadReport } from "../components/upload-report";
import { useResource } from "../components/use-resource";
import { formatPhone } from "../format-phone";
import { type Translate, useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { lists as listsApi } from "../lists/client";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { useMe } from "../session/session-store";
import {
  type ContactImport,
  contactImports,
  type ImportCheck,
  type ImportLineError,
  type ImportMapping,
  importFields,
} from "./client";
import { NotSmsMarker } from "./contact-badges";
import { contactsErrorText } from "./contact-text";
import { listFieldsOf, MappingStep } from "./import-mapping";
import { ImportStatusBadge, RecentImports } from "./recent-imports";

const { maxBytes } = limits;
const pollMs = 800;

type Step =
  | { kind: "pick" }
  | { kind: "report"; check: ImportCheck }
  | { kind: "running"; info: ContactImport };

type ListChoice = "none" | "existing" | "new";

/** A line error in the person's language, keeping the value and the line the API quoted. */
function lineErrorText(t: Translate, error: ImportLineError): string {
  const key = `contactImport.code.${error.code}`;
  if (!isMessageKey(key)) return error.message;
  const line = /line (\d+)/.exec(error.message)?.[1] ?? "";
  return t(key, { value: error.value ?? "", line, cell: error.cell ?? "" });
}

/** A warning in the person's language; it names its own line. */
function warningText(t: Translate, warning: ImportLineError): string {
  const key = `contactImport.code.${warning.code}`;
  return isMessageKey(key) ? t(key, { line: String(warning.line) }) : warning.message;
}

/** A column's field in words (`lastName` → « Nom »), or the key itself when unknown. */
function fieldLabel(t: Translate, key: string): string {
  const label = `contactImport.field.${key}`;
  return isMessageKey(label) ? t(label) : key;
}

function typeLabel(t: Translate, type: string): string {
  const label = `contacts.type.${type}`;
  return isMessageKey(label) ? t(label) : type;
}

function fileProblem(file: File): "type" | "xls" | "size" | "empty" | null {
  const name = file.name.toLowerCase();
  if (name.endsWith(".xls")) return "xls";
  if (!name.endsWith(".xlsx") && !name.endsWith(".csv")) return "type";
  if (file.size === 0) return "empty";
  if (file.size > maxBytes) return "size";
  return null;
}

/**
 * Importing contacts from .xlsx or CSV: upload straight to S3 with a progress bar, the dry run with every
 * error by line and column and a mapping step for unknown columns, the choice of agencies and list, then
 * the import in the background followed live until its error report.
 */
export function ContactImportPage() {
  usePageTitle("contactImport.title");
  const { t, number } = useI18n();
  const me = useMe();
  const id = useId();
  const upload = useUpload(fileProblem);
  const [step, setStep] = useState<Step>({ kind: "pick" });
  const [failure, setFailure] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [checkedMapping, setCheckedMapping] = useState<ImportMapping>({});
  const [mappable, setMappable] = useState<string[]>([]);
  const [rechecking, setRechecking] = useState(false);
  const [agencyIds, setAgencyIds] = useState<string[]>([]);
  const [listChoice, setListChoice] = useState<ListChoice>("new");
  const [existingListId, setExistingListId] = useState("");
  const [newListName, setNewListName] = useState("");
  const [newListAgency, setNewListAgency] = useState("");
  const [onlyValid, setOnlyValid] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [starting, setStarting] = useState(false);

  const agencyList = useResource(() => agenciesApi.list(true));
  const recent = useResource(() => contactImports.recent(10));
  const existingLists = useResource(() => listsApi.list());
  const usable: Agency[] = (agencyList.data?.items ?? []).filter(
    (agency) => !agency.archived && (me?.role === "admin" || me?.agencyIds.includes(agency.agencyId)),
  );

  // one agency of mine: it comes ticked
  useEffect(() => {
    if (agencyIds.length === 0 && usable.length === 1 && usable[0]) setAgencyIds([usable[0].agencyId]);
  }, [usable, agencyIds.length]);

  const reloadRecent = recent.reload;
  const running = step.kind === "running" ? step.info : null;
  const runningId = running?.importId;
  const finished = running?.status === "done" || running?.status === "failed";

  // the import runs in the background: read its progress until it ends
  useEffect(() => {
    if (!runningId || finished) return;
    let live = true;
    const timer = window.setInterval(() => {
      contactImports.get(runningId).then(
        ({ import: info }) => {
          if (!live) return;
          setStep({ kind: "running", info });
          if (info.status === "done" || info.status === "failed") void reloadRecent();
        },
        () => undefined,
      );
    }, pollMs);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [runningId, finished, reloadRecent]);

  const { file } = upload;

  const send = async () => {
    setFailure(null);
    try {
      const sent = await upload.send(async (chosen) => {
        const created = await contactImports.create({ fileName: chosen.name, size: chosen.size });
        const importId = created.import.importId;
        return {
          post: created.upload,
          check: async () => ({ importId, check: await contactImports.check(importId) }),
        };
      });
      if (!sent) return;
      const { check } = sent;
      setImportId(sent.importId);
      setMapping({});
      setCheckedMapping({});
      setMappable(check.headers.unknown);
      setOnlyValid(false);
      setNewListName((file?.name ?? "").replace(/\.[^.]+$/, ""));
      setStep({ kind: "report", check });
      void recent.reload();
    } catch (error) {
      setFailure(
        error instanceof Error && error.message.startsWith("upload.")
          ? t("contactImport.error.upload")
          : contactsErrorText(t, error),
      );
    }
  };

  const recheck = async () => {
    if (!importId || step.kind !== "report") return;
    setRechecking(true);
    setFailure(null);
    try {
      const check = await contactImports.check(importId, mapping);
      setCheckedMapping(mapping);
      setMappable((current) => [...new Set([...current, ...check.headers.unknown])]);
      setStep({ kind: "report", check });
    } catch (error) {
      setFailure(contactsErrorText(t, error));
    } finally {
      setRechecking(false);
    }
  };

  const listFields = listFieldsOf(checkedMapping);
  const listAgency = newListAgency || agencyIds[0] || "";

  const start = async () => {
    if (!importId || step.kind !== "report") return;
    setAttempted(true);
    const { check } = step;
    if (agencyIds.length === 0) return;
    if (check.errorCount > 0 && !onlyValid) return;
    if (listChoice === "existing" && !existingListId) return;
    if (listChoice === "new" && (!newListName.trim() || !listAgency)) return;
    if (listChoice === "none" && listFields.length > 0) return;
    setStarting(true);
    setFailure(null);
    let createdListId: string | undefined;
    try {
      let listId = listChoice === "existing" ? existingListId : undefined;
      if (listChoice === "new") {
        const created = await listsApi.create({
          name: newListName.trim(),
          agencyId: listAgency,
          fields: listFields,
        });
        createdListId = created.list.listId;
        listId = createdListId;
      }
      const { import: info } = await contactImports.start(importId, {
        agencyIds,
        listId,
        onlyValid: check.errorCount > 0 ? onlyValid : undefined,
      });
      setStep({ kind: "running", info });
      void recent.reload();
    } catch (error) {
      // a list made for an import that did not start would stay empty: it goes
      if (createdListId) await listsApi.remove(createdListId).catch(() => undefined);
      setFailure(contactsErrorText(t, error));
    } finally {
      setStarting(false);
    }
  };

  const reset = () => {
    upload.reset();
    setFailure(null);
    setImportId(null);
    setAttempted(false);
    setStep({ kind: "pick" });
  };

  const stepLabels = [
    t("contactImport.step.file"),
    t("contactImport.step.check"),
    t("contactImport.step.destination"),
    t("contactImport.step.import"),
  ];
  const current =
    step.kind === "running" ? 3 : step.kind === "report" ? 2 : upload.phase.kind === "checking" ? 1 : 0;

  let body: ReactNode;
  if (step.kind === "pick") {
    const { phase } = upload;
    body = (
      <section className="card card-padded stack" data-testid="import-pick">
        <p>{t("contactImport.intro")}</p>
        <ul className="column-list" aria-label={t("contactImport.columns")}>
          {importFields.map((field) => (
            <li key={field}>
              <code>{t(`contactImport.field.${field}`)}</code>
            </li>
          ))}
        </ul>
        <p className="text-subtle">{t("contactImport.rules")}</p>
        {phase.kind === "idle" ? (
          <>
            <FilePicker
              upload={upload}
              messages="contactImport"
              problem={upload.problem && t(`contactImport.file.${upload.problem}`)}
              onChoose={() => setFailure(null)}
              droppable
              testId="import-file"
            />
            <ErrorNotice text={failure} testId="import-error" />
            <div className="form-actions form-actions-start">
              <button
                type="button"
                className="button button-primary"
                disabled={!file || upload.problem !== null}
                onClick={() => void send()}
                data-testid="import-upload"
              >
                <Icon name="upload" />
                {t("contactImport.uploadAndCheck")}
              </button>
            </div>
          </>
        ) : (
          <div className="stack" aria-live="polite">
            <p>
              {phase.kind === "uploading"
                ? t("contactImport.uploading", { name: file?.name ?? "" })
                : t("contactImport.checking")}
            </p>
            <ProgressBar
              percent={upload.percent}
              busy={phase.kind === "checking"}
              label={t("contactImport.uploadProgress")}
              testId="upload-progress"
              large
            />
            <div className="progress-meta">
              <span className="text-subtle tabular">
                {t("contactImport.percent", { percent: upload.percent })}
              </span>
              <button type="button" className="button button-small" onClick={reset}>
                {t("common.cancel")}
              </button>
            </div>
          </div>
        )}
      </section>
    );
  } else if (step.kind === "report") {
    const { check } = step;
    const hasErrors = check.errorCount > 0;
    // what the import brings in once started (errors need the box ticked, the count does not change)
    const importable = check.valid;
    const { errorLines } = check;
    const dirty = JSON.stringify(mapping) !== JSON.stringify(checkedMapping);
    body = (
      <div className="stack">
        <section className="card card-padded stack" data-testid="import-report">
          <div className="card-title-row">
            <h2 className="card-title">
              <Icon name="file" />
              {file?.name ?? check.import.fileName}
            </h2>
            <button type="button" className="button button-quiet button-small" onClick={reset}>
              {t("contactImport.otherFile")}
            </button>
          </div>
          <UploadReport
            messages="contactImport"
            total={check.total}
            valid={check.valid}
            errorCount={errorLines}
            errors={check.errors.map((error) => ({
              line: error.line,
              column: error.column,
              problem: lineErrorText(t, error),
              value: error.value,
            }))}
            valueLabel={t("contactImport.report.value")}
            tall
            notes={
              <>
                {check.errorCount !== errorLines && (
                  <p className="text-subtle" data-testid="import-error-total">
                    {t("contactImport.report.errorTotal", { count: number(check.errorCount) })}
                  </p>
                )}
                {check.warningCount > 0 && (
                  <Notice tone="warning" testId="import-warnings">
                    <p>{t("contactImport.report.warnings", { count: number(check.warningCount) })}</p>
                    <ul>
                      {check.warnings.map((warning) => (
                        <li key={`${warning.line}-${warning.code}`}>{warningText(t, warning)}</li>
                      ))}
                    </ul>
                  </Notice>
                )}
                {check.headers.missing.length > 0 && (
                  <Notice tone="warning">
                    <p>
                      {t("contactImport.report.missing", {
                        columns: check.headers.missing.map((field) => fieldLabel(t, field)).join(", "),
                      })}
                    </p>
                  </Notice>
                )}
                {check.headers.matched.length > 0 && (
                  <p className="text-subtle matched-line">
                    {t("contactImport.report.matched")}{" "}
                    {check.headers.matched.map((match) => {
                      const label = fieldLabel(t, match.key);
                      return (
                        <span key={match.header} className="matched-chip">
                          {label.toLowerCase() === match.header.trim().toLowerCase()
                            ? match.header
                            : `${match.header} → ${label}`}
                        </span>
                      );
                    })}
                  </p>
                )}
              </>
            }
            errorsNote={
              <>
                {check.truncated && (
                  <p className="text-subtle">
                    {t("contactImport.report.truncated", {
                      shown: number(check.errors.length),
                      total: number(check.errorCount),
                    })}
                  </p>
                )}
                <p className="text-subtle">{t("contactImport.report.fixHint")}</p>
              </>
            }
            preview={{
              summary: t("contactImport.report.preview", { count: number(check.preview.length) }),
              head: (
                <>
                  <th scope="col">{t("contacts.column.name")}</th>
                  <th scope="col">{t("contacts.field.mobile")}</th>
                  <th scope="col">{t("contacts.field.email")}</th>
                  <th scope="col">{t("contacts.field.type")}</th>
                </>
              ),
              rows: check.preview.map((row) => (
                <tr key={row.line}>
                  <td className="num tabular">{number(row.line)}</td>
                  <td>{[row.civility, row.firstName, row.lastName].filter(Boolean).join(" ") || "—"}</td>
                  <td className="nowrap">
                    {row.mobile ? (
                      <span className="phone-cell">
                        {formatPhone(row.mobile)}
                        {!row.smsCapable && <NotSmsMarker />}
                      </span>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{row.email ?? "—"}</td>
                  <td>{row.type ? typeLabel(t, row.type) : "—"}</td>
                </tr>
              )),
            }}
          />
        </section>

        <MappingStep
          headers={mappable}
          mapping={mapping}
          onChange={setMapping}
          onRecheck={() => void recheck()}
          dirty={dirty}
          busy={rechecking}
        />

        <section
          className="card card-padded stack"
          aria-labelledby="destination-title"
          data-testid="import-destination"
        >
          <h2 id="destination-title" className="card-title">
            {t("contactImport.destination.title")}
          </h2>
          <div className="field">
            <span className="field-label">{t("contactImport.destination.agencies")}</span>
            <AgencyPicker
              agencies={usable}
              value={agencyIds}
              onChange={setAgencyIds}
              invalid={attempted && agencyIds.length === 0}
            />
            {attempted && agencyIds.length === 0 && (
              <FieldError>{t("contacts.field.error.agencies")}</FieldError>
            )}
          </div>
          <fieldset className="field">
            <legend className="field-label">{t("contactImport.destination.list")}</legend>
            <div className="radio-row">
              {(["new", "existing", "none"] as const).map((option) => (
                <label key={option} className="checkbox">
                  <input
                    type="radio"
                    name={`${id}-list`}
                    checked={listChoice === option}
                    data-testid={`import-list-${option}`}
                    onChange={() => setListChoice(option)}
                  />
                  <span>{t(`contactImport.destination.list.${option}`)}</span>
                </label>
              ))}
            </div>
            {listChoice === "new" && (
              <div className="field-row">
                <div className="field">
                  <label htmlFor={`${id}-list-name`}>{t("lists.field.name")}</label>
                  <input
                    id={`${id}-list-name`}
                    value={newListName}
                    maxLength={120}
                    data-testid="import-list-name"
                    aria-invalid={attempted && !newListName.trim() ? true : undefined}
                    onChange={(event) => setNewListName(event.target.value)}
                  />
                  {attempted && !newListName.trim() && (
                    <FieldError>{t("lists.field.nameMissing")}</FieldError>
                  )}
                </div>
                <div className="field">
                  <label htmlFor={`${id}-list-agency`}>{t("lists.field.agency")}</label>
                  <select
                    id={`${id}-list-agency`}
                    value={listAgency}
                    onChange={(event) => setNewListAgency(event.target.value)}
                  >
                    {usable.map((agency) => (
                      <option key={agency.agencyId} value={agency.agencyId}>
                        {agency.name}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            )}
            {listChoice === "existing" && (
              <div className="field">
                <label htmlFor={`${id}-list-pick`} className="visually-hidden">
                  {t("lists.selection.list")}
                </label>
                <select
                  id={`${id}-list-pick`}
                  value={existingListId}
                  data-testid="import-list-pick"
                  aria-invalid={attempted && !existingListId ? true : undefined}
                  onChange={(event) => setExistingListId(event.target.value)}
                >
                  <option value="">{t("lists.selection.pick")}</option>
                  {(existingLists.data?.items ?? []).map((list) => (
                    <option key={list.listId} value={list.listId}>
                      {list.name}
                    </option>
                  ))}
                </select>
                {attempted && !existingListId && <FieldError>{t("lists.selection.pickMissing")}</FieldError>}
              </div>
            )}
            {listFields.length > 0 && (
              <p className="field-hint">
                {t(
                  listChoice === "none"
                    ? "contactImport.destination.listNeeded"
                    : "contactImport.destination.listFields",
                  {
                    fields: listFields.map((name) => `%${name}%`).join(", "),
                  },
                )}
              </p>
            )}
          </fieldset>
          {hasErrors && (
            <label className="checkbox checkbox-block only-valid">
              <input
                type="checkbox"
                checked={onlyValid}
                disabled={check.valid === 0}
                data-testid="import-only-valid"
                onChange={(event) => setOnlyValid(event.target.checked)}
              />
              <span>
                {t("contactImport.onlyValid", { valid: number(check.valid) })}
                <span className="text-subtle">
                  {" "}
                  — {t("contactImport.onlyValidHint", { errors: number(check.errorCount) })}
                </span>
              </span>
            </label>
          )}
          {attempted && hasErrors && !onlyValid && (
            <FieldError>{t("contactImport.onlyValidNeeded")}</FieldError>
          )}
          <ErrorNotice text={failure} testId="import-error" />
          <div className="form-actions form-actions-start">
            <button
              type="button"
              className="button button-primary"
              disabled={starting || importable === 0 || dirty || (hasErrors && !onlyValid)}
              onClick={() => void start()}
              data-testid="import-start"
            >
              {starting ? <span className="spinner" aria-hidden="true" /> : <Icon name="upload" />}
              {t("contactImport.start", { count: number(importable) })}
            </button>
            {dirty && <span className="text-subtle">{t("contactImport.mapping.dirty")}</span>}
          </div>
        </section>
      </div>
    );
  } else {
    const info = step.info;
    const { progress } = info;
    const done = info.status === "done";
    const failed = info.status === "failed";
    const waiting = info.status === "queued";
    body = (
      <section className="card card-padded stack" data-testid="import-run" data-status={info.status}>
        <div className="card-title-row">
          <h2 className="card-title">
            <Icon name="file" />
            {info.fileName}
          </h2>
          <ImportStatusBadge status={info.status} />
        </div>
        <ProgressBar
          percent={progress.percent}
          busy={waiting}
          done={done}
          label={t("contactImport.runProgress")}
          testId="import-progress"
          large
        />
        <div className="progress-meta">
          <span className="tabular" data-testid="import-rows">
            {t("contactImport.rows", { done: number(progress.rowsDone), total: number(progress.total) })}
          </span>
          <strong className="tabular" data-testid="import-percent">
            {t("contactImport.percent", { percent: progress.percent })}
          </strong>
        </div>
        <Stats
          testId="import-counters"
          items={[
            {
              label: t("contactImport.result.created"),
              value: progress.created,
              testId: "import-created",
              tone: "ok",
            },
            { label: t("contactImport.result.updated"), value: progress.updated, testId: "import-updated" },
            {
              label: t("contactImport.result.unchanged"),
              value: progress.unchanged,
              testId: "import-unchanged",
            },
            { label: t("contactImport.result.skipped"), value: progress.skipped, testId: "import-skipped" },
            {
              label: t("contactImport.result.errors"),
              value: progress.errors,
              testId: "import-errors-count",
              tone: progress.errors > 0 ? "bad" : undefined,
            },
          ]}
        />
        {info.stalled && (
          <Notice tone="warning">
            <p>{t("contactImport.stalled")}</p>
          </Notice>
        )}
        {done && (
          <Notice tone="success" testId="import-done">
            <p>{t("contactImport.done")}</p>
          </Notice>
        )}
        {failed && (
          <Notice tone="error" testId="import-failed">
            <p>{t("contactImport.failed")}</p>
            {info.failure && <p className="text-subtle">{info.failure.message}</p>}
          </Notice>
        )}
        {(done || failed) && (
          <div className="form-actions form-actions-start">
            {info.hasReport && (
              <a
                className="button"
                href={contactImports.reportUrl(info.importId)}
                data-testid="import-report-link"
              >
                <Icon name="download" />
                {t("contactImport.reportLink")}
              </a>
            )}
            {info.listId && done && (
              <Link
                href={`/lists/${encodeURIComponent(info.listId)}`}
                className="button"
                data-testid="import-open-list"
              >
                <Icon name="lists" />
                {t("contactImport.openList")}
              </Link>
            )}
            <Link href="/contacts" className="button">
              <Icon name="contacts" />
              {t("contactImport.seeContacts")}
            </Link>
            <button type="button" className="button button-primary" onClick={reset}>
              <Icon name="upload" />
              {t("contactImport.another")}
            </button>
          </div>
        )}
      </section>
    );
  }

  return (
    <div className="page page-wide import-page">
      <Link href="/contacts" className="back-link page-back">
        <Icon name="chevronLeft" />
        {t("contacts.title")}
      </Link>
      <header className="page-header">
        <div>
          <h1>{t("contactImport.title")}</h1>
          <p className="page-subtitle">{t("contactImport.subtitle")}</p>
        </div>
        <a
          className="button"
          href={contactImports.templateUrl}
          download
          data-testid="contact-import-template"
        >
          <Icon name="download" />
          {t("import.template")}
        </a>
      </header>
      <ImportSteps messages="contactImport" labels={stepLabels} current={current} finished={finished} page />
      {body}
      <RecentImports
        resource={recent}
        onFollow={(item) => {
          setImportId(item.importId);
          setStep({ kind: "running", info: item });
        }}
      />
    </div>
  );
}
