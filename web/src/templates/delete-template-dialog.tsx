import { useState } from "react";
import { errorText } from "../accounts/errors";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { type Template, templates } from "./client";

/** Asks before deleting a template; the API refuses it to anyone who may not edit it. */
export function DeleteTemplateDialog({
  template,
  onClose,
  onDeleted,
}: {
  template: Template;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await templates.remove(template.templateId);
      toast(t("templates.deleted", { name: template.name }));
      onDeleted();
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title={t("templates.delete.title")}
      onClose={onClose}
      testId="template-delete-dialog"
      cancelDisabled={busy}
      action={{
        label: t("templates.delete.confirm"),
        testId: "template-delete-confirm",
        tone: "danger",
        busy,
        onClick: () => void confirm(),
      }}
    >
      <p>{t("templates.delete.body", { name: template.name })}</p>
      {template.scope !== "personal" && (
        <p className="text-muted">{t(`templates.delete.shared.${template.scope}`)}</p>
      )}
      <ErrorNotice text={failure} />
    </ConfirmDialog>
  );
}
