import "./pages.css";
import { useEffect, useState } from "react";
import { errorText } from "../accounts/errors";
import { api, unwrap } from "../api";
import { AuthLayout } from "../components/auth-layout";
import { Notice } from "../components/notice";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { matchPath, usePathname } from "../router";

type Files = Awaited<ReturnType<typeof load>>;
const load = (code: string) => unwrap(api.api.public.files[":code"].$get({ param: { code } }));

/** The page an SMS's attachment link opens (`/f/:code`): the files, each with a download button. */
export function FilesPage() {
  usePageTitle("files.title");
  const { t, number, dateTime } = useI18n();
  const code = matchPath("/f/:code", usePathname())?.code ?? "";
  const [state, setState] = useState<{ files?: Files; error?: unknown }>({});
  useEffect(() => {
    load(code).then(
      (files) => setState({ files }),
      (error: unknown) => setState({ error }),
    );
  }, [code]);

  return (
    <AuthLayout footer={<span>{t("files.footer")}</span>}>
      <h1>{t("files.title")}</h1>
      {state.error !== undefined && (
        <Notice tone="error">
          <p data-testid="files-error">{errorText(t, state.error)}</p>
        </Notice>
      )}
      {state.files && (
        <>
          <p className="text-subtle">
            {t("files.from", {
              company: state.files.companyName,
              date: dateTime(state.files.expiresAt),
            })}
          </p>
          <ul className="file-list" data-testid="files">
            {state.files.files.map((file) => (
              <li key={file.url}>
                <Icon name="file" size={16} />
                <span className="file-name">{file.fileName}</span>
                <span className="text-subtle">{number(Math.max(1, Math.round(file.size / 1024)))} Ko</span>
                <a className="button button-small" href={file.url} download={file.fileName}>
                  <Icon name="download" size={14} />
                  {t("files.download")}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </AuthLayout>
  );
}
