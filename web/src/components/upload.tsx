import { type RefObject, useId, useRef, useState } from "react";
import { uploadToPresignedPost } from "../accounts/client";
import type { PresignedPost } from "../accounts/types";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { FieldError } from "./notice";

/** The two spreadsheet imports (contacts, users) keep their texts under these prefixes, with the same keys. */
export type ImportMessages = "contactImport" | "import";

export type UploadPhase = { kind: "idle" } | { kind: "uploading"; fraction: number } | { kind: "checking" };

export type Upload<Problem extends string> = {
  file: File | null;
  /** Why the chosen file cannot be sent (its type, its size…), before sending it. */
  problem: Problem | null;
  phase: UploadPhase;
  percent: number;
  inputRef: RefObject<HTMLInputElement | null>;
  choose: (file: File | null) => void;
  send: <Check>(
    start: (file: File) => Promise<{ post: PresignedPost; check: () => Promise<Check> }>,
  ) => Promise<Check | undefined>;
  /** Cancels a sending in flight and forgets the file. */
  reset: () => void;
};

/**
 * A file sent straight to S3, then checked by the API (the dry run). `send` resolves to the check, or to
 * undefined when `reset` cancelled it; the phase stays at `checking` after that, while the page shows its
 * report, until `reset`.
 */
export function useUpload<Problem extends string>(
  problemOf: (file: File) => Problem | null,
): Upload<Problem> {
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<UploadPhase>({ kind: "idle" });
  const problem = file ? problemOf(file) : null;

  const send: Upload<Problem>["send"] = async (start) => {
    if (!file || problem) return undefined;
    const controller = new AbortController();
    abortRef.current = controller;
    setPhase({ kind: "uploading", fraction: 0 });
    try {
      const { post, check } = await start(file);
      await uploadToPresignedPost(
        post,
        file,
        (fraction) => setPhase({ kind: "uploading", fraction }),
        controller.signal,
      );
      setPhase({ kind: "checking" });
      const checked = await check();
      return controller.signal.aborted ? undefined : checked;
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      setPhase({ kind: "idle" });
      throw error;
    }
  };

  const reset = () => {
    abortRef.current?.abort();
    setFile(null);
    setPhase({ kind: "idle" });
    if (inputRef.current) inputRef.current.value = "";
  };

  const percent =
    phase.kind === "uploading" ? Math.round(phase.fraction * 100) : phase.kind === "checking" ? 100 : 0;
  return { file, problem, phase, percent, inputRef, choose: setFile, send, reset };
}

/** The drop zone of an import: the chosen file's name and size, or an invitation to choose one. */
export function FilePicker({
  upload,
  messages,
  problem,
  onChoose,
  droppable = false,
  testId,
}: {
  upload: Upload<string>;
  /** Where its `.choose`, `.size` and `.accepted` texts are. */
  messages: ImportMessages | "staff.groups.file";
  /** `upload.problem` in words. */
  problem?: string | null;
  /** After a file is chosen (to clear the last error). */
  onChoose?: () => void;
  /** Takes a file dropped on it too. */
  droppable?: boolean;
  testId?: string;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const { file } = upload;
  const choose = (chosen: File | null) => {
    upload.choose(chosen);
    onChoose?.();
  };
  return (
    <div className="field">
      <label
        htmlFor={id}
        className="dropzone"
        onDragOver={droppable ? (event) => event.preventDefault() : undefined}
        onDrop={
          droppable
            ? (event) => {
                event.preventDefault();
                const dropped = event.dataTransfer.files[0];
                if (dropped) choose(dropped);
              }
            : undefined
        }
      >
        <Icon name="file" size={22} className="dropzone-icon" />
        <span>
          {file ? (
            <>
              <strong>{file.name}</strong>
              <span className="text-subtle">
                {" "}
                ·{" "}
                {t(`${messages}.size`, {
                  size: number(Math.max(1, file.size / 1024), { maximumFractionDigits: 0 }),
                })}
              </span>
            </>
          ) : (
            t(`${messages}.choose`)
          )}
        </span>
        <span className="text-subtle">{t(`${messages}.accepted`)}</span>
      </label>
      <input
        ref={upload.inputRef}
        id={id}
        className="visually-hidden"
        type="file"
        accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid={testId}
        onChange={(event) => choose(event.target.files?.[0] ?? null)}
      />
      {problem && <FieldError>{problem}</FieldError>}
    </div>
  );
}

/** A progress bar; `busy` shimmers while the end cannot be measured (the check), `done` turns it green. */
export function ProgressBar({
  percent,
  label,
  testId,
  busy = false,
  done = false,
  large = false,
}: {
  percent: number;
  label: string;
  testId: string;
  busy?: boolean;
  done?: boolean;
  large?: boolean;
}) {
  return (
    <div
      className={large ? "progress progress-lg" : "progress"}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-label={label}
      data-testid={testId}
      data-percent={percent}
    >
      <div
        className={busy ? "progress-bar is-busy" : done ? "progress-bar is-done" : "progress-bar"}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

/** The steps of an import, the current one highlighted and the passed ones ticked. */
export function ImportSteps({
  messages,
  labels,
  current,
  finished = false,
  page = false,
}: {
  messages: ImportMessages;
  labels: string[];
  current: number;
  /** Ticks the last step too. */
  finished?: boolean;
  /** Boxed, as the head of a page rather than of a dialog. */
  page?: boolean;
}) {
  const { t } = useI18n();
  const last = labels.length - 1;
  return (
    <ol className={page ? "steps steps-page" : "steps"} aria-label={t(`${messages}.steps`)}>
      {labels.map((label, index) => (
        <li
          key={label}
          className={index === current ? "is-current" : index < current ? "is-done" : undefined}
          aria-current={index === current ? "step" : undefined}
        >
          <span className="step-number">
            {index < current || (index === last && finished) ? <Icon name="check" size={12} /> : index + 1}
          </span>
          {label}
        </li>
      ))}
    </ol>
  );
}
