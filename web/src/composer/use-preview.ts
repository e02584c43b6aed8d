import { useEffect, useRef, useState } from "react";
import { campaigns, type Draft, type Preview } from "./client";

export type PreviewState = {
  /** The latest answer, kept while a newer one is computed so the panel does not flicker. */
  data?: Preview;
  /** The draft `data` answers; when it differs from the current one, the figures are being refreshed. */
  key?: string;
  error?: unknown;
  loading: boolean;
};

/**
 * Asks `/api/campaigns/preview` for the draft once it has stopped changing for `delay` ms; an answer to
 * an older draft is dropped (its request aborted). `null` means there is nothing to preview yet.
 */
export function usePreview(draft: Draft | null, delay = 300): PreviewState & { stale: boolean } {
  const key = draft ? JSON.stringify(draft) : null;
  const [state, setState] = useState<PreviewState>({ loading: false });
  const draftRef = useRef(draft);
  draftRef.current = draft;

  useEffect(() => {
    if (key === null) {
      setState({ loading: false });
      return;
    }
    const controller = new AbortController();
    setState((current) => ({ ...current, loading: true }));
    const timer = window.setTimeout(() => {
      const current = draftRef.current;
      if (!current) return;
      campaigns.preview(current, controller.signal).then(
        (data) => {
          if (!controller.signal.aborted) setState({ data, key, loading: false });
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setState((previous) => ({ ...previous, key, error, loading: false }));
        },
      );
    }, delay);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key, delay]);

  const fresh = key !== null && state.key === key;
  return {
    ...state,
    data: key === null ? undefined : state.data,
    error: fresh ? state.error : undefined,
    stale: key !== null && !fresh,
  };
}
