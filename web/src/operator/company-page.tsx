import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { ConfirmDialog } from "../components/confirm-dialog";
import { Notice } from "../components/notice";
import { toast } from "../components/toast";
import { eurosInput, parseEuros } from "../composer/money";
import { formatDateTime } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import type { Locale, MessageKey } from "../i18n/messages";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { type CompanyDetail, operator } from "./client";
import { StateBadge } from "./companies-page";

type Action = "suspend" | "reactivate" | "close";
type Identity = CompanyDetail["identities"]["senderId"];

/** Amounts in euros as people type them (« 0,045 »), kept in millicents by the API. */
const toForm = (company: CompanyDetail, locale: Locale) => ({
  smsPrice: eurosInput(company.terms.smsUnitPriceMillicents, locale),
  emailPrice: eurosInput(company.terms.emailPriceMillicents, locale),
  cap: eurosInput(company.terms.monthlyCapMillicents, locale),
  smsRate: String(company.terms.perSecond.sms),
  emailRate: String(company.terms.perSecond.email),
  senderId: company.identities.senderId?.value ?? "",
  replyNumber: company.identities.replyNumber?.value ?? "",
});

/** One company: its terms (operators only), its SMS identities as AWS sees them, and its lifecycle. */
export function OperatorCompanyPage({ companyId }: { companyId: string }) {
  usePageTitle("operator.title");
  const { t, locale } = useI18n();
  const id = useId();
  const [company, setCompany] = useState<CompanyDetail | null>(null);
  const [form, setForm] = useState<ReturnType<typeof toForm> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [reason, setReason] = useState("");

  const show = useCallback(
    (detail: CompanyDetail) => {
      setCompany(detail);
      setForm(toForm(detail, locale));
    },
    [locale],
  );
  useEffect(() => {
    operator
      .company(companyId)
      .then(({ company: detail }) => show(detail))
      .catch((error: unknown) => setFailure(errorText(t, error)));
  }, [companyId, show, t]);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!form || busy) return;
    const [smsPrice, emailPrice, cap] = [form.smsPrice, form.emailPrice, form.cap].map(parseEuros);
    if (smsPrice === null || emailPrice === null || cap === null)
      return setFailure(t("operator.company.amountInvalid"));
    setBusy(true);
    setFailure(null);
    try {
      const saved = await operator.setTerms(companyId, {
        smsUnitPriceMillicents: smsPrice!,
        emailPriceMillicents: emailPrice!,
        monthlyCapMillicents: cap!,
        perSecond: { sms: Number(form.smsRate), email: Number(form.emailRate) },
        senderId: form.senderId.trim() || null,
        replyNumber: form.replyNumber.replace(/\s/g, "") || null,
      });
      show(saved.company);
      toast(t("operator.company.saved"));
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const act = async (action: Action) => {
    setBusy(true);
    setFailure(null);
    try {
      const why = reason.trim() || undefined;
      const done =
        action === "suspend"
          ? await operator.suspend(companyId, why)
          : action === "close"
            ? await operator.close(companyId, why)
            : await operator.reactivate(companyId);
      show(done.company);
      toast(
        t(
          action === "suspend"
            ? "operator.done.suspended"
            : action === "close"
              ? "operator.done.closed"
              : "operator.done.reactivated",
        ),
      );
      setConfirming(null);
      setReason("");
    } catch (error) {
      setFailure(errorText(t, error));
      setConfirming(null);
    } finally {
      setBusy(false);
    }
  };

  if (!company || !form)
    return failure ? (
      <Notice tone="error">
        <p>{failure}</p>
      </Notice>
    ) : null;

  const field = (
    name: keyof typeof form,
    label: MessageKey,
    options: { type?: string; hint?: MessageKey; inputMode?: "decimal" } = {},
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{t(label)}</label>
      <input
        id={`${id}-${name}`}
        type={options.type ?? "text"}
        min={options.type === "number" ? 0 : undefined}
        inputMode={options.inputMode}
        value={form[name]}
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        data-testid={`operator-terms-${name}`}
      />
      {options.hint && <p className="field-hint">{t(options.hint)}</p>}
    </div>
  );
  const identity = (found: Identity) => {
    if (!found) return <span className="text-subtle">{t("operator.company.identityNone")}</span>;
    if (!found.found) return <span className="text-subtle">{t("operator.company.identityUnknown")}</span>;
    return (
      <span className="text-subtle" data-testid="operator-identity-status">
        {found.status && t("operator.company.identityStatus", { status: found.status })}
        {found.registrationStatus &&
          ` · ${t("operator.company.registrationStatus", { status: found.registrationStatus })}`}
        {found.twoWay && ` · ${t("operator.company.twoWay")}`}
      </span>
    );
  };
  const titles: Record<Action, [MessageKey, MessageKey]> = {
    suspend: ["operator.confirm.suspend", "operator.confirm.suspendText"],
    reactivate: ["operator.confirm.reactivate", "operator.confirm.reactivateText"],
    close: ["operator.confirm.close", "operator.confirm.closeText"],
  };

  return (
    <>
      <p>
        <Link href="/operateur">← {t("operator.company.back")}</Link>
      </p>
      <div className="page-header">
        <div>
          <h1 data-testid="operator-company-name">{company.name}</h1>
          <p className="page-subtitle">
            {company.code} · {company.plan} · <StateBadge state={company.state} />
          </p>
        </div>
      </div>
      {failure && (
        <Notice tone="error" testId="operator-company-error">
          <p>{failure}</p>
        </Notice>
      )}
      <section className="card operator-card">
        <h2>{t("operator.company.terms")}</h2>
        <form noValidate onSubmit={save} data-testid="operator-terms-form">
          {field("smsPrice", "operator.company.smsPrice", { inputMode: "decimal" })}
          {field("emailPrice", "operator.company.emailPrice", { inputMode: "decimal" })}
          {field("cap", "operator.company.cap", { inputMode: "decimal" })}
          {field("smsRate", "operator.company.smsRate", {
            type: "number",
            hint: "operator.company.rateHint",
          })}
          {field("emailRate", "operator.company.emailRate", {
            type: "number",
            hint: "operator.company.rateHint",
          })}
          <h3>{t("operator.company.identities")}</h3>
          {field("senderId", "operator.company.senderId")}
          <p>{identity(company.identities.senderId)}</p>
          {field("replyNumber", "operator.company.replyNumber")}
          <p>{identity(company.identities.replyNumber)}</p>
          <button
            className="button button-primary"
            type="submit"
            disabled={busy}
            data-testid="operator-terms-save"
          >
            {t("operator.company.save")}
          </button>
        </form>
      </section>
      <section className="card operator-card">
        <h2>{t("operator.company.lifecycle")}</h2>
        {company.parkedJobs > 0 && <p>{t("operator.company.parked", { count: company.parkedJobs })}</p>}
        {company.erasedAt && (
          <p data-testid="operator-erased">
            {t("operator.company.erasedAt", { date: formatDateTime(company.erasedAt) })}
          </p>
        )}
        {company.erasureAt && !company.erasedAt && (
          <p>{t("operator.company.erasureAt", { date: formatDateTime(company.erasureAt) })}</p>
        )}
        {company.exportUrl && (
          <p>
            <a href={company.exportUrl} data-testid="operator-export">
              {t("operator.company.export")}
            </a>
          </p>
        )}
        <div className="operator-actions">
          {company.state === "active" && (
            <button
              className="button"
              type="button"
              onClick={() => setConfirming("suspend")}
              data-testid="operator-suspend"
            >
              {t("operator.company.suspend")}
            </button>
          )}
          {company.state === "suspended" && (
            <button
              className="button"
              type="button"
              onClick={() => setConfirming("reactivate")}
              data-testid="operator-reactivate"
            >
              {t("operator.company.reactivate")}
            </button>
          )}
          {company.state !== "closing" && company.state !== "erased" && (
            <button
              className="button button-danger"
              type="button"
              onClick={() => setConfirming("close")}
              data-testid="operator-close"
            >
              {t("operator.company.close")}
            </button>
          )}
        </div>
      </section>
      {confirming && (
        <ConfirmDialog
          title={t(titles[confirming][0], { name: company.name })}
          description={t(titles[confirming][1])}
          onClose={() => setConfirming(null)}
          testId="operator-confirm"
          action={{
            label: t(`operator.company.${confirming}`),
            testId: "operator-confirm-submit",
            tone: confirming === "reactivate" ? "primary" : "danger",
            busy,
            onClick: () => void act(confirming),
          }}
        >
          {confirming !== "reactivate" && (
            <div className="field">
              <label htmlFor={`${id}-reason`}>{t("operator.company.reason")}</label>
              <input id={`${id}-reason`} value={reason} onChange={(event) => setReason(event.target.value)} />
            </div>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
