import { type ComponentType, lazy, Suspense, useEffect } from "react";
import { can } from "./accounts/permissions";
import type { Role } from "./accounts/types";
import { HealthPage } from "./health/health-page";
import { I18nProvider, useT } from "./i18n/i18n";
import { DevPage } from "./pages/dev";
import { FilesPage } from "./pages/files";
import { ForbiddenPage } from "./pages/forbidden";
import { NotFoundPage } from "./pages/not-found";
import { TermsPage } from "./pages/terms";
import { matchPath, navigate, useLocation, usePathname } from "./router";
import { AuthProvider } from "./session/auth-provider";
import { ChangePasswordPage } from "./session/change-password-page";
import { ForgotPasswordPage } from "./session/forgot-password-page";
import { InvitationPage } from "./session/invitation-page";
import { LoginPage } from "./session/login-page";
import { ResetPasswordPage } from "./session/reset-password-page";
import { useSessionState } from "./session/session-store";
import { AppShell } from "./shell/app-shell";

/** Signed-in pages load on first visit: the login page does not wait for the composer or Excel code. */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((module) => ({ default: module[name] })));
const CampaignPage = page(() => import("./composer/campaign-page"), "CampaignPage");
const CampaignsPage = page(() => import("./composer/campaigns-page"), "CampaignsPage");
const ComposerPage = page(() => import("./composer/composer-page"), "ComposerPage");
const ConversationPage = page(() => import("./composer/conversation-page"), "ConversationPage");
const ContactsPage = page(() => import("./contacts/contacts-page"), "ContactsPage");
const ContactImportPage = page(() => import("./contacts/import-page"), "ContactImportPage");
const ListPage = page(() => import("./lists/list-page"), "ListPage");
const ListsPage = page(() => import("./lists/lists-page"), "ListsPage");
const AgenciesPage = page(() => import("./agencies/agencies-page"), "AgenciesPage");
const AuditPage = page(() => import("./audit/audit-page"), "AuditPage");
const CompanyPage = page(() => import("./company/company-page"), "CompanyPage");
const DeadLettersPage = page(() => import("./dead-letters/dead-letters-page"), "DeadLettersPage");
const IntegrationsPage = page(() => import("./integrations/integrations-page"), "IntegrationsPage");
const CertificatePage = page(() => import("./signature/certificate-page"), "CertificatePage");
const UsersPage = page(() => import("./users/users-page"), "UsersPage");
const TemplatesPage = page(() => import("./templates/templates-page"), "TemplatesPage");
const TemplateEditPage = page(() => import("./templates/template-editor"), "TemplateEditPage");
const TemplateNewPage = page(() => import("./templates/template-editor"), "TemplateNewPage");
const PartnersPage = page(() => import("./vault/partners-page"), "PartnersPage");
const PartnerPage = page(() => import("./vault/partner-page"), "PartnerPage");
const UploadPage = page(() => import("./vault/upload-page"), "UploadPage");
const TypesPage = page(() => import("./vault/types-page"), "TypesPage");
const InfoCampaignsPage = page(() => import("./info-campaigns/campaigns-page"), "InfoCampaignsPage");
const InfoCampaignWizardPage = page(() => import("./info-campaigns/wizard-page"), "InfoCampaignWizardPage");
const RemindersPage = page(() => import("./reminders/reminders-page"), "RemindersPage");
const NewReminderPage = page(() => import("./reminders/new-reminder-page"), "NewReminderPage");
const ScenariosPage = page(() => import("./reminders/scenarios-page"), "ScenariosPage");
const AnnouncementsPage = page(() => import("./staff/announcements-page"), "AnnouncementsPage");
const SurveysPage = page(() => import("./staff/surveys-page"), "SurveysPage");
const SurveyReportPage = page(() => import("./staff/surveys-page"), "SurveyReportPage");
const StaffGroupsPage = page(() => import("./staff/groups-page"), "StaffGroupsPage");
const StaffGroupPage = page(() => import("./staff/groups-page"), "StaffGroupPage");
const StaffContactPage = page(() => import("./staff/contact-page"), "StaffContactPage");
const HomePage = page(() => import("./home/home-page"), "HomePage");
const ReportsPage = page(() => import("./reports/reports-page"), "ReportsPage");
const UsagePage = page(() => import("./usage/usage-page"), "UsagePage");
const SpacePage = page(() => import("./space/space-page"), "SpacePage");
const OperatorPage = page(() => import("./operator/operator-page"), "OperatorPage");
const ApplyPage = page(() => import("./apply/apply-page"), "ApplyPage");
const RecruitmentCampaignsPage = page(
  () => import("./recruitment/campaigns-page"),
  "RecruitmentCampaignsPage",
);
const RecruitmentCampaignPage = page(() => import("./recruitment/campaign-page"), "RecruitmentCampaignPage");
const RecruitmentEditorPage = page(() => import("./recruitment/campaign-editor"), "RecruitmentEditorPage");
const DossierPage = page(() => import("./recruitment/dossier-page"), "DossierPage");

type Route = {
  page: ComponentType;
  /** `public`: anyone; `session`: signed in (else → /login?next=…). */
  access: "public" | "session";
  /** `shell`: inside the navigation; `own`: the page draws its whole screen (auth card…). */
  layout: "shell" | "own";
  allowed?: (role: Role) => boolean;
};

const routes: Record<string, Route> = {
  "/": { page: HomePage, access: "session", layout: "shell" },
  "/reports": { page: ReportsPage, access: "session", layout: "shell" },
  "/usage": { page: UsagePage, access: "session", layout: "shell", allowed: can.seeUsage },
  "/health": { page: HealthPage, access: "public", layout: "shell" },
  "/dev": { page: DevPage, access: "public", layout: "shell" },
  "/login": { page: LoginPage, access: "public", layout: "own" },
  "/forgot-password": { page: ForgotPasswordPage, access: "public", layout: "own" },
  "/reset-password": { page: ResetPasswordPage, access: "public", layout: "own" },
  "/invitation": { page: InvitationPage, access: "public", layout: "own" },
  "/terms": { page: TermsPage, access: "public", layout: "own" },
  "/f/:code": { page: FilesPage, access: "public", layout: "own" },
  "/change-password": { page: ChangePasswordPage, access: "session", layout: "own" },
  "/admin/users": { page: UsersPage, access: "session", layout: "shell", allowed: can.seeUsers },
  "/admin/agencies": { page: AgenciesPage, access: "session", layout: "shell", allowed: can.seeAgencies },
  "/admin/company": { page: CompanyPage, access: "session", layout: "shell", allowed: can.manageCompany },
  "/admin/audit": { page: AuditPage, access: "session", layout: "shell", allowed: can.seeAudit },
  "/admin/dead-letters": { page: DeadLettersPage, access: "session", layout: "shell", allowed: can.seeAudit },
  "/admin/integrations": {
    page: IntegrationsPage,
    access: "session",
    layout: "shell",
    allowed: can.manageIntegrations,
  },
  "/admin/signature": {
    page: CertificatePage,
    access: "session",
    layout: "shell",
    allowed: can.manageCompany,
  },
  "/contacts": { page: ContactsPage, access: "session", layout: "shell" },
  "/contacts/import": { page: ContactImportPage, access: "session", layout: "shell" },
  "/contacts/:contactId/conversation": { page: ConversationPage, access: "session", layout: "shell" },
  "/lists": { page: ListsPage, access: "session", layout: "shell" },
  "/lists/:listId": { page: ListPage, access: "session", layout: "shell" },
  "/templates": { page: TemplatesPage, access: "session", layout: "shell" },
  "/templates/new": { page: TemplateNewPage, access: "session", layout: "shell" },
  "/templates/:templateId": { page: TemplateEditPage, access: "session", layout: "shell" },
  "/compose/yesno": { page: ComposerPage, access: "session", layout: "shell" },
  "/compose/info": { page: ComposerPage, access: "session", layout: "shell" },
  "/campaigns": { page: CampaignsPage, access: "session", layout: "shell" },
  "/campaigns/:campaignId": { page: CampaignPage, access: "session", layout: "shell" },
  "/vault/partners": { page: PartnersPage, access: "session", layout: "shell", allowed: can.useVault },
  "/vault/partners/:partnerId": {
    page: PartnerPage,
    access: "session",
    layout: "shell",
    allowed: can.useVault,
  },
  "/vault/upload": { page: UploadPage, access: "session", layout: "shell", allowed: can.useVault },
  "/vault/types": { page: TypesPage, access: "session", layout: "shell", allowed: can.manageDocumentTypes },
  "/vault/info-campaigns": {
    page: InfoCampaignsPage,
    access: "session",
    layout: "shell",
    allowed: can.useVault,
  },
  "/vault/info-campaigns/:campaignId": {
    page: InfoCampaignWizardPage,
    access: "session",
    layout: "shell",
    allowed: can.useVault,
  },
  "/reminders": { page: RemindersPage, access: "session", layout: "shell", allowed: can.useReminders },
  "/reminders/new": { page: NewReminderPage, access: "session", layout: "shell", allowed: can.useReminders },
  "/reminders/scenarios": {
    page: ScenariosPage,
    access: "session",
    layout: "shell",
    allowed: can.manageReminderScenarios,
  },
  "/recruitment": {
    page: RecruitmentCampaignsPage,
    access: "session",
    layout: "shell",
    allowed: can.useRecruitment,
  },
  "/recruitment/new": {
    page: RecruitmentEditorPage,
    access: "session",
    layout: "shell",
    allowed: can.manageRecruitment,
  },
  "/recruitment/:campaignId": {
    page: RecruitmentCampaignPage,
    access: "session",
    layout: "shell",
    allowed: can.useRecruitment,
  },
  "/recruitment/:campaignId/edit": {
    page: RecruitmentEditorPage,
    access: "session",
    layout: "shell",
    allowed: can.manageRecruitment,
  },
  "/recruitment/:campaignId/dossiers/:dossierId": {
    page: DossierPage,
    access: "session",
    layout: "shell",
    allowed: can.useRecruitment,
  },
  "/staff/announcements": {
    page: AnnouncementsPage,
    access: "session",
    layout: "shell",
    allowed: can.useStaff,
  },
  "/staff/surveys": { page: SurveysPage, access: "session", layout: "shell", allowed: can.useStaff },
  "/staff/surveys/:surveyId": {
    page: SurveyReportPage,
    access: "session",
    layout: "shell",
    allowed: can.useStaff,
  },
  "/staff/groups": { page: StaffGroupsPage, access: "session", layout: "shell", allowed: can.useStaff },
  "/staff/groups/:groupId": {
    page: StaffGroupPage,
    access: "session",
    layout: "shell",
    allowed: can.useStaff,
  },
  "/staff/contact": {
    page: StaffContactPage,
    access: "session",
    layout: "shell",
    allowed: can.manageStaffContact,
  },
  "/espace": { page: SpacePage, access: "public", layout: "own" },
  // The operators' console: its own session and layout (web/src/operator).
  "/operateur": { page: OperatorPage, access: "public", layout: "own" },
  "/operateur/entreprises/:companyId": { page: OperatorPage, access: "public", layout: "own" },
  "/candidater/:slug": { page: ApplyPage, access: "public", layout: "own" },
};

/** The route for a path: an exact key first, then a key with `:params` (the page reads them itself). */
function routeFor(pathname: string): Route | undefined {
  const exact = routes[pathname];
  if (exact) return exact;
  for (const [pattern, route] of Object.entries(routes)) {
    if (pattern.includes(":") && matchPath(pattern, pathname)) return route;
  }
  return undefined;
}

const notFound: Route = { page: NotFoundPage, access: "public", layout: "shell" };

function normalise(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
}

/** Where a protected route sends its visitor instead, or `null` to show it. */
function useRedirect(route: Route, pathname: string): string | null {
  const state = useSessionState();
  const location = useLocation();
  if (route.access !== "session") return null;
  const next = location === "/" ? "" : `next=${encodeURIComponent(location)}`;
  if (state.status === "anonymous") {
    const params = [next, state.expired ? "reason=expired" : ""].filter(Boolean).join("&");
    return params ? `/login?${params}` : "/login";
  }
  if (
    state.status === "signed-in" &&
    state.session.user.mustChangePassword &&
    pathname !== "/change-password"
  ) {
    return next ? `/change-password?${next}` : "/change-password";
  }
  return null;
}

function FullPageLoading() {
  const t = useT();
  return (
    <div className="full-page-loading" role="status" data-testid="session-loading">
      <span className="spinner spinner-dark" aria-hidden="true" />
      {t("app.loading")}
    </div>
  );
}

function Routes() {
  const pathname = normalise(usePathname());
  const route = routeFor(pathname) ?? notFound;
  const state = useSessionState();
  const redirect = useRedirect(route, pathname);

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (redirect || (route.access === "session" && state.status === "loading")) return <FullPageLoading />;

  const role = state.status === "signed-in" ? state.session.user.role : null;
  const Page = route.allowed && role && !route.allowed(role) ? ForbiddenPage : route.page;
  if (route.layout === "own")
    return (
      <Suspense fallback={<FullPageLoading />}>
        <Page key={pathname} />
      </Suspense>
    );
  return (
    <AppShell pathname={pathname}>
      <Suspense fallback={<FullPageLoading />}>
        <Page key={pathname} />
      </Suspense>
    </AppShell>
  );
}

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <Routes />
      </AuthProvider>
    </I18nProvider>
  );
}
