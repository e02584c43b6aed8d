import "./apply.css";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { uploadToPresignedPost } from "../accounts/client";
import { ApiError } from "../api";
import { hasChosenLocale, useI18n } from "../i18n/i18n";
import { Logo } from "../icons";
import { usePageTitle } from "../page-title";
import { matchPath, usePathname, useSearchParam } from "../router";
import { LanguageSwitch } from "../shell/language-switch";
import { answerProblems, applyErrorText, emailPattern, type Problem, serverProblems } from "./apply-text";
import { type Answers, apply, type Draft, type FormField, inLocale, type PublicCampaign } from "./client";

type State =
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "closed"; notYet: boolean }
  | { kind: "failed"; error: unknown }
  | { kind: "ready"; campaign: PublicCampaign; draft: Draft | null; resumeFailed: boolean }
  | { kind: "sent"; campaign: PublicCampaign };

/**
 * The public application form (`/candidater/:slug`): no login, phone first. A draft is saved against an
 * email and resumed from the emailed link (`?reprise=`); files go straight to S3 while the candidate types.
 */
export function ApplyPage() {
  usePageTitle("apply.title");
  const { t, setLocale } = useI18n();
  const slug = matchPath("/candidater/:slug", usePathname())?.slug ?? "";
  const token = useSearchParam("reprise");
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const { campaign } = await apply.campaign(slug);
        const draft = token
          ? await apply.loadDraft(slug, token).then(
              (found) => found.draft,
              () => null,
            )
          : null;
        if (!live) return;
        if (draft && !hasChosenLocale()) setLocale(draft.language);
        setState({ kind: "ready", campaign, draft, resumeFailed: Boolean(token) && !draft });
      } catch (error) {
        if (!live) return;
        if (error instanceof ApiError && error.status === 404) setState({ kind: "missing" });
        else if (error instanceof ApiError && error.status === 410)
          setState({ kind: "closed", notYet: error.code === "apply.not_open" });
        else setState({ kind: "failed", error });
      }
    };
    void load();
    return () => {
      live = false;
    };
  }, [slug, token, setLocale]);

  const campaign = state.kind === "ready" || state.kind === "sent" ? state.campaign : null;

  return (
    <div className="apply">
      <header className="apply-top">
        <span className="apply-brand">
          <Logo />
          <span>{campaign?.companyName ?? t("apply.title")}</span>
        </span>
        <LanguageSwitch />
      </header>
      <main className="apply-main">
        {state.kind === "loading" && (
          <p className="apply-muted" role="status">
            {t("app.loading")}
          </p>
        )}
        {state.kind === "missing" && (
          <section className="apply-card" data-testid="apply-missing">
            <h1>{t("apply.missing.title")}</h1>
            <p className="apply-muted">{t("apply.missing.body")}</p>
          </section>
        )}
        {state.kind === "closed" && (
          <section className="apply-card" data-testid="apply-closed">
            <h1>{t(state.notYet ? "apply.closed.soonTitle" : "apply.closed.title")}</h1>
            <p className="apply-notice" role="status">
              {t(state.notYet ? "apply.closed.soon" : "apply.closed.over")}
            </p>
          </section>
        )}
        {state.kind === "failed" && (
          <section className="apply-card">
            <p className="apply-error" role="alert">
              {applyErrorText(t, state.error)}
            </p>
          </section>
        )}
        {state.kind === "ready" && (
          <ApplyForm
            slug={slug}
            campaign={state.campaign}
            token={state.draft ? (token ?? undefined) : undefined}
            draft={state.draft}
            resumeFailed={state.resumeFailed}
            onSent={() => setState({ kind: "sent", campaign: state.campaign })}
          />
        )}
        {state.kind === "sent" && (
          <section className="apply-card apply-done" data-testid="apply-done" aria-live="polite">
            <h1>{t("apply.done.title")}</h1>
            <p>{t("apply.done.body", { title: state.campaign.title })}</p>
            <p className="apply-muted">{t("apply.done.email")}</p>
          </section>
        )}
      </main>
    </div>
  );
}

const inputType = { text: "text", email: "email", mobile: "tel", date: "date" } as const;
const autoComplete: Record<string, string> = { firstName: "given-name", lastName: "family-name" };

type Uploading = { fileName: string; percent: number };

type FileDone = { fileId: string; fileName: string; size: number };
const candidateKeys = ["firstName", "lastName", "email", "mobile"] as const;
type CandidateKey = (typeof candidateKeys)[number];
/** The identity every form asks first, drawn like the campaign's own fields. */
const candidateFields: Record<CandidateKey, { kind: "text" | "email" | "mobile"; required: boolean }> = {
  firstName: { kind: "text", required: true },
  lastName: { kind: "text", required: true },
  email: { kind: "email", required: true },
  mobile: { kind: "mobile", required: false },
};

function ApplyForm({
  slug,
  campaign,
  token: initialToken,
  draft,
  resumeFailed,
  onSent,
}: {
  slug: string;
  campaign: PublicCampaign;
  token?: string;
  draft: Draft | null;
  resumeFailed: boolean;
  onSent: () => void;
}) {
  const { t, locale, dateTime } = useI18n();
  const id = useId();
  const [candidate, setCandidate] = useState<Record<CandidateKey, string>>({
    firstName: draft?.candidate.firstName ?? "",
    lastName: draft?.candidate.lastName ?? "",
    email: draft?.candidate.email ?? "",
    mobile: draft?.candidate.mobile ?? "",
  });
  const [answers, setAnswers] = useState<Answers>(draft?.answers ?? {});
  const [files, setFiles] = useState<Record<string, FileDone>>(
    Object.fromEntries((draft?.files ?? []).map((file) => [file.fieldId, file])),
  );
  const [uploading, setUploading] = useState<Record<string, Uploading>>({});
  const [problems, setProblems] = useState<Record<string, Problem>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [trap, setTrap] = useState("");
  const [saving, setSaving] = useState<"closed" | "asking" | "busy" | "saved">("closed");
  const [draftProblem, setDraftProblem] = useState<string | null>(null);
  // The draft's token: from the emailed link, or made by the first save (a file needs a draft to join).
  const tokenRef = useRef(initialToken);
  // One key for this filling: a double click or a retry after a lost answer makes one dossier.
  const idempotencyKey = useRef(crypto.randomUUID());
  const formRef = useRef<HTMLFormElement>(null);

  const clearProblem = (key: string) => setProblems(({ [key]: _, ...rest }) => rest);
  const setAnswer = (fieldId: string, value: string) => {
    setAnswers((current) => {
      const next = { ...current };
      if (value === "") delete next[fieldId];
      else next[fieldId] = value;
      return next;
    });
    clearProblem(fieldId);
  };

  const draftBody = (sendLink: boolean) => ({
    resumeToken: tokenRef.current,
    candidate: Object.fromEntries(
      Object.entries(candidate)
        .map(([key, value]) => [key, value.trim()])
        .filter(([, value]) => value),
    ),
    answers,
    language: locale,
    sendLink,
    website: trap || undefined,
  });

  const ensureDraft = async () => {
    if (tokenRef.current) return tokenRef.current;
    const saved = await apply.saveDraft(slug, draftBody(false));
    tokenRef.current = saved.resumeToken;
    return saved.resumeToken;
  };

  const upload = async (field: FormField, file: File | null) => {
    if (!file) return;
    const key = field.fieldId;
    clearProblem(key);
    if (file.size > campaign.maxFileBytes) {
      const megabytes = Math.round(campaign.maxFileBytes / 1024 / 1024);
      setProblems((current) => ({
        ...current,
        [key]: { text: t("apply.error.tooLarge", { size: megabytes }) },
      }));
      return;
    }
    if (!campaign.fileTypes.includes(file.type)) {
      setProblems((current) => ({ ...current, [key]: { text: t("apply.error.fileType") } }));
      return;
    }
    setUploading((current) => ({ ...current, [key]: { fileName: file.name, percent: 0 } }));
    try {
      const resumeToken = await ensureDraft();
      const target = await apply.presign(slug, {
        resumeToken,
        fieldId: key,
        fileName: file.name,
        size: file.size,
        contentType: file.type as (typeof campaign.fileTypes)[number] &
          Parameters<typeof apply.presign>[1]["contentType"],
      });
      await uploadToPresignedPost(target, file, (fraction) =>
        setUploading((current) => ({
          ...current,
          [key]: { fileName: file.name, percent: Math.round(fraction * 100) },
        })),
      );
      setFiles((current) => ({
        ...current,
        [key]: { fileId: target.fileId, fileName: file.name, size: file.size },
      }));
      setAnswer(key, target.fileId);
    } catch (error) {
      setProblems((current) => ({ ...current, [key]: { text: applyErrorText(t, error, "upload") } }));
    } finally {
      setUploading(({ [key]: _, ...rest }) => rest);
    }
  };

  const focusFirst = (found: Record<string, Problem>) => {
    const keys = [...candidateKeys, ...campaign.fields.map((field) => field.fieldId)];
    const first = keys.find((key) => found[key]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const found = answerProblems(t, campaign.fields, answers, candidate);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      setFailure(t("apply.error.fix"));
      focusFirst(found);
      return;
    }
    if (Object.keys(uploading).length > 0) {
      setFailure(t("apply.error.uploading"));
      return;
    }
    setSending(true);
    setFailure(null);
    try {
      await apply.submit(
        slug,
        {
          resumeToken: tokenRef.current,
          candidate: {
            firstName: candidate.firstName.trim(),
            lastName: candidate.lastName.trim(),
            email: candidate.email.trim(),
            mobile: candidate.mobile.trim() || undefined,
          },
          answers,
          language: locale,
          website: trap || undefined,
        },
        idempotencyKey.current,
      );
      onSent();
    } catch (error) {
      const fromServer = serverProblems(t, error);
      setProblems(fromServer);
      setFailure(applyErrorText(t, error));
      focusFirst(fromServer);
      setSending(false);
    }
  };

  const saveDraft = async (event: FormEvent) => {
    event.preventDefault();
    if (!emailPattern.test(candidate.email.trim())) {
      setDraftProblem(t("apply.error.email"));
      return;
    }
    setSaving("busy");
    setDraftProblem(null);
    try {
      const saved = await apply.saveDraft(slug, draftBody(true));
      tokenRef.current = saved.resumeToken;
      setSaving("saved");
    } catch (error) {
      setDraftProblem(applyErrorText(t, error));
      setSaving("asking");
    }
  };

  const candidateInput = (key: CandidateKey) => {
    const { kind, required } = candidateFields[key];
    return (
      <FieldInput
        key={key}
        fieldId={key}
        kind={kind}
        label={t(`apply.candidate.${key}`)}
        required={required}
        value={candidate[key]}
        problem={problems[key]}
        onChange={(value) => {
          setCandidate((current) => ({ ...current, [key]: value }));
          clearProblem(key);
        }}
      />
    );
  };

  return (
    <div className="apply-stack">
      <section className="apply-intro">
        <h1 data-testid="apply-title">{campaign.title}</h1>
        {campaign.agencyName && <p className="apply-muted">{campaign.agencyName}</p>}
        <p className="apply-muted">{t("apply.closesOn", { date: dateTime(campaign.closesAt) })}</p>
        {inLocale(campaign.description, locale) && (
          <p className="apply-description">{inLocale(campaign.description, locale)}</p>
        )}
        {draft && (
          <p className="apply-notice" role="status" data-testid="apply-resumed">
            {t("apply.resumed")}
          </p>
        )}
        {resumeFailed && (
          <p className="apply-notice" role="status" data-testid="apply-resume-failed">
            {t("apply.resumeFailed")}
          </p>
        )}
      </section>
      <form
        ref={formRef}
        className="apply-card apply-form"
        onSubmit={submit}
        noValidate
        data-testid="apply-form"
        aria-describedby={`${id}-required`}
      >
        <p className="apply-muted" id={`${id}-required`}>
          {t("apply.requiredHint")}
        </p>
        {candidateKeys.map(candidateInput)}
        {campaign.fields.map((field) => (
          <FieldInput
            key={field.fieldId}
            fieldId={field.fieldId}
            kind={field.kind}
            label={inLocale(field.label, locale)}
            help={field.help ? inLocale(field.help, locale) : undefined}
            required={field.required}
            options={(field.options ?? []).map((option) => ({
              value: option.value,
              label: inLocale(option.label, locale),
            }))}
            accept={campaign.fileTypes.join(",")}
            value={answers[field.fieldId] ?? ""}
            file={files[field.fieldId]}
            uploading={uploading[field.fieldId]}
            problem={problems[field.fieldId]}
            onChange={(value) => setAnswer(field.fieldId, value)}
            onFile={(file) => void upload(field, file)}
          />
        ))}
        {/* Honeypot: people never see nor reach it; a robot filling every input gives itself away. */}
        <div className="apply-trap" aria-hidden="true">
          <label htmlFor={`${id}-website`}>Website</label>
          <input
            id={`${id}-website`}
            name="website"
            type="text"
            tabIndex={-1}
            autoComplete="off"
            value={trap}
            onChange={(event) => setTrap(event.target.value)}
          />
        </div>
        {failure && (
          <p className="apply-error" role="alert" data-testid="apply-failure">
            {failure}
          </p>
        )}
        <button type="submit" className="apply-button" disabled={sending} data-testid="apply-submit">
          {sending && <span className="spinner" aria-hidden="true" />}
          {t(sending ? "apply.sending" : "apply.submit")}
        </button>
        {saving === "closed" && (
          <button
            type="button"
            className="apply-link"
            onClick={() => {
              setDraftProblem(null);
              setSaving("asking");
            }}
            data-testid="apply-save-later"
          >
            {t("apply.saveLater")}
          </button>
        )}
      </form>
      {(saving === "asking" || saving === "busy") && (
        <form className="apply-card apply-form" onSubmit={saveDraft} noValidate data-testid="apply-draft">
          <h2>{t("apply.draft.title")}</h2>
          <p className="apply-muted">{t("apply.draft.intro")}</p>
          <label htmlFor={`${id}-draft-email`} className="apply-label">
            {t("apply.draft.email")}
          </label>
          <input
            id={`${id}-draft-email`}
            type="email"
            inputMode="email"
            autoComplete="email"
            value={candidate.email}
            aria-invalid={draftProblem ? true : undefined}
            aria-describedby={draftProblem ? `${id}-draft-error` : undefined}
            onChange={(event) => setCandidate((current) => ({ ...current, email: event.target.value }))}
            data-testid="apply-draft-email"
          />
          {draftProblem && (
            <p className="apply-error" id={`${id}-draft-error`}>
              {draftProblem}
            </p>
          )}
          <div className="apply-row">
            <button type="button" className="apply-link" onClick={() => setSaving("closed")}>
              {t("apply.draft.cancel")}
            </button>
            <button
              type="submit"
              className="apply-button apply-button-secondary"
              disabled={saving === "busy"}
              data-testid="apply-draft-save"
            >
              {t("apply.draft.save")}
            </button>
          </div>
        </form>
      )}
      {saving === "saved" && (
        <p className="apply-card apply-notice" role="status" data-testid="apply-draft-saved">
          {t("apply.draft.saved", { email: candidate.email.trim() })}
        </p>
      )}
    </div>
  );
}

function FieldInput({
  fieldId,
  kind,
  label,
  help,
  required,
  options = [],
  accept,
  value,
  file,
  uploading,
  problem,
  onChange,
  onFile,
}: {
  fieldId: string;
  kind: FormField["kind"];
  label: string;
  help?: string;
  required: boolean;
  options?: { value: string; label: string }[];
  accept?: string;
  value: string;
  file?: FileDone;
  uploading?: Uploading;
  problem?: Problem;
  onChange: (value: string) => void;
  onFile?: (file: File | null) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const inputId = `${id}-input`;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [help ? helpId : "", problem ? errorId : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id: inputId,
    "data-field": fieldId,
    "aria-invalid": problem ? true : undefined,
    "aria-describedby": describedBy,
    "aria-required": required || undefined,
  };
  const mark = required ? (
    <span className="apply-required" aria-hidden="true">
      {" "}
      *
    </span>
  ) : (
    <span className="apply-muted"> {t("apply.optional")}</span>
  );
  const helpText = help && (
    <p className="apply-muted" id={helpId}>
      {help}
    </p>
  );
  const error = problem && (
    <p className="apply-error" id={errorId} data-testid="apply-field-error">
      {problem.text}
    </p>
  );

  if (kind === "choice") {
    return (
      <fieldset
        className="apply-field apply-choices"
        aria-describedby={describedBy}
        data-testid="apply-field"
        data-kind={kind}
      >
        <legend className="apply-label">
          {label}
          {mark}
        </legend>
        {helpText}
        {options.map((option, index) => (
          <label key={option.value} className="apply-choice">
            <input
              type="radio"
              name={id}
              value={option.value}
              checked={value === option.value}
              aria-invalid={problem ? true : undefined}
              data-field={index === 0 ? fieldId : undefined}
              onChange={() => onChange(option.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
        {error}
      </fieldset>
    );
  }

  const control =
    kind === "file" ? (
      <input
        {...common}
        type="file"
        accept={accept}
        className="apply-file"
        onChange={(event) => onFile?.(event.target.files?.[0] ?? null)}
      />
    ) : kind === "longText" ? (
      <textarea {...common} rows={5} value={value} onChange={(event) => onChange(event.target.value)} />
    ) : (
      <input
        {...common}
        type={inputType[kind]}
        inputMode={kind === "email" ? "email" : kind === "mobile" ? "tel" : undefined}
        autoComplete={
          autoComplete[fieldId] ?? (kind === "email" ? "email" : kind === "mobile" ? "tel" : undefined)
        }
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    );

  return (
    <div className="apply-field" data-testid="apply-field" data-kind={kind}>
      <label htmlFor={inputId} className="apply-label">
        {label}
        {mark}
      </label>
      {helpText}
      {control}
      {uploading && (
        <div
          className="apply-progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={uploading.percent}
          aria-label={t("apply.file.uploading", { name: uploading.fileName })}
          data-testid="apply-progress"
        >
          <div className="apply-progress-bar" style={{ width: `${uploading.percent}%` }} />
        </div>
      )}
      {file && !uploading && (
        <p className="apply-muted" data-testid="apply-file-done">
          {t("apply.file.done", {
            name: file.fileName,
            size: number(Math.max(1, Math.round(file.size / 1024))),
          })}
        </p>
      )}
      {error}
    </div>
  );
}
