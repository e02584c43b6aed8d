import "./session.css";
import { useEffect, useState } from "react";
import { auth } from "../accounts/client";
import { Modal } from "../components/modal";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { endSession, sharedIdleDeadline, signedIn, useIdleDeadline } from "./session-store";

/** The warning shows this long before the session would end. */
export const warningMs = 60_000;

function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * Compares `Date.now()` with the idle deadline every second (a faked clock that jumps ahead fires the
 * check once and sees the new time). One minute before: a warning with a live countdown; at zero: logout.
 */
export function IdleWatcher() {
  const t = useT();
  const deadline = useIdleDeadline();
  const [now, setNow] = useState(() => Date.now());
  const [extending, setExtending] = useState(false);

  useEffect(() => {
    const tick = () => setNow(Date.now());
    const timer = window.setInterval(tick, 1000);
    document.addEventListener("visibilitychange", tick);
    window.addEventListener("focus", tick);
    window.addEventListener("storage", tick);
    return () => {
      window.removeEventListener("storage", tick);
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
      window.removeEventListener("focus", tick);
    };
  }, []);

  const remaining =
    deadline === null ? Number.POSITIVE_INFINITY : Math.max(deadline, sharedIdleDeadline()) - now;
  const expired = remaining <= 0;

  useEffect(() => {
    if (expired) void endSession("/login?reason=idle");
  }, [expired]);

  if (expired || remaining > warningMs) return null;

  const stay = async () => {
    setExtending(true);
    try {
      signedIn(await auth.session());
    } catch {
      // a 401 here means the server already ended the session; the session store sends us to /login
    } finally {
      setExtending(false);
      setNow(Date.now());
    }
  };

  return (
    <Modal
      title={t("idle.title")}
      size="small"
      testId="idle-warning"
      onClose={() => void stay()}
      footer={
        <>
          <button
            type="button"
            className="button"
            data-testid="idle-logout"
            onClick={() => void endSession("/login?reason=logout")}
          >
            <Icon name="signOut" />
            {t("user.signOut")}
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="idle-stay"
            disabled={extending}
            onClick={() => void stay()}
          >
            {t("idle.stay")}
          </button>
        </>
      }
    >
      <div className="idle-body">
        <span className="idle-icon" aria-hidden="true">
          <Icon name="clock" size={22} />
        </span>
        <div>
          <p>{t("idle.body")}</p>
          <p className="idle-countdown" role="timer" aria-live="off" data-testid="idle-countdown">
            {countdown(remaining)}
          </p>
        </div>
      </div>
    </Modal>
  );
}
