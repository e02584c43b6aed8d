import { useCallback, useEffect, useRef, useState } from "react";
import { fetchHealth, type HealthReport, type HealthResult } from "../api";

export const refreshIntervalMs = 5000;

export type HealthFailure = Extract<HealthResult, { ok: false }>["reason"];

export type HealthState = {
  /** Last report received, kept on screen when a later check fails. */
  report: HealthReport | null;
  checkedAt: Date | null;
  failure: HealthFailure | null;
  loading: boolean;
};

/**
 * Polls `/api/health`: one check on mount, then one 5 s after the previous answer while `auto` is on
 * and the tab is visible (a hidden tab catches up as soon as it is shown again). Checks never overlap.
 * `detailed` (Admins) asks for each dependency; everyone else gets up or down.
 */
export function useHealth(auto: boolean, detailed: boolean) {
  const [state, setState] = useState<HealthState>({
    report: null,
    checkedAt: null,
    failure: null,
    loading: true,
  });
  const inFlight = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    const controller = new AbortController();
    inFlight.current = controller;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const result = await fetchHealth(controller.signal, detailed);
      setState((previous) =>
        result.ok
          ? { report: result.report, checkedAt: new Date(), failure: null, loading: false }
          : { ...previous, failure: result.reason, loading: false },
      );
    } catch {
      // aborted because the page went away: nothing left to update
    } finally {
      if (inFlight.current === controller) inFlight.current = null;
    }
  }, [detailed]);

  useEffect(() => {
    void refresh();
    return () => {
      inFlight.current?.abort();
      inFlight.current = null;
    };
  }, [refresh]);

  useEffect(() => {
    if (!auto || state.loading) return;
    const timer = window.setTimeout(() => {
      if (!document.hidden) void refresh();
    }, refreshIntervalMs);
    return () => window.clearTimeout(timer);
  }, [auto, state.loading, refresh]);

  useEffect(() => {
    if (!auto) return;
    const onVisible = () => {
      if (!document.hidden) void refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [auto, refresh]);

  return { ...state, refresh };
}
