import { useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { DataTable } from "../components/data-table";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { templates } from "../templates/client";
import { type Campaign, type Rule, type RuleSection, ruleSections, rules } from "./client";
import { DossierStatusBadge, recruitmentErrorText } from "./recruitment-parts";
import { RuleDialog } from "./rule-dialog";

/**
 * « Emails »: the automatic emails in two sections, « Action du candidat » (on submit) and « Action du
 * gestionnaire / évaluateur » (on a status change by staff), each rule switchable and testable.
 */
export function EmailsTab({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const list = useResource(() => rules.list(campaign.campaignId), campaign.campaignId);
  const templateList = useResource(() => templates.list({ filter: "all" }));
  const [editing, setEditing] = useState<{ section: RuleSection; rule?: Rule } | null>(null);
  const [removing, setRemoving] = useState<Rule | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const templateNames = new Map((templateList.data?.items ?? []).map((item) => [item.templateId, item.name]));
  const items = list.data?.items ?? [];

  const replace = (rule: Rule) =>
    list.set((current) => {
      if (!current) return current;
      const known = current.items.some((item) => item.ruleId === rule.ruleId);
      return {
        items: known
          ? current.items.map((item) => (item.ruleId === rule.ruleId ? rule : item))
          : [...current.items, rule],
      };
    });

  const toggle = async (rule: Rule, enabled: boolean) => {
    setBusy(rule.ruleId);
    try {
      const { rule: saved } = await rules.update(campaign.campaignId, rule.ruleId, { enabled });
      replace(saved);
      toast(t(enabled ? "recruitment.rules.enabled" : "recruitment.rules.disabled", { name: rule.name }));
    } catch (error) {
      toast(recruitmentErrorText(t, error), "error");
    } finally {
      setBusy(null);
    }
  };

  const test = async (rule: Rule) => {
    setBusy(rule.ruleId);
    try {
      const { sentTo } = await rules.test(campaign.campaignId, rule.ruleId);
      toast(t("recruitment.rules.tested", { email: sentTo }));
    } catch (error) {
      toast(recruitmentErrorText(t, error), "error");
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!removing) return;
    setBusy(removing.ruleId);
    try {
      await rules.remove(campaign.campaignId, removing.ruleId);
      list.set((current) =>
        current ? { items: current.items.filter((item) => item.ruleId !== removing.ruleId) } : current,
      );
      toast(t("recruitment.rules.removed"));
    } catch (error) {
      toast(recruitmentErrorText(t, error), "error");
    } finally {
      setBusy(null);
      setRemoving(null);
    }
  };

  const recipients = (rule: Rule) =>
    [
      rule.recipients.candidate ? t("recruitment.rule.toCandidate") : "",
      rule.recipients.evaluators ? t("recruitment.rule.toEvaluators") : "",
      ...rule.recipients.addresses,
    ]
      .filter(Boolean)
      .join(", ");

  return (
    <div className="stack">
      {ruleSections.map((section) => {
        const shown = items.filter((rule) => rule.section === section);
        return (
          <section
            key={section}
            className="stack-sm recruitment-rules"
            aria-labelledby={`rules-${section}`}
            data-testid={`rules-${section}`}
          >
            <div className="recruitment-section-head">
              <div>
                <h2 id={`rules-${section}`}>{t(`recruitment.rules.section.${section}`)}</h2>
                <p className="text-muted">{t(`recruitment.rules.section.${section}.hint`)}</p>
              </div>
              {campaign.canManage && (
                <button
                  type="button"
                  className="button"
                  onClick={() => setEditing({ section })}
                  data-testid={`rules-add-${section}`}
                >
                  <Icon name="plus" />
                  {t("recruitment.rules.add")}
                </button>
              )}
            </div>
            <DataTable
              caption={t(`recruitment.rules.section.${section}`)}
              scroll
              busy={list.loading}
              error={list.error === undefined ? null : recruitmentErrorText(t, list.error)}
              columns={6}
              actionsColumn
              head={
                <>
                  <th scope="col">{t("recruitment.rule.name")}</th>
                  <th scope="col">{t("recruitment.rule.template")}</th>
                  <th scope="col">{t("recruitment.rule.status")}</th>
                  <th scope="col">{t("recruitment.rule.recipients")}</th>
                  <th scope="col">{t("recruitment.rule.enabled")}</th>
                </>
              }
              empty={shown.length === 0 && (list.loading ? t("app.loading") : t("recruitment.rules.empty"))}
            >
              {shown.map((rule) => (
                <tr key={rule.ruleId} data-testid="rule-row" data-id={rule.ruleId}>
                  <th scope="row" data-label={t("recruitment.rule.name")}>
                    {rule.name}
                  </th>
                  <td data-label={t("recruitment.rule.template")}>
                    {rule.templateId ? (
                      (templateNames.get(rule.templateId) ?? <span className="text-subtle">—</span>)
                    ) : (
                      <span className="text-muted">{t("recruitment.rule.builtInText")}</span>
                    )}
                  </td>
                  <td data-label={t("recruitment.rule.status")}>
                    <DossierStatusBadge statusId={rule.statusId} statuses={campaign.statuses} />
                  </td>
                  <td data-label={t("recruitment.rule.recipients")}>{recipients(rule)}</td>
                  <td data-label={t("recruitment.rule.enabled")}>
                    <label className="switch">
                      <input
                        type="checkbox"
                        checked={rule.enabled}
                        disabled={!campaign.canManage || busy === rule.ruleId}
                        onChange={(event) => void toggle(rule, event.target.checked)}
                        data-testid="rule-enabled"
                      />
                      <span className="switch-track" aria-hidden="true" />
                      <span className="visually-hidden">
                        {t("recruitment.rule.enabledLabel", { name: rule.name })}
                      </span>
                    </label>
                  </td>
                  <td className="actions-col">
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button button-small"
                        disabled={busy === rule.ruleId}
                        onClick={() => void test(rule)}
                        data-testid="rule-test"
                      >
                        <Icon name="send" />
                        {t("recruitment.rules.test")}
                      </button>
                      {campaign.canManage && (
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setEditing({ section, rule })}
                          data-testid="rule-edit"
                        >
                          <Icon name="edit" />
                          {t("common.edit")}
                        </button>
                      )}
                      {campaign.canManage && !rule.builtIn && (
                        <button
                          type="button"
                          className="button button-small button-quiet"
                          onClick={() => setRemoving(rule)}
                          data-testid="rule-remove"
                        >
                          {t("recruitment.rules.remove")}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </DataTable>
          </section>
        );
      })}
      {editing && (
        <RuleDialog
          campaign={campaign}
          section={editing.section}
          rule={editing.rule}
          templates={templateList.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={(rule) => {
            replace(rule);
            setEditing(null);
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={t("recruitment.rules.removeTitle")}
          onClose={() => setRemoving(null)}
          testId="rule-remove-dialog"
          action={{
            label: t("recruitment.rules.remove"),
            tone: "danger",
            testId: "rule-remove-confirm",
            busy: busy === removing.ruleId,
            onClick: () => void remove(),
          }}
        >
          <p>{t("recruitment.rules.removeBody", { name: removing.name })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
