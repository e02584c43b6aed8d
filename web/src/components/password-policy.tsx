import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";

export const minimumLength = 12;

export type PasswordCheck = {
  length: boolean;
  lower: boolean;
  upper: boolean;
  digit: boolean;
  symbol: boolean;
  classes: boolean;
  notEmail: boolean;
  ok: boolean;
};

/** The server's policy, checked as the person types: 12 characters, 3 of 4 classes, not the email's name. */
export function checkPassword(password: string, email?: string): PasswordCheck {
  // the same character classes as the server (core/user/password-policy.ts): an accent counts as a symbol
  const lower = /[a-z]/.test(password);
  const upper = /[A-Z]/.test(password);
  const digit = /\d/.test(password);
  const symbol = /[^A-Za-z0-9]/.test(password);
  const length = password.length >= minimumLength;
  const classes = [lower, upper, digit, symbol].filter(Boolean).length >= 3;
  const local = email?.split("@")[0]?.trim().toLowerCase() ?? "";
  const notEmail = local.length < 3 || !password.toLowerCase().includes(local);
  return { length, lower, upper, digit, symbol, classes, notEmail, ok: length && classes && notEmail };
}

function Rule({ met, label, started }: { met: boolean; label: string; started: boolean }) {
  const t = useT();
  // nothing is ticked before the first keystroke, not even “not your email”
  const state = !started ? "pending" : met ? "met" : "unmet";
  return (
    <li className={`policy-rule policy-${state}`} data-met={met}>
      <Icon name={state === "met" ? "up" : "dot"} size={14} className="policy-icon" />
      <span>{label}</span>
      {started && (
        <span className="visually-hidden"> — {t(met ? "password.policy.met" : "password.policy.unmet")}</span>
      )}
    </li>
  );
}

/** The policy as a checklist that ticks itself live; `id` lets the password input point at it. */
export function PasswordPolicy({ id, password, email }: { id: string; password: string; email?: string }) {
  const t = useT();
  const check = checkPassword(password, email);
  const started = password.length > 0;
  const classes: [boolean, MessageKey][] = [
    [check.lower, "password.policy.lower"],
    [check.upper, "password.policy.upper"],
    [check.digit, "password.policy.digit"],
    [check.symbol, "password.policy.symbol"],
  ];
  return (
    <div className="policy" id={id} data-testid="password-policy" data-ok={check.ok}>
      <p className="policy-title">{t("password.policy.title")}</p>
      <ul>
        <Rule
          met={check.length}
          started={started}
          label={t("password.policy.length", { min: minimumLength })}
        />
        <Rule met={check.classes} started={started} label={t("password.policy.classes")} />
      </ul>
      <ul className="policy-classes" aria-label={t("password.policy.classes")}>
        {classes.map(([met, label]) => (
          <li key={label} className={met ? "policy-chip is-met" : "policy-chip"}>
            {met && <Icon name="check" size={12} />}
            {t(label)}
          </li>
        ))}
      </ul>
      {email && (
        <ul>
          <Rule met={check.notEmail} started={started} label={t("password.policy.notEmail")} />
        </ul>
      )}
    </div>
  );
}
