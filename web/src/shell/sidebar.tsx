import { can } from "../accounts/permissions";
import type { Role } from "../accounts/types";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon, type IconName, Logo } from "../icons";
import { useLocalLinks } from "../local-links";
import { Link } from "../router";
import { useMe } from "../session/session-store";

/** `prefix`: also current on the pages below it (`/lists/…` for `/lists`). */
type NavItem = {
  label: MessageKey;
  icon: IconName;
  href?: string;
  match?: string[];
  prefix?: boolean;
  /** Shown only to these roles (the API refuses the others anyway). */
  allowed?: (role: Role) => boolean;
};
type NavGroup = { label: MessageKey; items: NavItem[] };

/** Sections without `href` are not built yet: they show greyed with a “bientôt” badge. */
const groups: NavGroup[] = [
  {
    label: "nav.group.messages",
    items: [
      { label: "nav.home", icon: "home", href: "/" },
      { label: "nav.campaigns", icon: "campaigns", href: "/campaigns", prefix: true },
      { label: "nav.newYesNo", icon: "yesNo", href: "/compose/yesno" },
      { label: "nav.newInfo", icon: "announce", href: "/compose/info" },
      { label: "nav.templates", icon: "templates", href: "/templates", prefix: true },
    ],
  },
  {
    label: "nav.group.recipients",
    items: [
      { label: "nav.lists", icon: "lists", href: "/lists", prefix: true },
      { label: "nav.contacts", icon: "contacts", href: "/contacts", prefix: true },
    ],
  },
  {
    label: "vault.nav.group",
    items: [
      {
        label: "vault.nav.partners",
        icon: "contacts",
        href: "/vault/partners",
        prefix: true,
        allowed: can.useVault,
      },
      { label: "vault.nav.upload", icon: "upload", href: "/vault/upload", allowed: can.useVault },
      { label: "vault.nav.types", icon: "file", href: "/vault/types", allowed: can.manageDocumentTypes },
      {
        label: "infoCampaigns.nav",
        icon: "announce",
        href: "/vault/info-campaigns",
        prefix: true,
        allowed: can.useVault,
      },
    ],
  },
  {
    label: "reminders.nav.group",
    items: [
      { label: "reminders.nav.list", icon: "clock", href: "/reminders", allowed: can.useReminders },
      { label: "reminders.nav.new", icon: "plus", href: "/reminders/new", allowed: can.useReminders },
      {
        label: "reminders.nav.scenarios",
        icon: "settings",
        href: "/reminders/scenarios",
        allowed: can.manageReminderScenarios,
      },
    ],
  },
  {
    label: "staff.nav.group",
    items: [
      {
        label: "staff.nav.announcements",
        icon: "announce",
        href: "/staff/announcements",
        allowed: can.useStaff,
      },
      {
        label: "staff.nav.surveys",
        icon: "yesNo",
        href: "/staff/surveys",
        prefix: true,
        allowed: can.useStaff,
      },
      {
        label: "staff.nav.groups",
        icon: "users",
        href: "/staff/groups",
        prefix: true,
        allowed: can.useStaff,
      },
      {
        label: "staff.nav.contact",
        icon: "settings",
        href: "/staff/contact",
        allowed: can.manageStaffContact,
      },
    ],
  },
  {
    label: "recruitment.nav.group",
    items: [
      {
        label: "recruitment.nav.campaigns",
        icon: "users",
        href: "/recruitment",
        prefix: true,
        allowed: can.useRecruitment,
      },
    ],
  },
  {
    label: "nav.group.management",
    items: [
      { label: "nav.reports", icon: "reports", href: "/reports" },
      { label: "usage.nav", icon: "reports", href: "/usage", allowed: can.seeUsage },
    ],
  },
];

type AdminItem = NavItem & { href: string; allowed: (role: Role) => boolean };

const adminItems: AdminItem[] = [
  { label: "nav.users", icon: "users", href: "/admin/users", allowed: can.seeUsers },
  { label: "nav.agencies", icon: "building", href: "/admin/agencies", allowed: can.seeAgencies },
  { label: "nav.company", icon: "settings", href: "/admin/company", allowed: can.manageCompany },
  { label: "nav.audit", icon: "audit", href: "/admin/audit", allowed: can.seeAudit },
  { label: "nav.deadLetters", icon: "warning", href: "/admin/dead-letters", allowed: can.seeAudit },
  { label: "nav.integrations", icon: "key", href: "/admin/integrations", allowed: can.manageIntegrations },
  { label: "nav.signature", icon: "edit", href: "/admin/signature", allowed: can.manageCompany },
];

function NavEntry({
  item,
  pathname,
  onNavigate,
}: {
  item: NavItem;
  pathname: string;
  onNavigate: () => void;
}) {
  const t = useT();
  if (!item.href) {
    return (
      <li>
        <span className="nav-item is-soon" aria-disabled="true" title={t("nav.soonHint")}>
          <Icon name={item.icon} />
          <span className="nav-label">{t(item.label)}</span>
          <span className="soon-badge">{t("nav.soon")}</span>
        </span>
      </li>
    );
  }
  const current =
    (item.match ?? [item.href]).includes(pathname) ||
    (item.prefix === true && pathname.startsWith(`${item.href}/`));
  return (
    <li>
      <Link
        href={item.href}
        className="nav-item"
        aria-current={current ? "page" : undefined}
        onClick={onNavigate}
      >
        <Icon name={item.icon} />
        <span className="nav-label">{t(item.label)}</span>
      </Link>
    </li>
  );
}

export function Sidebar({
  pathname,
  open,
  onClose,
}: {
  pathname: string;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const local = useLocalLinks();
  const me = useMe();
  const admin = me ? adminItems.filter((item) => item.allowed(me.role)) : [];
  const shown = groups
    .map((group) => ({
      ...group,
      items: group.items.filter((item) => !item.allowed || (me && item.allowed(me.role))),
    }))
    .filter((group) => group.items.length > 0);
  // Accueil is "/" for the signed in: the service status stays at /health, for Admins and visitors.
  const system: NavItem[] =
    !me || can.seeAudit(me.role) ? [{ label: "nav.health", icon: "health", href: "/health" }] : [];
  if ((local.status === "ready" && local.links) || pathname === "/dev") {
    system.push({ label: "nav.dev", icon: "dev", href: "/dev" });
  }

  return (
    <aside className={open ? "sidebar is-open" : "sidebar"} id="sidebar">
      <div className="sidebar-brand">
        <Link href="/" className="brand-link" onClick={onClose}>
          <Logo />
          <span className="brand-name">{t("app.name")}</span>
        </Link>
        <button
          type="button"
          className="icon-button sidebar-close"
          aria-label={t("nav.closeMenu")}
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      <nav aria-label={t("nav.label")} className="sidebar-nav">
        {shown.map((group) => (
          <div className="nav-group" key={group.label}>
            <h2 className="nav-group-title">{t(group.label)}</h2>
            <ul>
              {group.items.map((item) => (
                <NavEntry key={item.label} item={item} pathname={pathname} onNavigate={onClose} />
              ))}
            </ul>
          </div>
        ))}
        {admin.length > 0 && (
          <div className="nav-group" data-testid="nav-admin">
            <h2 className="nav-group-title">{t("nav.admin")}</h2>
            <ul>
              {admin.map((item) => (
                <NavEntry key={item.label} item={item} pathname={pathname} onNavigate={onClose} />
              ))}
            </ul>
          </div>
        )}
        {system.length > 0 && (
          <div className="nav-group nav-group-bottom">
            <h2 className="nav-group-title">{t("nav.group.system")}</h2>
            <ul>
              {system.map((item) => (
                <NavEntry key={item.label} item={item} pathname={pathname} onNavigate={onClose} />
              ))}
            </ul>
          </div>
        )}
      </nav>
    </aside>
  );
}
