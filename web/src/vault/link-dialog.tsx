import { type FormEvent, useId, useState } from "react";
import { Modal } from "../components/modal";
import { ErrorNotice, Notice } from "../components/notice";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { partners } from "./client";
import { vaultErrorText } from "./vault-text";

/** A signed link to the partner's space: its duration and use limit, then its URL, shown this once. */
export function LinkDialog({
  partnerId,
  onClose,
  onCreated,
}: {
  partnerId: string;
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t, dateTime } = useI18n();
  const id = useId();
  const [days, setDays] = useState("30");
  const [maxUses, setMaxUses] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<{ url: string; validUntil: string } | null>(null);
  const [copied, setCopied] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const link = await partners.createLink(partnerId, {
        days: Number(days) || 30,
        maxUses: maxUses.trim() ? Number(maxUses) : undefined,
      });
      setCreated(link);
      onCreated();
    } catch (error) {
      setFailure(vaultErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied(true);
    } catch {
      // no clipboard (insecure origin): the field stays selectable
    }
  };

  return (
    <Modal
      title={t("vault.links.new")}
      onClose={onClose}
      testId="link-dialog"
      footer={
        created ? (
          <button type="button" className="button button-primary" onClick={onClose}>
            {t("common.done")}
          </button>
        ) : (
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
              data-testid="link-create"
            >
              {t("vault.links.create")}
            </button>
          </>
        )
      }
    >
      {created ? (
        <div className="form form-tight">
          <Notice tone="warning">
            <p>{t("vault.links.once", { date: dateTime(created.validUntil) })}</p>
          </Notice>
          <div className="copy-field">
            <input
              readOnly
              value={created.url}
              aria-label={t("vault.links.url")}
              data-testid="link-url"
              onFocus={(event) => event.target.select()}
            />
            <button type="button" className="button" onClick={() => void copy()} data-testid="link-copy">
              <Icon name={copied ? "check" : "copy"} />
              {t(copied ? "common.copied" : "common.copy")}
            </button>
          </div>
        </div>
      ) : (
        <form id={`${id}-form`} className="form form-tight" onSubmit={submit} noValidate>
          <ErrorNotice text={failure} />
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-days`}>{t("vault.links.days")}</label>
              <input
                id={`${id}-days`}
                type="number"
                min={1}
                max={365}
                value={days}
                onChange={(event) => setDays(event.target.value)}
                data-testid="link-days"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-uses`}>
                {t("vault.links.maxUses")} <span className="optional">{t("common.optional")}</span>
              </label>
              <input
                id={`${id}-uses`}
                type="number"
                min={1}
                max={1000}
                value={maxUses}
                onChange={(event) => setMaxUses(event.target.value)}
                data-testid="link-max-uses"
              />
            </div>
          </div>
        </form>
      )}
    </Modal>
  );
}
