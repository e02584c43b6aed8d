import { useEffect, useSyncExternalStore } from "react";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";

type Toast = { id: number; tone: "success" | "error" | "info"; text: string };

let toasts: Toast[] = [];
let counter = 0;
const listeners = new Set<() => void>();

function emit() {
  for (const notify of listeners) notify();
}

function dismiss(id: number) {
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

/** A short confirmation in the corner (“Invitation envoyée”); errors stay until closed. */
export function toast(text: string, tone: Toast["tone"] = "success") {
  counter += 1;
  toasts = [...toasts.slice(-2), { id: counter, tone, text }];
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function ToastItem({ item }: { item: Toast }) {
  const t = useT();
  useEffect(() => {
    if (item.tone === "error") return;
    const timer = window.setTimeout(() => dismiss(item.id), 4000);
    return () => window.clearTimeout(timer);
  }, [item]);
  return (
    <div className={`toast toast-${item.tone}`} data-testid="toast">
      <Icon
        name={item.tone === "error" ? "warning" : item.tone === "success" ? "up" : "info"}
        className="toast-icon"
      />
      <p className="toast-text">{item.text}</p>
      <button
        type="button"
        className="icon-button"
        aria-label={t("common.close")}
        onClick={() => dismiss(item.id)}
      >
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

export function Toaster() {
  const items = useSyncExternalStore(subscribe, () => toasts);
  return (
    <div className="toaster" aria-live="polite" role="status">
      {items.map((item) => (
        <ToastItem key={item.id} item={item} />
      ))}
    </div>
  );
}
