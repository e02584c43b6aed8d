import { useSyncExternalStore } from "react";
import { fetchLocalLinks, type LocalLinks } from "./api";

export type LocalLinksState = { status: "loading" } | { status: "ready"; links: LocalLinks | null };

let state: LocalLinksState = { status: "loading" };
let requested = false;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!requested) {
    requested = true;
    void fetchLocalLinks().then((links) => {
      state = { status: "ready", links };
      for (const notify of listeners) notify();
    });
  }
  return () => listeners.delete(listener);
}

/** `/local/links.json`, asked once per page load and shared by the navigation, top bar and `/dev`. */
export function useLocalLinks(): LocalLinksState {
  return useSyncExternalStore(subscribe, () => state);
}
