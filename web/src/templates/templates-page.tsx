import "./templates.css";
import { useState } from "react";
import { errorText } from "../accounts/errors";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, navigate } from "../router";
import { type Template, templates } from "./client";
import { DeleteTemplateDialog } from "./delete-template-dialog";
import { TemplateBrowser } from "./template-browser";

export const composePath = (template: Template) =>
  `/compose/${template.kind}?template=${encodeURIComponent(template.templateId)}`;

/** Duplicates a template into my personal ones and opens the copy. */
export async function duplicateTemplate(template: Template, t: ReturnType<typeof useI18n>["t"]) {
  try {
    const { template: copy } = await templates.duplicate(template.templateId);
    toast(t("templates.duplicated", { name: copy.name }));
    navigate(`/templates/${encodeURIComponent(copy.templateId)}`);
  } catch (error) {
    toast(errorText(t, error), "error");
  }
}

/** Modèles: the company's, my agencies' and my own templates, to use, edit, duplicate or delete. */
export function TemplatesPage() {
  usePageTitle("templates.title");
  const { t } = useI18n();
  const [deleting, setDeleting] = useState<{ template: Template; done: () => void } | null>(null);

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("templates.title")}</h1>
          <p className="page-subtitle">{t("templates.subtitle")}</p>
        </div>
        <div className="page-actions">
          <Link href="/templates/new" className="button button-primary" data-testid="template-new">
            <Icon name="plus" />
            {t("templates.new")}
          </Link>
        </div>
      </header>
      <TemplateBrowser
        actions={(template, replace) => (
          <>
            <Link href={composePath(template)} className="button button-small" data-testid="template-use">
              <Icon name="send" size={14} />
              {t("templates.use")}
            </Link>
            <Link
              href={`/templates/${encodeURIComponent(template.templateId)}`}
              className="button button-small"
              data-testid="template-edit"
            >
              {t(template.canEdit ? "common.edit" : "templates.view")}
            </Link>
            <button
              type="button"
              className="button button-small"
              onClick={() => void duplicateTemplate(template, t)}
              data-testid="template-duplicate"
            >
              <Icon name="copy" size={14} />
              {t("templates.duplicate")}
            </button>
            {template.canEdit && (
              <button
                type="button"
                className="button button-small button-quiet"
                onClick={() => setDeleting({ template, done: () => replace(null) })}
                aria-label={t("templates.delete.label", { name: template.name })}
                data-testid="template-delete"
              >
                {t("templates.delete.action")}
              </button>
            )}
          </>
        )}
      />
      {deleting && (
        <DeleteTemplateDialog
          template={deleting.template}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            deleting.done();
            setDeleting(null);
          }}
        />
      )}
    </div>
  );
}
