import "./vault.css";
import { type DragEvent, useId, useRef, useState } from "react";
import { agencies as agenciesApi, uploadToPresignedPost } from "../accounts/client";
import { AgencyPicker } from "../components/agency-picker";
import { DataTable } from "../components/data-table";
import { ErrorNotice, Notice } from "../components/notice";
import { Stats } from "../components/stats";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { useMe } from "../session/session-store";
import { type Batch, type Plan, vault } from "./client";
import { PartnerFinder } from "./partner-finder";
import { fileSize, vaultErrorText } from "./vault-text";
import { unzip } from "./zip";

type Rule = "matricule" | "name";

type Run =
  | { phase: "idle" }
  | { phase: "uploading"; done: number; total: number }
  | { phase: "publishing"; batch?: Batch; total: number }
  | { phase: "done"; batch: Batch; sent: number; failed: string[] };

const parallelUploads = 3;
const pollEveryMs = 1000;

const isPdf = (file: File) => file.type === "application/pdf" || /\.pdf$/i.test(file.name);
const isZip = (file: File) => /\.zip$/i.test(file.name) || /zip/.test(file.type);

/**
 * Bulk upload: files matched to partners by matricule or NOM_Prénom (a dry run first), then each matched
 * file posted straight to storage, then the batch published in the background and followed until done.
 */
export function UploadPage() {
  usePageTitle("vault.upload.title");
  const { t, number } = useI18n();
  const id = useId();
  const me = useMe();
  const types = useResource(() => vault.types());
  const agencyList = useResource(() => agenciesApi.list(false));
  const agencies = (agencyList.data?.items ?? []).filter(
    (agency) => !agency.archived && (me?.role === "admin" || me?.agencyIds.includes(agency.agencyId)),
  );
  const [typeId, setTypeId] = useState("");
  const [rule, setRule] = useState<Rule>("matricule");
  const [chosenAgency, setAgencyId] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [plan, setPlan] = useState<Plan | null>(null);
  /** « Ambigu » or « Non trouvé » files the user gave a partner, by file name; the server checks each partner is the company's. */
  const [assigned, setAssigned] = useState<Map<string, string>>(new Map());
  /** The candidates of a file found ambiguous, kept once it is assigned so the choice can change. */
  const [candidatesOf, setCandidatesOf] = useState<
    Map<string, NonNullable<Plan["files"][number]["candidates"]>>
  >(new Map());
  const [run, setRun] = useState<Run>({ phase: "idle" });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const chosenType = typeId || types.data?.items[0]?.typeId || "";
  const agencyId = chosenAgency || (agencies.length === 1 ? (agencies[0]?.agencyId ?? "") : "");
  const working = busy || run.phase === "uploading" || run.phase === "publishing";
  const request = (choices = assigned) => ({
    typeId: chosenType,
    rule,
    files: files.map((file) => {
      const partnerId = choices.get(file.name);
      return { fileName: file.name, size: file.size, ...(partnerId ? { partnerId } : {}) };
    }),
  });
  const remember = (answer: Plan) => {
    setCandidatesOf((current) => {
      const next = new Map(current);
      for (const file of answer.files) if (file.candidates?.length) next.set(file.fileName, file.candidates);
      return next;
    });
    setPlan(answer);
  };
  const assign = async (fileName: string, partnerId: string) => {
    const next = new Map(assigned);
    if (partnerId) next.set(fileName, partnerId);
    else next.delete(fileName);
    setAssigned(next);
    setBusy(true);
    try {
      remember(await vault.plan(request(next)));
    } catch (error) {
      setFailure(vaultErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (picked: FileList | null) => {
    if (!picked) return;
    const all: File[] = [];
    let unreadable = false;
    for (const file of picked) {
      if (!isZip(file)) all.push(file);
      else
        await unzip(file).then(
          (inside) => all.push(...inside),
          () => {
            unreadable = true;
          },
        );
    }
    const added = all.filter(isPdf);
    setFiles((current) => {
      const names = new Set(current.map((file) => file.name));
      return [...current, ...added.filter((file) => !names.has(file.name))];
    });
    setPlan(null);
    setRun({ phase: "idle" });
    if (unreadable) setFailure(t("vault.upload.zipUnreadable"));
    else if (all.some((file) => !isPdf(file))) setFailure(t("vault.upload.onlyPdf"));
    else setFailure(null);
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    void choose(event.dataTransfer.files);
  };

  const check = async () => {
    if (files.length === 0 || !chosenType) return;
    setBusy(true);
    setFailure(null);
    try {
      remember(await vault.plan(request()));
    } catch (error) {
      setFailure(vaultErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const follow = async (batchId: string, total: number, failed: string[]) => {
    for (;;) {
      const { batch } = await vault.batch(batchId);
      if (batch.status === "published") {
        setRun({ phase: "done", batch, sent: total - failed.length, failed });
        return;
      }
      setRun({ phase: "publishing", batch, total });
      await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
    }
  };

  const publish = async () => {
    if (!plan || !agencyId) return;
    setBusy(true);
    setFailure(null);
    try {
      const created = await vault.createBatch({ ...request(), agencyId });
      // the uploads come in the order of the matched files; the skipped ones name their index
      const skipped = new Set(created.skipped.map((file) => file.index));
      const matched = files.filter((_, index) => !skipped.has(index));
      const total = created.uploads.length;
      let done = 0;
      const failed: string[] = [];
      setRun({ phase: "uploading", done, total });
      const queue = created.uploads.map((upload, index) => ({ upload, file: matched[index] }));
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          try {
            if (!next.file) throw new Error("upload.missing");
            await uploadToPresignedPost(next.upload, next.file, () => undefined);
          } catch {
            failed.push(next.upload.fileName);
          }
          done += 1;
          setRun({ phase: "uploading", done, total });
        }
      };
      await Promise.all(Array.from({ length: parallelUploads }, worker));
      await vault.publish(created.batchId);
      setRun({ phase: "publishing", total });
      await follow(created.batchId, total, failed);
    } catch (error) {
      setFailure(vaultErrorText(t, error));
      setRun({ phase: "idle" });
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setFiles([]);
    setPlan(null);
    setRun({ phase: "idle" });
    if (inputRef.current) inputRef.current.value = "";
  };

  const notSent = plan?.files.filter((file) => file.status !== "matched") ?? [];
  const uploadPercent =
    run.phase === "uploading" ? Math.round((run.done / Math.max(1, run.total)) * 100) : 100;
  const publishDone = run.phase === "publishing" && run.batch ? run.batch.published + run.batch.rejected : 0;
  const publishPercent =
    run.phase === "done"
      ? 100
      : run.phase === "publishing"
        ? Math.round((publishDone / Math.max(1, run.total)) * 100)
        : 0;

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("vault.upload.title")}</h1>
          <p className="page-subtitle">{t("vault.upload.subtitle")}</p>
        </div>
      </header>
      <ErrorNotice text={failure} testId="upload-error" />

      <section className="card vault-form">
        <div className="form">
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-type`}>{t("vault.types.type")}</label>
              <select
                id={`${id}-type`}
                value={chosenType}
                disabled={working}
                onChange={(event) => {
                  setTypeId(event.target.value);
                  setPlan(null);
                }}
                data-testid="upload-type"
              >
                {types.data?.items.map((type) => (
                  <option key={type.typeId} value={type.typeId}>
                    {type.name}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="field">
              <legend>{t("vault.upload.rule")}</legend>
              <div className="radio-row">
                {(["matricule", "name"] as const).map((option) => (
                  <label key={option} className="checkbox">
                    <input
                      type="radio"
                      name={`${id}-rule`}
                      checked={rule === option}
                      disabled={working}
                      onChange={() => {
                        setRule(option);
                        setPlan(null);
                      }}
                      data-testid={`upload-rule-${option}`}
                    />
                    {t(`vault.upload.rule.${option}`)}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          <div className="field">
            <span className="field-label">{t("vault.upload.agency")}</span>
            <AgencyPicker
              agencies={agencies}
              value={agencyId ? [agencyId] : []}
              disabled={working}
              // one agency sends the announcement: the last ticked wins
              onChange={(value) => setAgencyId(value.filter((chosen) => chosen !== agencyId)[0] ?? "")}
            />
          </div>
          <div className="field">
            <label
              htmlFor={`${id}-files`}
              className="dropzone"
              onDragOver={(event) => event.preventDefault()}
              onDrop={drop}
              data-testid="upload-dropzone"
            >
              <Icon name="file" size={22} className="dropzone-icon" />
              <span>
                {files.length > 0
                  ? t("vault.upload.chosen", { count: number(files.length) })
                  : t("vault.upload.choose")}
              </span>
              <span className="text-subtle">{t("vault.upload.accepted")}</span>
            </label>
            <input
              ref={inputRef}
              id={`${id}-files`}
              className="visually-hidden"
              type="file"
              multiple
              accept=".pdf,application/pdf,.zip,application/zip"
              disabled={working}
              onChange={(event) => void choose(event.target.files)}
              data-testid="upload-files"
            />
          </div>
          <div className="form-actions form-actions-start">
            <button
              type="button"
              className="button"
              disabled={files.length === 0 || working}
              onClick={() => void check()}
              data-testid="upload-check"
            >
              <Icon name="search" />
              {t("vault.upload.check")}
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={!plan || plan.matched === 0 || !agencyId || working || run.phase === "done"}
              onClick={() => void publish()}
              data-testid="upload-publish"
            >
              <Icon name="send" />
              {t("vault.upload.publish", { count: number(plan?.matched ?? 0) })}
            </button>
            {files.length > 0 && !working && (
              <button type="button" className="button button-quiet" onClick={reset}>
                {t("vault.upload.reset")}
              </button>
            )}
          </div>
          {plan && !agencyId && <p className="field-hint">{t("vault.upload.pickAgency")}</p>}
        </div>
      </section>

      {run.phase !== "idle" && (
        <section className="card vault-run" data-testid="upload-run" data-phase={run.phase}>
          <ProgressLine
            label={t("vault.upload.progress.upload")}
            percent={uploadPercent}
            text={
              run.phase === "uploading"
                ? `${number(run.done)} / ${number(run.total)}`
                : t("vault.upload.progress.finished")
            }
            testId="upload-progress"
          />
          {run.phase !== "uploading" && (
            <ProgressLine
              label={t("vault.upload.progress.publish")}
              percent={publishPercent}
              busy={run.phase === "publishing" && publishDone === 0}
              text={
                run.phase === "done"
                  ? t("vault.upload.progress.finished")
                  : `${number(publishDone)} / ${number(run.total)}`
              }
              testId="publish-progress"
            />
          )}
          {run.phase === "done" && (
            <>
              <Stats
                testId="publish-result"
                items={[
                  {
                    label: t("vault.upload.result.published"),
                    value: run.batch.published,
                    testId: "result-published",
                    tone: "ok",
                  },
                  {
                    label: t("vault.upload.result.rejected"),
                    value: run.batch.rejected,
                    testId: "result-rejected",
                    tone: run.batch.rejected > 0 ? "bad" : undefined,
                  },
                  {
                    label: t("vault.upload.result.notSent"),
                    value: notSent.length + run.failed.length,
                    testId: "result-not-sent",
                  },
                ]}
              />
              {run.batch.campaignId && (
                <Link
                  href={`/campaigns/${encodeURIComponent(run.batch.campaignId)}`}
                  className="button"
                  data-testid="publish-campaign"
                >
                  <Icon name="campaigns" />
                  {t("vault.upload.campaign")}
                </Link>
              )}
              {run.failed.length > 0 && (
                <Notice tone="warning">
                  <p>{t("vault.upload.failedUploads", { files: run.failed.join(", ") })}</p>
                </Notice>
              )}
            </>
          )}
        </section>
      )}

      {plan && (
        <>
          <Stats
            testId="plan-counts"
            items={[
              {
                label: t("vault.upload.status.matched"),
                value: plan.matched,
                testId: "plan-matched",
                tone: "ok",
              },
              {
                label: t("vault.upload.status.unmatched"),
                value: plan.unmatched,
                testId: "plan-unmatched",
                tone: plan.unmatched > 0 ? "bad" : undefined,
              },
              {
                label: t("vault.upload.status.ambiguous"),
                value: plan.ambiguous,
                testId: "plan-ambiguous",
                tone: plan.ambiguous > 0 ? "bad" : undefined,
              },
              {
                label: t("vault.upload.status.invalid"),
                value: plan.invalid,
                testId: "plan-invalid",
                tone: plan.invalid > 0 ? "bad" : undefined,
              },
            ]}
          />
          {notSent.length > 0 && (
            <Notice tone="warning" testId="plan-not-sent">
              <p>{t("vault.upload.notSent", { count: number(notSent.length) })}</p>
            </Notice>
          )}
          <DataTable
            caption={t("vault.upload.planCaption")}
            testId="plan-table"
            scroll
            columns={3}
            head={
              <>
                <th scope="col">{t("vault.documents.file")}</th>
                <th scope="col">{t("vault.upload.partner")}</th>
                <th scope="col">{t("vault.upload.status")}</th>
              </>
            }
          >
            {plan.files.map((file) => (
              <tr
                key={file.index}
                data-testid="plan-row"
                data-status={file.status}
                className={file.status === "matched" ? undefined : "is-not-sent"}
              >
                <th scope="row">
                  {file.fileName}
                  {files[file.index] && (
                    <span className="text-subtle">
                      {" "}
                      · {fileSize(files[file.index]?.size ?? 0, t, number)}
                    </span>
                  )}
                </th>
                <td>
                  {file.partner && !candidatesOf.get(file.fileName) ? (
                    <>
                      {file.partner.name}
                      {file.partner.matricule && (
                        <span className="text-subtle"> · {file.partner.matricule}</span>
                      )}
                      {assigned.has(file.fileName) && (
                        <>
                          {" "}
                          <button
                            type="button"
                            className="button button-quiet button-small"
                            disabled={working}
                            onClick={() => void assign(file.fileName, "")}
                            data-testid="plan-unassign"
                          >
                            {t("vault.upload.unassign")}
                          </button>
                        </>
                      )}
                    </>
                  ) : null}
                  {file.status === "unmatched" && (
                    <PartnerFinder
                      label={t("vault.upload.assign", { file: file.fileName })}
                      disabled={working}
                      onPick={(partnerId) => void assign(file.fileName, partnerId)}
                    />
                  )}
                  {candidatesOf.get(file.fileName) ? (
                    <select
                      className="plan-assign"
                      aria-label={t("vault.upload.assign", { file: file.fileName })}
                      value={assigned.get(file.fileName) ?? ""}
                      disabled={working}
                      onChange={(event) => void assign(file.fileName, event.target.value)}
                      data-testid="plan-assign"
                    >
                      <option value="">{t("vault.upload.assignPick")}</option>
                      {candidatesOf.get(file.fileName)?.map((candidate) => (
                        <option key={candidate.partnerId} value={candidate.partnerId}>
                          {candidate.name}
                          {candidate.matricule ? ` · ${candidate.matricule}` : ""}
                        </option>
                      ))}
                    </select>
                  ) : file.partner || file.status === "unmatched" ? null : (
                    <span className="text-subtle">—</span>
                  )}
                </td>
                <td>
                  <span className={`plan-status plan-status-${file.status}`} data-testid="plan-status">
                    {t(`vault.upload.status.${file.status}`)}
                  </span>
                  {file.status !== "matched" && (
                    <span className="text-subtle">
                      {" "}
                      · {t("vault.upload.willNotSend")}
                      {file.reason ? ` (${file.reason})` : ""}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </div>
  );
}

function ProgressLine({
  label,
  percent,
  text,
  busy = false,
  testId,
}: {
  label: string;
  percent: number;
  text: string;
  busy?: boolean;
  testId: string;
}) {
  return (
    <div className="progress-line">
      <div className="progress-line-head">
        <span>{label}</span>
        <span className="tabular" data-testid={`${testId}-text`}>
          {text}
        </span>
      </div>
      <div
        className="progress progress-lg"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid={testId}
      >
        <div
          className={`progress-bar${busy ? " is-busy" : ""}${percent === 100 ? " is-done" : ""}`}
          style={{ width: `${busy ? 100 : percent}%` }}
        />
      </div>
    </div>
  );
}
