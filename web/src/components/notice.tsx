import type { ReactNode } from "react";
import { Icon } from "../icons";

export type Tone = "error" | "info" | "success" | "warning";

/** A boxed message; errors are announced at once, the rest politely. */
export function Notice({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  const icon = tone === "error" || tone === "warning" ? "warning" : tone === "success" ? "up" : "info";
  return (
    <div
      className={`notice notice-${tone}`}
      role={tone === "error" ? "alert" : "status"}
      data-testid={testId}
    >
      <Icon name={icon} />
      <div className="notice-body">{children}</div>
    </div>
  );
}

export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p className="field-error" id={id}>
      <Icon name="warning" size={14} />
      {children}
    </p>
  );
}

/** The error of the last attempt, boxed; nothing while there is none. */
export function ErrorNotice({ text, testId }: { text: string | null | undefined; testId?: string }) {
  if (!text) return null;
  return (
    <Notice tone="error" testId={testId}>
      <p>{text}</p>
    </Notice>
  );
}
