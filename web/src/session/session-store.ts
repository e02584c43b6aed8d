import { useSyncExternalStore } from "react";
import { auth } from "../accounts/client";
import type { Me, SessionInfo } from "../accounts/types";
import { ApiError, apiPrefix, onApiResponse, outsideSession } from "../api";
import { navigate } from "../router";

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous"; expired: boolean }
  | { status: "signed-in"; session: SessionInfo };

type Snapshot = { state: SessionState; idleDeadline: number | null };

let snapshot: Snapshot = { state: { status: "loading" }, idleDeadline: null };
const listeners = new Set<() => void>();

function set(next: Partial<Snapshot>) {
  snapshot = { ...snapshot, ...next };
  for (const notify of listeners) notify();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const idleMinutesKey = "relais.idleMinutes";

/** Minutes of inactivity after which the session ends, remembered for the message shown at /login. */
export function lastIdleMinutes(): number {
  try {
    const stored = Number(sessionStorage.getItem(idleMinutesKey));
    return Number.isFinite(stored) && stored > 0 ? stored : 30;
  } catch {
    return 30;
  }
}

const sharedDeadlineKey = "relais.idleDeadline";

/**
 * Every tab shares one session cookie, so activity in one tab must keep the others from signing out:
 * each deadline is also written to localStorage, and the idle watcher takes the latest of all.
 */
function deadlineFrom(session: SessionInfo): number {
  const deadline = Date.now() + session.idleTimeoutSeconds * 1000;
  try {
    localStorage.setItem(sharedDeadlineKey, String(deadline));
  } catch {
    // storage refused: each tab then keeps its own deadline
  }
  return deadline;
}

/** The latest idle deadline any tab of this browser has seen, or 0. */
export function sharedIdleDeadline(): number {
  try {
    const stored = Number(localStorage.getItem(sharedDeadlineKey));
    return Number.isFinite(stored) ? stored : 0;
  } catch {
    return 0;
  }
}

/** Adopts a session the API just returned (login, invitation accepted, password changed, session check). */
export function signedIn(session: SessionInfo) {
  try {
    sessionStorage.setItem(idleMinutesKey, String(Math.max(1, Math.round(session.idleTimeoutSeconds / 60))));
  } catch {
    // storage refused: the idle message falls back to 30 minutes
  }
  set({ state: { status: "signed-in", session }, idleDeadline: deadlineFrom(session) });
}

export function signedOut(expired = false) {
  set({ state: { status: "anonymous", expired }, idleDeadline: null });
}

/** Asks the API who is signed in; any failure other than “not signed in” also counts as signed out. */
export async function loadSession(): Promise<SessionState> {
  try {
    signedIn(await auth.session());
  } catch (error) {
    const passwordChange = error instanceof ApiError && error.code === "auth.password_change_required";
    if (!passwordChange || snapshot.state.status !== "signed-in") signedOut();
  }
  return snapshot.state;
}

/** Ends the session on the server (best effort) and here, then shows `to` (normally a /login address). */
export async function endSession(to: string) {
  try {
    await auth.logout();
  } catch {
    // already gone on the server: nothing more to end
  }
  navigate(to, { replace: true });
  signedOut();
}

function countsAsActivity(path: string): boolean {
  return path.startsWith(apiPrefix) && !outsideSession.some((prefix) => path.startsWith(prefix));
}

let started = false;

/** Listens to every API answer once: activity pushes the idle deadline back, 401/403 change the state. */
export function startSessionTracking() {
  if (started) return;
  started = true;
  onApiResponse(({ path, status, code }) => {
    const { state } = snapshot;
    if (state.status !== "signed-in" || !countsAsActivity(path)) return;
    if (status === 401) {
      signedOut(true);
    } else if (status === 403 && code === "auth.password_change_required") {
      const user: Me = { ...state.session.user, mustChangePassword: true };
      set({ state: { status: "signed-in", session: { ...state.session, user } } });
    } else {
      set({ idleDeadline: deadlineFrom(state.session) });
    }
  });
}

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribe, () => snapshot.state);
}

export function useIdleDeadline(): number | null {
  return useSyncExternalStore(subscribe, () => snapshot.idleDeadline);
}

/** The signed-in user, or `null` on public pages before or without a session. */
export function useMe(): Me | null {
  const state = useSessionState();
  return state.status === "signed-in" ? state.session.user : null;
}
