import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../api";
import { Modal } from "../components/modal";
import { ErrorNotice, FieldError } from "../components/notice";
import { toast } from "../components/toast";
import { formatPhone, normalisePhone } from "../format-phone";
import { useT } from "../i18n/i18n";
import { Link } from "../router";
import type { Category, Partner, PartnerInput } from "./client";
import { partners } from "./client";
import { vaultErrorText } from "./vault-text";

export type Values = {
  kind: "person" | "organisation";
  firstName: string;
  lastName: string;
  organisation: string;
  matricule: string;
  categoryIds: string[];
  mobile: string;
  email: string;
  preferredChannel: "" | "sms" | "email";
  language: "fr" | "en";
};

const valuesOf = (partner?: Partner): Values => ({
  kind: partner?.kind ?? "person",
  firstName: partner?.firstName ?? "",
  lastName: partner?.lastName ?? "",
  organisation: partner?.organisation ?? "",
  matricule: partner?.matricule ?? "",
  categoryIds: partner?.categoryIds ?? [],
  mobile: partner?.mobile ? formatPhone(partner.mobile) : "",
  email: partner?.email ?? "",
  preferredChannel: partner?.preferredChannel ?? "",
  language: partner?.language ?? "fr",
});

const payload = (values: Values): PartnerInput => ({
  kind: values.kind,
  firstName: values.firstName.trim() || undefined,
  lastName: values.lastName.trim() || undefined,
  organisation: values.organisation.trim() || undefined,
  matricule: values.matricule.trim() || undefined,
  categoryIds: values.categoryIds,
  mobile: values.mobile.trim() ? normalisePhone(values.mobile) : undefined,
  email: values.email.trim() || undefined,
  preferredChannel: values.preferredChannel || undefined,
  language: values.language,
});

/** Creates a partner, or changes one: a person or an organisation, its categories and how to reach it. */
export function PartnerDialog({
  partner,
  prefill,
  categories,
  onClose,
  onSaved,
}: {
  partner?: Partner;
  /** A new partner's fields taken from elsewhere (a contact), still editable. */
  prefill?: Partial<Values>;
  categories: Category[];
  onClose: () => void;
  onSaved: (partner: Partner) => void;
}) {
  const t = useT();
  const id = useId();
  const [values, setValues] = useState<Values>(() => ({ ...valuesOf(partner), ...prefill }));
  // A 409 names the partner who already holds the matricule, mobile or email: offer to open them.
  const [holder, setHolder] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (values.categoryIds.length === 0) {
      setFields({ categoryIds: t("vault.partner.error.categories") });
      return;
    }
    setBusy(true);
    setFailure(null);
    setHolder(null);
    setFields({});
    try {
      const saved = partner
        ? await partners.update(partner.partnerId, payload(values))
        : await partners.create(payload(values));
      toast(t(partner ? "vault.partner.saved" : "vault.partner.created", { name: saved.partner.name }));
      onSaved(saved.partner);
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.details.fields?.length) {
        setFields(
          Object.fromEntries(
            error.details.fields.map((field) => [field.path.split(".")[0] ?? "", field.message]),
          ),
        );
      }
      setFailure(vaultErrorText(t, error));
      const existing = error instanceof ApiError ? error.details.partnerId : undefined;
      if (typeof existing === "string" && existing !== partner?.partnerId) setHolder(existing);
    } finally {
      setBusy(false);
    }
  };

  const text = (key: "firstName" | "lastName" | "organisation" | "matricule" | "mobile" | "email") => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{t(`vault.partner.${key}`)}</label>
      <input
        id={`${id}-${key}`}
        type={key === "email" ? "email" : key === "mobile" ? "tel" : "text"}
        placeholder={key === "mobile" ? "06 12 34 56 78" : undefined}
        autoComplete="off"
        value={values[key]}
        disabled={busy}
        aria-invalid={fields[key] ? true : undefined}
        data-testid={`partner-${key}`}
        onChange={(event) => set(key, event.target.value)}
      />
      {fields[key] && <FieldError>{fields[key]}</FieldError>}
    </div>
  );

  return (
    <Modal
      title={partner ? t("vault.partner.editTitle", { name: partner.name }) : t("vault.partners.new")}
      size="large"
      onClose={onClose}
      testId="partner-dialog"
      footer={
        <>
          <span className="footer-spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button
            type="submit"
            form={`${id}-form`}
            className="button button-primary"
            disabled={busy}
            data-testid="partner-submit"
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            {t(partner ? "common.save" : "vault.partner.create")}
          </button>
        </>
      }
    >
      <form id={`${id}-form`} noValidate onSubmit={submit} className="form form-tight">
        <ErrorNotice text={failure} />
        {holder && (
          <p>
            <Link href={`/vault/partners/${encodeURIComponent(holder)}`} data-testid="partner-existing">
              {t("vault.partner.openExisting")}
            </Link>
          </p>
        )}
        <fieldset className="radio-row" aria-label={t("vault.partner.kind")}>
          {(["person", "organisation"] as const).map((kind) => (
            <label key={kind} className="checkbox">
              <input
                type="radio"
                name={`${id}-kind`}
                checked={values.kind === kind}
                onChange={() => set("kind", kind)}
              />
              {t(`vault.partner.kind.${kind}`)}
            </label>
          ))}
        </fieldset>
        {values.kind === "person" ? (
          <div className="field-row">
            {text("firstName")}
            {text("lastName")}
          </div>
        ) : (
          text("organisation")
        )}
        <div className="field-row">
          {text("matricule")}
          <div className="field">
            <label htmlFor={`${id}-language`}>{t("vault.partner.language")}</label>
            <select
              id={`${id}-language`}
              value={values.language}
              onChange={(event) => set("language", event.target.value === "en" ? "en" : "fr")}
            >
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
          </div>
        </div>
        <div className="field-row">
          {text("mobile")}
          {text("email")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-channel`}>{t("vault.partner.channel")}</label>
          <select
            id={`${id}-channel`}
            value={values.preferredChannel}
            onChange={(event) => set("preferredChannel", event.target.value as Values["preferredChannel"])}
          >
            <option value="">{t("vault.partner.channel.auto")}</option>
            <option value="sms">SMS</option>
            <option value="email">{t("vault.partner.channel.email")}</option>
          </select>
        </div>
        <fieldset className="check-list" data-testid="partner-categories">
          <legend>{t("vault.partner.categories")}</legend>
          {categories.map((category) => (
            <label key={category.categoryId} className="checkbox">
              <input
                type="checkbox"
                checked={values.categoryIds.includes(category.categoryId)}
                onChange={(event) =>
                  set(
                    "categoryIds",
                    event.target.checked
                      ? [...values.categoryIds, category.categoryId]
                      : values.categoryIds.filter((chosen) => chosen !== category.categoryId),
                  )
                }
              />
              <span>{category.name}</span>
            </label>
          ))}
        </fieldset>
        {fields.categoryIds && <FieldError>{fields.categoryIds}</FieldError>}
      </form>
    </Modal>
  );
}
