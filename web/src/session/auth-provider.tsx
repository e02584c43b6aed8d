import { type ReactNode, useEffect } from "react";
import { IdleWatcher } from "./idle-watcher";
import { loadSession, startSessionTracking, useSessionState } from "./session-store";

/**
 * Loads `GET /api/auth/session` once at start and keeps the session in step with every API answer;
 * while someone is signed in, watches for inactivity.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const state = useSessionState();
  useEffect(() => {
    startSessionTracking();
    void loadSession();
  }, []);
  return (
    <>
      {children}
      {state.status === "signed-in" && <IdleWatcher key={state.session.user.userId} />}
    </>
  );
}
