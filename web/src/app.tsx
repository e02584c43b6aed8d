import type { ComponentType } from "react";
import { I18nProvider } from "./i18n/i18n";
import { DevPage } from "./pages/dev";
import { HealthPage } from "./pages/health";
import { LoginPage } from "./pages/login";
import { NotFoundPage } from "./pages/not-found";
import { usePathname } from "./router";
import { AppShell } from "./shell/app-shell";

/** Pages shown inside the shell, by pathname. `/login` stands alone. */
const pages: Record<string, ComponentType> = {
  "/": HealthPage,
  "/health": HealthPage,
  "/dev": DevPage,
};

function normalise(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
}

function Routes() {
  const pathname = normalise(usePathname());
  if (pathname === "/login") return <LoginPage />;
  const Page = pages[pathname] ?? NotFoundPage;
  return (
    <AppShell pathname={pathname}>
      <Page key={pathname} />
    </AppShell>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Routes />
    </I18nProvider>
  );
}
