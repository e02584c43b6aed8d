import { type FormEvent, type ReactNode, useId, useState } from "react";
import { fromThePerson } from "../../../core/suppression/sources";
import { can } from "../accounts/permissions";
import type { Agency, Me } from "../accounts/types";
import { ApiError, download } from "../api";
import { AgencyPicker } from "../components/agency-picker";
import { Modal } from "../components/modal";
import { FieldError, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { navigate } from "../router";
import { ChipsInput } from "./chips-input";
import {
  type Contact,
  type ContactChannel,
  type ContactInput,
  type ContactType,
  contactChannels,
  contacts,
  contactTypes,
} from "./client";
import { contactsErrorText, displayName, fieldErrorText } from "./contact-text";
import { EraseDialog } from "./erase-dialog";

type Values = {
  civility: "" | "M" | "Mme";
  firstName: string;
  lastName: string;
  email: string;
  mobile: string;
  type: ContactType;
  skills: string[];
  description: string;
  position: string;
  agencyIds: string[];
  preferredChannel: "" | ContactChannel;
  customFields: { key: string; value: string }[];
};

type Field = keyof Values;

type Errors = Partial<Record<Field, string>>;

function valuesOf(contact: Contact | undefined, defaultAgencies: string[]): Values {
  return {
    civility: contact?.civility ?? "",
    firstName: contact?.firstName ?? "",
    lastName: contact?.lastName ?? "",
    email: contact?.email ?? "",
    mobile: contact?.mobile ? formatPhone(contact.mobile) : "",
    type: contact?.type ?? "externe",
    skills: contact?.skills ?? [],
    description: contact?.description ?? "",
    position: contact?.position ?? "",
    agencyIds: contact?.agencyIds ?? defaultAgencies,
    preferredChannel: contact?.preferredChannel ?? "",
    customFields: Object.entries(contact?.customFields ?? {}).map(([key, value]) => ({ key, value })),
  };
}

function payload(values: Values): ContactInput {
  const text = (value: string) => value.trim();
  return {
    civility: values.civility || undefined,
    firstName: text(values.firstName),
    lastName: text(values.lastName),
    email: text(values.email),
    mobile: text(values.mobile),
    type: values.type,
    skills: values.skills,
    description: text(values.description),
    position: text(values.position),
    preferredChannel: values.preferredChannel || undefined,
    customFields: Object.fromEntries(
      values.customFields
        .filter((field) => field.key.trim() && field.value.trim())
        .map((field) => [field.key.trim(), field.value.trim()]),
    ),
    agencyIds: values.agencyIds,
  };
}

const fieldPaths: Field[] = [
  "civility",
  "firstName",
  "lastName",
  "email",
  "mobile",
  "type",
  "skills",
  "description",
  "position",
  "agencyIds",
  "preferredChannel",
  "customFields",
];

/**
 * Creates or edits a contact: every field, errors shown under the field the API names, a notice when
 * the API merged the new contact into the one that already had the number or email. In edit mode it
 * also holds the opt-outs, archiving, and the GDPR export and erasure.
 */
export function ContactDialog({
  contact: initial,
  me,
  agencies,
  onClose,
  onSaved,
  onErased,
}: {
  contact?: Contact;
  me: Me;
  agencies: Agency[];
  onClose: () => void;
  onSaved: (contact: Contact) => void;
  onErased: (contactId: string) => void;
}) {
  const { t, dateTime } = useI18n();
  const id = useId();
  // Not a hook, despite its name: a role check for the « Créer un partenaire » button.
  const vaultAllowed = can.useVault(me.role);
  const usable = agencies.filter((agency) => me.role === "admin" || me.agencyIds.includes(agency.agencyId));
  const mine = usable.filter((agency) => !agency.archived);
  const [contact, setContact] = useState<Contact | undefined>(initial);
  const [values, setValues] = useState<Values>(() =>
    valuesOf(initial, mine.length === 1 && mine[0] ? [mine[0].agencyId] : []),
  );
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [merged, setMerged] = useState(false);
  const [busy, setBusy] = useState<"save" | "archive" | "export" | ContactChannel | null>(null);
  const [erasing, setErasing] = useState(false);

  const set = <K extends Field>(field: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const fail = (error: unknown) => {
    const found: Errors = {};
    if (error instanceof ApiError) {
      for (const field of error.details.fields ?? []) {
        const path = (field.path.split(".")[0] ?? "") as Field;
        if (fieldPaths.includes(path)) found[path] = fieldErrorText(t, field.message);
      }
      if (error.code === "contact.agency_required") found.agencyIds = t("contacts.field.error.agencies");
    }
    setErrors(found);
    setFailure(Object.keys(found).length > 0 ? t("contacts.form.fixFields") : contactsErrorText(t, error));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found: Errors = {};
    if (values.agencyIds.length === 0) found.agencyIds = t("contacts.field.error.agencies");
    if (![values.firstName, values.lastName, values.email, values.mobile].some((value) => value.trim()))
      found.lastName = t("contacts.field.error.empty");
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFailure(t("contacts.form.fixFields"));
      return;
    }
    setBusy("save");
    setFailure(null);
    try {
      if (contact) {
        const { contact: saved } = await contacts.update(contact.contactId, payload(values));
        onSaved(saved);
        toast(t("contacts.saved", { name: displayName(saved, t) }));
        onClose();
      } else {
        const created = await contacts.create(payload(values));
        onSaved(created.contact);
        if (created.merged) {
          // the person sees what the contact now holds, and why nothing new was created
          setContact(created.contact);
          setValues(valuesOf(created.contact, []));
          setMerged(true);
        } else {
          toast(t("contacts.created", { name: displayName(created.contact, t) }));
          onClose();
        }
      }
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };

  const toggleOptOut = async (channel: ContactChannel, optedOut: boolean) => {
    if (!contact) return;
    setBusy(channel);
    setFailure(null);
    try {
      const { contact: saved } = await contacts.optOut(contact.contactId, channel, optedOut);
      setContact(saved);
      onSaved(saved);
    } catch (error) {
      setFailure(contactsErrorText(t, error));
    } finally {
      setBusy(null);
    }
  };

  const toggleArchive = async () => {
    if (!contact) return;
    setBusy("archive");
    setFailure(null);
    try {
      const { contact: saved } = await contacts.update(contact.contactId, { archived: !contact.archived });
      onSaved(saved);
      toast(t(saved.archived ? "contacts.archived" : "contacts.unarchived", { name: displayName(saved, t) }));
      onClose();
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(null);
    }
  };

  const exportData = async () => {
    if (!contact) return;
    setBusy("export");
    setFailure(null);
    try {
      await download(contacts.exportPath(contact.contactId), `contact-${contact.contactId}.json`);
      toast(t("contacts.gdpr.exported"));
    } catch (error) {
      setFailure(contactsErrorText(t, error));
    } finally {
      setBusy(null);
    }
  };

  const invalid = (field: Field) => (errors[field] ? true : undefined);
  const errorId = (field: Field) => `${id}-${field}-error`;
  const describedBy = (field: Field, hint?: string) =>
    [hint, errors[field] ? errorId(field) : undefined].filter(Boolean).join(" ") || undefined;
  const error = (field: Field): ReactNode =>
    errors[field] ? <FieldError id={errorId(field)}>{errors[field]}</FieldError> : null;
  const optional = <span className="optional">{t("common.optional")}</span>;
  const disabled = busy !== null;
  const formId = `${id}-form`;

  return (
    <>
      <Modal
        title={
          contact ? t("contacts.edit.title", { name: displayName(contact, t) }) : t("contacts.new.title")
        }
        description={contact ? undefined : t("contacts.new.subtitle")}
        size="large"
        onClose={onClose}
        testId="contact-dialog"
        footer={
          <>
            {contact && (
              <>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => void exportData()}
                  disabled={disabled}
                  data-testid="contact-export"
                >
                  {busy === "export" ? (
                    <span className="spinner spinner-dark" aria-hidden="true" />
                  ) : (
                    <Icon name="download" />
                  )}
                  {t("contacts.gdpr.export")}
                </button>
                <button
                  type="button"
                  className="button button-quiet button-quiet-danger"
                  onClick={() => setErasing(true)}
                  disabled={disabled}
                  data-testid="contact-erase"
                >
                  <Icon name="ban" />
                  {t("contacts.gdpr.erase")}
                </button>
                {vaultAllowed && !contact.archived && (
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() =>
                      navigate(`/vault/partners?fromContact=${encodeURIComponent(contact.contactId)}`)
                    }
                    disabled={disabled}
                    data-testid="contact-make-partner"
                  >
                    <Icon name="users" />
                    {t("contacts.makePartner")}
                  </button>
                )}
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => void toggleArchive()}
                  disabled={disabled}
                  data-testid={contact.archived ? "contact-unarchive" : "contact-archive"}
                >
                  <Icon name="archive" />
                  {t(contact.archived ? "contacts.unarchive" : "contacts.archive")}
                </button>
              </>
            )}
            <span className="footer-spacer" />
            <button type="button" className="button" onClick={onClose}>
              {t(merged ? "common.close" : "common.cancel")}
            </button>
            <button
              type="submit"
              form={formId}
              className="button button-primary"
              disabled={disabled}
              data-testid="contact-submit"
            >
              {busy === "save" && <span className="spinner" aria-hidden="true" />}
              {t(contact ? "common.save" : "contacts.new.submit")}
            </button>
          </>
        }
      >
        <form id={formId} noValidate onSubmit={submit} className="form form-tight contact-form">
          {merged && (
            <Notice tone="info" testId="contact-merged">
              <p>{t("contacts.merged")}</p>
            </Notice>
          )}
          {contact?.archived && (
            <Notice tone="warning">
              <p>{t("contacts.archivedNotice")}</p>
            </Notice>
          )}
          <div className="field-row field-row-3">
            <div className="field field-civility">
              <label htmlFor={`${id}-civility`}>
                {t("contacts.field.civility")} {optional}
              </label>
              <select
                id={`${id}-civility`}
                value={values.civility}
                disabled={disabled}
                data-testid="contact-civility"
                aria-invalid={invalid("civility")}
                onChange={(event) => set("civility", event.target.value as Values["civility"])}
              >
                <option value="">—</option>
                <option value="M">{t("contacts.civility.M")}</option>
                <option value="Mme">{t("contacts.civility.Mme")}</option>
              </select>
              {error("civility")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-first`}>{t("contacts.field.firstName")}</label>
              <input
                id={`${id}-first`}
                autoComplete="off"
                value={values.firstName}
                disabled={disabled}
                data-testid="contact-first-name"
                aria-invalid={invalid("firstName")}
                aria-describedby={describedBy("firstName")}
                onChange={(event) => set("firstName", event.target.value)}
              />
              {error("firstName")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-last`}>{t("contacts.field.lastName")}</label>
              <input
                id={`${id}-last`}
                autoComplete="off"
                value={values.lastName}
                disabled={disabled}
                data-testid="contact-last-name"
                aria-invalid={invalid("lastName")}
                aria-describedby={describedBy("lastName")}
                onChange={(event) => set("lastName", event.target.value)}
              />
              {error("lastName")}
            </div>
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-mobile`}>{t("contacts.field.mobile")}</label>
              <input
                id={`${id}-mobile`}
                type="tel"
                autoComplete="off"
                placeholder="06 12 34 56 78"
                value={values.mobile}
                disabled={disabled}
                data-testid="contact-mobile"
                aria-invalid={invalid("mobile")}
                aria-describedby={describedBy("mobile", `${id}-mobile-hint`)}
                onChange={(event) => set("mobile", event.target.value)}
              />
              <p className="field-hint" id={`${id}-mobile-hint`}>
                {contact?.mobile && !contact.smsCapable
                  ? t("contacts.notSmsHint")
                  : t("contacts.field.mobileHint")}
              </p>
              {error("mobile")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-email`}>{t("contacts.field.email")}</label>
              <input
                id={`${id}-email`}
                type="email"
                autoComplete="off"
                spellCheck={false}
                value={values.email}
                disabled={disabled}
                data-testid="contact-email"
                aria-invalid={invalid("email")}
                aria-describedby={describedBy("email")}
                onChange={(event) => set("email", event.target.value)}
              />
              {error("email")}
            </div>
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-type`}>{t("contacts.field.type")}</label>
              <select
                id={`${id}-type`}
                value={values.type}
                disabled={disabled}
                data-testid="contact-type"
                aria-invalid={invalid("type")}
                onChange={(event) => set("type", event.target.value as ContactType)}
              >
                {contactTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(`contacts.type.${type}`)}
                  </option>
                ))}
              </select>
              {error("type")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-channel`}>
                {t("contacts.field.preferredChannel")} {optional}
              </label>
              <select
                id={`${id}-channel`}
                value={values.preferredChannel}
                disabled={disabled}
                data-testid="contact-channel"
                aria-invalid={invalid("preferredChannel")}
                onChange={(event) =>
                  set("preferredChannel", event.target.value as Values["preferredChannel"])
                }
              >
                <option value="">{t("contacts.channel.none")}</option>
                {contactChannels.map((channel) => (
                  <option key={channel} value={channel}>
                    {t(`channel.${channel}`)}
                  </option>
                ))}
              </select>
              {error("preferredChannel")}
            </div>
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-position`}>
                {t("contacts.field.position")} {optional}
              </label>
              <input
                id={`${id}-position`}
                autoComplete="off"
                value={values.position}
                disabled={disabled}
                data-testid="contact-position"
                aria-invalid={invalid("position")}
                onChange={(event) => set("position", event.target.value)}
              />
              {error("position")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-skills`}>
                {t("contacts.field.skills")} {optional}
              </label>
              <ChipsInput
                id={`${id}-skills`}
                value={values.skills}
                disabled={disabled}
                placeholder={t("contacts.skills.placeholder")}
                testId="contact-skills"
                onChange={(skills) => set("skills", skills)}
              />
              {error("skills")}
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${id}-description`}>
              {t("contacts.field.description")} {optional}
            </label>
            <textarea
              id={`${id}-description`}
              rows={2}
              value={values.description}
              disabled={disabled}
              data-testid="contact-description"
              aria-invalid={invalid("description")}
              onChange={(event) => set("description", event.target.value)}
            />
            {error("description")}
          </div>
          <div className="field">
            <span className="field-label">{t("contacts.field.agencies")}</span>
            <AgencyPicker
              agencies={usable}
              value={values.agencyIds}
              disabled={disabled}
              invalid={invalid("agencyIds")}
              describedBy={describedBy("agencyIds")}
              onChange={(agencyIds) => set("agencyIds", agencyIds)}
            />
            {error("agencyIds")}
          </div>
          <CustomFields
            values={values.customFields}
            disabled={disabled}
            onChange={(customFields) => set("customFields", customFields)}
          />
          {error("customFields")}
          {contact && (
            <fieldset className="field optout-fieldset" data-testid="contact-optouts">
              <legend className="field-label">{t("contacts.optOut.title")}</legend>
              <p className="field-hint">{t("contacts.optOut.hint")}</p>
              <div className="optout-grid">
                {contactChannels.map((channel) => {
                  const record = contact.optOut[channel];
                  // Same rule as the API: only an Admin lifts an opt-out, never one the person gave.
                  const locked = record
                    ? me.role !== "admin"
                      ? "contacts.optOut.adminOnly"
                      : fromThePerson(record.source)
                        ? "contacts.optOut.fromPerson"
                        : undefined
                    : undefined;
                  return (
                    <label key={channel} className="switch optout-switch">
                      <input
                        type="checkbox"
                        checked={Boolean(record)}
                        disabled={disabled || Boolean(locked)}
                        data-testid={`contact-optout-${channel}`}
                        onChange={(event) => void toggleOptOut(channel, event.target.checked)}
                      />
                      <span className="switch-track" aria-hidden="true" />
                      <span>
                        {t(`contacts.optOut.switch.${channel}`)}
                        <span className="text-subtle optout-detail">
                          {record
                            ? t("contacts.optOut.detail", {
                                date: dateTime(record.at),
                                source: record.source,
                              })
                            : t("contacts.optOut.subscribed")}
                        </span>
                        {locked && (
                          <span
                            className="text-subtle optout-detail"
                            data-testid={`contact-optout-${channel}-locked`}
                          >
                            {t(locked)}
                          </span>
                        )}
                      </span>
                    </label>
                  );
                })}
              </div>
            </fieldset>
          )}
          {failure && (
            <Notice tone="error" testId="contact-error">
              <p>{failure}</p>
            </Notice>
          )}
        </form>
      </Modal>
      {erasing && contact && (
        <EraseDialog
          contact={contact}
          onClose={() => setErasing(false)}
          onErased={() => {
            setErasing(false);
            onErased(contact.contactId);
            onClose();
          }}
        />
      )}
    </>
  );
}

/** Key/value rows for a contact's own custom fields (distinct from a list's variables). */
function CustomFields({
  values,
  disabled,
  onChange,
}: {
  values: { key: string; value: string }[];
  disabled: boolean;
  onChange: (values: { key: string; value: string }[]) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const update = (index: number, change: Partial<{ key: string; value: string }>) =>
    onChange(values.map((row, at) => (at === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="field" data-testid="contact-custom-fields">
      <legend className="field-label">
        {t("contacts.field.customFields")} <span className="optional">{t("common.optional")}</span>
      </legend>
      {values.length > 0 && (
        <div className="custom-rows">
          {values.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the key may be blank
            <div className="custom-row" key={index}>
              <input
                aria-label={t("contacts.custom.name")}
                id={`${id}-${index}-key`}
                placeholder={t("contacts.custom.name")}
                value={row.key}
                maxLength={40}
                disabled={disabled}
                onChange={(event) => update(index, { key: event.target.value })}
              />
              <input
                aria-label={t("contacts.custom.value")}
                placeholder={t("contacts.custom.value")}
                value={row.value}
                maxLength={500}
                disabled={disabled}
                onChange={(event) => update(index, { value: event.target.value })}
              />
              <button
                type="button"
                className="icon-button"
                aria-label={t("contacts.custom.remove")}
                disabled={disabled}
                onClick={() => onChange(values.filter((_, at) => at !== index))}
              >
                <Icon name="close" />
              </button>
            </div>
          ))}
        </div>
      )}
      <button
        type="button"
        className="button button-small button-quiet add-row"
        disabled={disabled}
        onClick={() => onChange([...values, { key: "", value: "" }])}
      >
        <Icon name="plus" />
        {t("contacts.custom.add")}
      </button>
    </fieldset>
  );
}
