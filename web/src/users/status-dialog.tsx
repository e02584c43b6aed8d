import { useState } from "react";
import { users } from "../accounts/client";
import { errorText } from "../accounts/errors";
import type { UserSummary } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice } from "../components/notice";
import { useT } from "../i18n/i18n";

/** Deactivate or reactivate, after confirmation; the API's refusals (last admin, oneself) are shown here. */
export function StatusDialog({
  user,
  onClose,
  onSaved,
}: {
  user: UserSummary;
  onClose: () => void;
  onSaved: (user: UserSummary) => void;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const deactivating = user.status === "active";
  const name = `${user.firstName} ${user.lastName}`;

  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { user: saved } = deactivating
        ? await users.deactivate(user.userId)
        : await users.reactivate(user.userId);
      onSaved(saved);
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t(deactivating ? "users.deactivate.title" : "users.reactivate.title", { name })}
      onClose={onClose}
      testId="status-dialog"
      action={{
        label: t(deactivating ? "users.deactivate.confirm" : "users.reactivate.confirm"),
        testId: "status-confirm",
        tone: deactivating ? "danger" : "primary",
        busy,
        onClick: () => void confirm(),
      }}
    >
      <div className="form form-tight">
        <p>
          {t(deactivating ? "users.deactivate.body" : "users.reactivate.body", { name, email: user.email })}
        </p>
        <ErrorNotice text={failure} testId="status-error" />
      </div>
    </ConfirmDialog>
  );
}
