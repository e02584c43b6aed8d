import { type FormEvent, useId, useState } from "react";
import { api, unwrap } from "../api";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";

const certificateApi = api.api.signature.certificate;
const load = () => unwrap(certificateApi.$get({}, { init: { cache: "no-store" } }));
const maxBytes = 100 * 1024;

/** Read as base64 for the JSON body (the file is at most 100 KB). */
const base64Of = async (file: File) => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

/**
 * Administration → « Signature électronique »: the company's PKCS#12 certificate, which seals the
 * documents of « signé par l'entreprise » types and the PDFs partners sign. The password never comes back.
 */
export function CertificatePage() {
  usePageTitle("signature.title");
  const { t, dateTime } = useI18n();
  const id = useId();
  const current = useResource(load);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const errorOf = (error: unknown) => {
    const code = (error as { code?: string }).code ?? "";
    const known: Record<string, string> = {
      "signature.bad_certificate": t("signature.error.bad"),
      "signature.no_private_key": t("signature.error.noKey"),
      "signature.expired": t("signature.error.expired"),
      "signature.not_yet_valid": t("signature.error.notYet"),
      "signature.too_large": t("signature.error.tooLarge"),
    };
    return known[code] ?? (error instanceof Error ? error.message : t("signature.error.bad"));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setFailure(t("signature.error.fileMissing"));
    if (file.size > maxBytes) return setFailure(t("signature.error.tooLarge"));
    setBusy(true);
    setFailure(null);
    try {
      await unwrap(certificateApi.$put({ json: { file: await base64Of(file), password } }));
      toast(t("signature.saved"));
      setPassword("");
      setFile(null);
      await current.reload();
    } catch (error) {
      setFailure(errorOf(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!window.confirm(t("signature.removeConfirm"))) return;
    setFailure(null);
    try {
      await unwrap(certificateApi.$delete({}));
      toast(t("signature.removed"));
      await current.reload();
    } catch (error) {
      setFailure(errorOf(error));
    }
  };

  const certificate = current.data?.certificate;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("signature.title")}</h1>
          <p className="page-subtitle">{t("signature.subtitle")}</p>
        </div>
      </header>
      <ErrorNotice text={failure} />
      <section className="card" data-testid="certificate">
        <h2 className="card-title">{t("signature.current")}</h2>
        {current.loading && !current.data ? (
          <p>{t("app.loading")}</p>
        ) : certificate ? (
          <dl className="details-list">
            <dt>{t("signature.subject")}</dt>
            <dd data-testid="certificate-subject">{certificate.subject}</dd>
            <dt>{t("signature.issuer")}</dt>
            <dd>{certificate.issuer}</dd>
            <dt>{t("signature.validity")}</dt>
            <dd>
              {t("signature.validRange", {
                from: dateTime(certificate.validFrom),
                to: dateTime(certificate.validTo),
              })}
            </dd>
            <dt>{t("signature.fingerprint")}</dt>
            <dd>
              <code style={{ wordBreak: "break-all" }}>{certificate.fingerprint}</code>
            </dd>
            <dt>{t("signature.uploaded")}</dt>
            <dd>
              {certificate.uploadedBy} · {dateTime(certificate.uploadedAt)}
            </dd>
          </dl>
        ) : (
          <p className="text-muted" data-testid="certificate-none">
            {t("signature.none")}
          </p>
        )}
        {certificate && (
          <button type="button" className="button button-danger" onClick={() => void remove()}>
            {t("signature.remove")}
          </button>
        )}
      </section>
      <section className="card">
        <h2 className="card-title">{certificate ? t("signature.replace") : t("signature.upload")}</h2>
        <form className="form form-tight" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-file`}>{t("signature.file")}</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".p12,.pfx,application/x-pkcs12"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
              data-testid="certificate-file"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>{t("signature.password")}</label>
            <input
              id={`${id}-password`}
              type="password"
              autoComplete="off"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              data-testid="certificate-password"
            />
          </div>
          <div className="form-actions form-actions-start">
            <button
              type="submit"
              className="button button-primary"
              disabled={busy}
              data-testid="certificate-submit"
            >
              <Icon name="upload" />
              {certificate ? t("signature.replace") : t("signature.upload")}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
