import { type FormEvent, useId, useState } from "react";
import { DialogFooter } from "../components/confirm-dialog";
import { Modal } from "../components/modal";
import { ErrorNotice, FieldError } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import type { Template } from "../templates/client";
import { type Campaign, inLocale, type Rule, type RuleSection, rules } from "./client";
import { recruitmentErrorText } from "./recruitment-parts";

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Add or edit an automatic email rule: name, template, triggering status, recipients, on/off. */
export function RuleDialog({
  campaign,
  section,
  rule,
  templates,
  onClose,
  onSaved,
}: {
  campaign: Campaign;
  section: RuleSection;
  rule?: Rule;
  templates: Template[];
  onClose: () => void;
  onSaved: (rule: Rule) => void;
}) {
  const { t, locale } = useI18n();
  const id = useId();
  const formId = `${id}-form`;
  // The candidate's action is always the submission; staff move dossiers to any later status.
  const statuses =
    section === "candidate"
      ? campaign.statuses.filter((status) => status.statusId === "soumis")
      : campaign.statuses.filter((status) => !status.system);
  const [name, setName] = useState(rule?.name ?? "");
  const [templateId, setTemplateId] = useState(rule?.templateId ?? "");
  const [statusId, setStatusId] = useState(rule?.statusId ?? statuses[0]?.statusId ?? "");
  const [candidate, setCandidate] = useState(rule?.recipients.candidate ?? true);
  const [evaluators, setEvaluators] = useState(rule?.recipients.evaluators ?? false);
  const [addresses, setAddresses] = useState((rule?.recipients.addresses ?? []).join(", "));
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const list = addresses
      .split(/[\s,;]+/)
      .map((address) => address.trim())
      .filter(Boolean);
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = t("recruitment.rule.nameMissing");
    if (!statusId) found.status = t("recruitment.rule.statusMissing");
    const wrong = list.find((address) => !emailPattern.test(address));
    if (wrong) found.addresses = t("recruitment.rule.addressWrong", { address: wrong });
    if (!candidate && !evaluators && list.length === 0) found.recipients = t("recruitment.rule.nobody");
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    const recipients = { candidate, evaluators, addresses: list };
    try {
      const saved = rule
        ? await rules.update(campaign.campaignId, rule.ruleId, {
            name: name.trim(),
            templateId: templateId || null,
            statusId,
            recipients,
            enabled,
          })
        : await rules.create(campaign.campaignId, {
            section,
            name: name.trim(),
            templateId: templateId || undefined,
            statusId,
            recipients,
            enabled,
          });
      toast(t("recruitment.rules.saved"));
      onSaved(saved.rule);
    } catch (error) {
      setFailure(recruitmentErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t(rule ? "recruitment.rules.editTitle" : "recruitment.rules.newTitle")}
      description={t(`recruitment.rules.section.${section}`)}
      onClose={onClose}
      testId="rule-dialog"
      footer={
        <DialogFooter
          onCancel={onClose}
          action={{ label: t("common.save"), testId: "rule-save", form: formId, busy }}
        />
      }
    >
      <form id={formId} className="form form-tight" onSubmit={save} noValidate>
        <ErrorNotice text={failure} />
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("recruitment.rule.name")}</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={120}
            aria-invalid={problems.name ? true : undefined}
            aria-describedby={problems.name ? `${id}-name-error` : undefined}
            onChange={(event) => setName(event.target.value)}
            data-testid="rule-name"
          />
          {problems.name && <FieldError id={`${id}-name-error`}>{problems.name}</FieldError>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-template`}>{t("recruitment.rule.template")}</label>
          <select
            id={`${id}-template`}
            value={templateId}
            onChange={(event) => setTemplateId(event.target.value)}
            data-testid="rule-template"
          >
            <option value="">{t("recruitment.rule.builtInText")}</option>
            {templates.map((template) => (
              <option key={template.templateId} value={template.templateId}>
                {template.name}
              </option>
            ))}
          </select>
          <p className="field-hint">{t("recruitment.rule.templateHint")}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>{t("recruitment.rule.status")}</label>
          <select
            id={`${id}-status`}
            value={statusId}
            aria-invalid={problems.status ? true : undefined}
            onChange={(event) => setStatusId(event.target.value)}
            data-testid="rule-status"
          >
            {statuses.map((status) => (
              <option key={status.statusId} value={status.statusId}>
                {inLocale(status.label, locale)}
              </option>
            ))}
          </select>
          {problems.status && <FieldError>{problems.status}</FieldError>}
        </div>
        <fieldset
          className="check-list"
          aria-describedby={problems.recipients ? `${id}-recipients-error` : undefined}
        >
          <legend>{t("recruitment.rule.recipients")}</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={candidate}
              onChange={(event) => setCandidate(event.target.checked)}
              data-testid="rule-to-candidate"
            />
            <span>{t("recruitment.rule.toCandidate")}</span>
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={evaluators}
              onChange={(event) => setEvaluators(event.target.checked)}
              data-testid="rule-to-evaluators"
            />
            <span>{t("recruitment.rule.toEvaluators")}</span>
          </label>
          {problems.recipients && (
            <FieldError id={`${id}-recipients-error`}>{problems.recipients}</FieldError>
          )}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-addresses`}>
            {t("recruitment.rule.addresses")} <span className="optional">{t("common.optional")}</span>
          </label>
          <input
            id={`${id}-addresses`}
            value={addresses}
            placeholder="rh@exemple.fr, direction@exemple.fr"
            aria-invalid={problems.addresses ? true : undefined}
            aria-describedby={problems.addresses ? `${id}-addresses-error` : undefined}
            onChange={(event) => setAddresses(event.target.value)}
            data-testid="rule-addresses"
          />
          {problems.addresses && <FieldError id={`${id}-addresses-error`}>{problems.addresses}</FieldError>}
        </div>
        <label className="switch">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(event) => setEnabled(event.target.checked)}
            data-testid="rule-enabled-input"
          />
          <span className="switch-track" aria-hidden="true" />
          {t("recruitment.rule.enabled")}
        </label>
      </form>
    </Modal>
  );
}
