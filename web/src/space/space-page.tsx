import "./space.css";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { ApiError } from "../api";
import { hasChosenLocale, useI18n } from "../i18n/i18n";
import { Icon, Logo } from "../icons";
import { usePageTitle } from "../page-title";
import { useSearchParam } from "../router";
import { LanguageSwitch } from "../shell/language-switch";
import { type CompanyChoice, type Dashboard, type SpaceDocument, space, type Typology } from "./client";
import { EmployeeSpace } from "./employee-space";
import { SignPanel } from "./sign-panel";

const typologies: Typology[] = ["paie", "contrats", "attestations", "informations", "autres"];

type State = { kind: "loading" } | { kind: "signin" } | { kind: "ready"; dashboard: Dashboard };

const unauthorised = (error: unknown) => error instanceof ApiError && error.status === 401;

/**
 * The partner space (`/espace`): sign-in by a one-time code sent to the mobile or email, then the
 * partner's documents, new ones first, then by typology. Mobile first; its own look, not the console's.
 */
export function SpacePage() {
  usePageTitle("space.title");
  const { setLocale } = useI18n();
  const [state, setState] = useState<State>({ kind: "loading" });

  const load = useCallback(async () => {
    try {
      const dashboard = await space.dashboard();
      // the partner's language, until this browser picks one with the switch
      if (!hasChosenLocale()) setLocale(dashboard.partner.language);
      setState({ kind: "ready", dashboard });
    } catch {
      // a 401, or anything else: the sign-in screen is where to start again
      setState({ kind: "signin" });
    }
  }, [setLocale]);

  useEffect(() => {
    void load();
  }, [load]);

  const signedOut = useCallback(() => setState({ kind: "signin" }), []);

  return (
    <div className="space">
      <header className="space-top">
        <span className="space-brand">
          <Logo />
          <SpaceCompany state={state} />
        </span>
        <LanguageSwitch />
      </header>
      <main className="space-main">
        {state.kind === "loading" && (
          <p className="space-muted" role="status">
            …
          </p>
        )}
        {state.kind === "signin" && <SignIn onSignedIn={() => void load()} />}
        {state.kind === "ready" && (
          <Documents
            dashboard={state.dashboard}
            onSignedOut={signedOut}
            onChange={(dashboard) => setState({ kind: "ready", dashboard })}
          />
        )}
      </main>
    </div>
  );
}

function SpaceCompany({ state }: { state: State }) {
  const { t } = useI18n();
  return <span>{state.kind === "ready" ? state.dashboard.company.name : t("space.title")}</span>;
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [address, setAddress] = useState("");
  const [step, setStep] = useState<"address" | "code" | "company">("address");
  const [choice, setChoice] = useState<CompanyChoice | null>(null);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<"sms" | "email">("sms");

  const failText = (error: unknown) =>
    error instanceof ApiError && error.status === 429 ? t("space.error.tooMany") : t("space.error.other");

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!address.trim()) {
      setMessage(t("space.signin.addressMissing"));
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const sent = await space.requestCode(address.trim());
      setSentTo(sent.channel);
      setStep("code");
      setCode("");
    } catch (error) {
      setMessage(failText(error));
    } finally {
      setBusy(false);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setMessage(t("space.signin.codeFormat"));
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const refused = await space.verify(address.trim(), code);
      if (refused.kind === "signed_in") {
        onSignedIn();
        return;
      }
      if (refused.kind === "choose") {
        setChoice(refused);
        setStep("company");
        return;
      }
      setMessage(
        refused.code === "space.code_wrong" && refused.triesLeft > 0
          ? t("space.signin.wrong", { count: refused.triesLeft })
          : t("space.signin.expired"),
      );
    } catch (error) {
      setMessage(failText(error));
    } finally {
      setBusy(false);
    }
  };

  const pick = async (picked: number) => {
    if (!choice) return;
    setBusy(true);
    setMessage(null);
    try {
      if (await space.choose(choice.ticket, picked)) {
        onSignedIn();
        return;
      }
      // The ticket lasts 5 minutes and works once: back to a new code.
      setStep("address");
      setMessage(t("space.signin.chooseExpired"));
    } catch (error) {
      setMessage(failText(error));
    } finally {
      setBusy(false);
    }
  };

  if (step === "company" && choice)
    return (
      <section className="space-card" data-testid="space-choose">
        <h1>{t("space.signin.chooseTitle")}</h1>
        <p className="space-muted">{t("space.signin.chooseIntro", { address })}</p>
        <ul className="space-choices">
          {choice.companies.map((company) => (
            <li key={company.choice}>
              <button
                type="button"
                className="space-button space-choice"
                disabled={busy}
                onClick={() => void pick(company.choice)}
                data-testid="space-company"
              >
                {company.name}
              </button>
            </li>
          ))}
        </ul>
        {message && (
          <p className="space-error" role="alert" data-testid="space-message">
            {message}
          </p>
        )}
      </section>
    );

  return (
    <section className="space-card" data-testid="space-signin">
      <h1>{t("space.signin.title")}</h1>
      {step === "address" ? (
        <form onSubmit={send} noValidate className="space-form">
          <p className="space-muted">{t("space.signin.intro")}</p>
          <label htmlFor={`${id}-address`}>{t("space.signin.address")}</label>
          <input
            id={`${id}-address`}
            inputMode="email"
            autoComplete="username"
            placeholder="06 12 34 56 78"
            value={address}
            onChange={(event) => setAddress(event.target.value)}
            data-testid="space-address"
          />
          {message && (
            <p className="space-error" role="alert" data-testid="space-message">
              {message}
            </p>
          )}
          <button type="submit" className="space-button" disabled={busy} data-testid="space-send-code">
            {t("space.signin.send")}
          </button>
        </form>
      ) : (
        <form onSubmit={verify} noValidate className="space-form">
          <p className="space-muted">
            {t(sentTo === "email" ? "space.signin.sentEmail" : "space.signin.sentSms", { address })}
          </p>
          <label htmlFor={`${id}-code`}>{t("space.signin.code")}</label>
          <input
            id={`${id}-code`}
            className="space-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, "").slice(0, 6))}
            data-testid="space-code"
          />
          {message && (
            <p className="space-error" role="alert" data-testid="space-message">
              {message}
            </p>
          )}
          <button type="submit" className="space-button" disabled={busy} data-testid="space-verify">
            {t("space.signin.verify")}
          </button>
          <div className="space-links">
            <button
              type="button"
              className="space-link"
              disabled={busy}
              onClick={() => void send()}
              data-testid="space-resend"
            >
              {t("space.signin.resend")}
            </button>
            <button
              type="button"
              className="space-link"
              onClick={() => {
                setStep("address");
                setMessage(null);
              }}
            >
              {t("space.signin.change")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Documents({
  dashboard,
  onSignedOut,
  onChange,
}: {
  dashboard: Dashboard;
  onSignedOut: () => void;
  onChange: (dashboard: Dashboard) => void;
}) {
  const { t } = useI18n();
  const wanted = useSearchParam("document");
  const [failure, setFailure] = useState<string | null>(null);
  // An information campaign's documents show under its message, not a second time in the folders.
  const ofCampaigns = new Set(dashboard.campaigns.flatMap((campaign) => campaign.documentIds));
  const unread = dashboard.documents.filter(
    (document) => !document.read && !ofCampaigns.has(document.documentId),
  );

  useEffect(() => {
    if (!wanted) return;
    document.getElementById(`document-${wanted}`)?.scrollIntoView({ block: "center" });
  }, [wanted]);

  const download = async (target: SpaceDocument) => {
    setFailure(null);
    try {
      await space.open(target.documentId);
      onChange({
        ...dashboard,
        documents: dashboard.documents.map((document) =>
          document.documentId === target.documentId ? { ...document, read: true } : document,
        ),
      });
      // the API answers with a redirect to a short-lived link, which the browser downloads
      window.location.assign(space.fileUrl(target.documentId));
    } catch (error) {
      if (unauthorised(error)) onSignedOut();
      else setFailure(t("space.error.other"));
    }
  };

  const logout = async () => {
    await space.logout().catch(() => undefined);
    onSignedOut();
  };

  const reload = async () => {
    try {
      onChange(await space.dashboard());
    } catch (error) {
      if (unauthorised(error)) onSignedOut();
      else setFailure(t("space.error.other"));
    }
  };

  const card = (document: SpaceDocument) => (
    <DocumentCard
      key={document.documentId}
      document={document}
      highlighted={document.documentId === wanted}
      onDownload={() => void download(document)}
      onSigned={() => void reload()}
      onSignedOut={onSignedOut}
    />
  );

  // Information campaigns: their message is the dashboard's, for employees above their sections too.
  const campaignSections = (
    <>
      {dashboard.campaigns.map((campaign) => (
        <section
          key={campaign.campaignId}
          className="space-section space-campaign"
          data-testid="space-campaign"
          aria-labelledby={`campaign-${campaign.campaignId}`}
        >
          <div className="space-campaign-head">
            {campaign.hasLogo && (
              <img className="space-campaign-logo" src={space.campaignLogoUrl(campaign.campaignId)} alt="" />
            )}
            <h2 id={`campaign-${campaign.campaignId}`}>{campaign.title}</h2>
          </div>
          <p className="space-campaign-message" data-testid="space-campaign-message">
            {campaign.message}
          </p>
          {dashboard.documents
            .filter((document) => campaign.documentIds.includes(document.documentId))
            .map(card)}
        </section>
      ))}
    </>
  );

  const filedDocuments = (
    <div className="space-filed">
      {dashboard.documents.length === 0 && <p className="space-card">{t("space.empty")}</p>}
      {unread.length > 0 && (
        <section className="space-section" data-testid="space-new" aria-labelledby="space-new-title">
          <h2 id="space-new-title">{t("space.new")}</h2>
          {unread.map(card)}
        </section>
      )}
      {typologies.map((typology) => {
        const filed = dashboard.documents.filter(
          (document) =>
            document.read && document.typology === typology && !ofCampaigns.has(document.documentId),
        );
        if (filed.length === 0) return null;
        return (
          <section
            key={typology}
            className="space-section"
            data-testid={`space-section-${typology}`}
            aria-labelledby={`space-${typology}`}
          >
            <h2 id={`space-${typology}`}>{t(`space.typology.${typology}`)}</h2>
            {filed.map(card)}
          </section>
        );
      })}
    </div>
  );

  return (
    <div className="space-documents" data-testid="space-dashboard">
      <div className="space-hello">
        <h1>{t("space.hello", { name: dashboard.partner.name })}</h1>
        <button type="button" className="space-link" onClick={() => void logout()} data-testid="space-logout">
          <Icon name="signOut" />
          {t("space.logout")}
        </button>
      </div>
      <p className="space-muted">{t("space.intro", { company: dashboard.company.name })}</p>
      {failure && (
        <p className="space-error" role="alert">
          {failure}
        </p>
      )}
      {campaignSections}
      {dashboard.employee ? (
        <EmployeeSpace documents={filedDocuments} onSignedOut={onSignedOut} />
      ) : (
        filedDocuments
      )}
    </div>
  );
}

function DocumentCard({
  document,
  highlighted,
  onDownload,
  onSigned,
  onSignedOut,
}: {
  document: SpaceDocument;
  highlighted: boolean;
  onDownload: () => void;
  onSigned: () => void;
  onSignedOut: () => void;
}) {
  const { t, number, dateTime } = useI18n();
  const [signing, setSigning] = useState(false);
  const state = document.signature?.state;
  const size =
    document.size >= 1024 * 1024
      ? `${number(document.size / 1024 / 1024, { maximumFractionDigits: 1 })} ${t("space.mb")}`
      : `${number(Math.max(1, Math.round(document.size / 1024)))} ${t("space.kb")}`;
  return (
    <article
      id={`document-${document.documentId}`}
      className={`space-document${highlighted ? " is-highlighted" : ""}${document.read ? "" : " is-unread"}`}
      data-testid="space-document"
      data-id={document.documentId}
      data-read={document.read}
      data-signature={state}
    >
      <div className="space-document-text">
        <strong>
          {document.typeName}
          {state && (
            <span className={`space-badge is-${state}`} data-testid="space-signature-state">
              {t(`space.sign.state.${state}`)}
            </span>
          )}
        </strong>
        <span className="space-file">{document.fileName}</span>
        <span className="space-muted">
          {dateTime(document.publishedAt)} · {size} ·{" "}
          {document.read ? t("space.read") : <span className="space-unread">{t("space.unread")}</span>}
        </span>
      </div>
      <button type="button" className="space-button" onClick={onDownload} data-testid="space-download">
        <Icon name="download" />
        {state === "signed" ? t("space.sign.downloadSigned") : t("space.download")}
      </button>
      {state === "to_sign" && !signing && (
        <button
          type="button"
          className="space-button space-button-secondary"
          onClick={() => setSigning(true)}
          data-testid="space-sign"
        >
          {t("space.sign.start")}
        </button>
      )}
      {state === "to_sign" && document.signature?.deadline && (
        <span className="space-muted space-deadline">
          {t("space.sign.until", { date: dateTime(document.signature.deadline) })}
        </span>
      )}
      {state === "to_sign" && signing && (
        <SignPanel document={document} onRead={onDownload} onSigned={onSigned} onSignedOut={onSignedOut} />
      )}
    </article>
  );
}
