import { type InputHTMLAttributes, type Ref, useState } from "react";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { ref?: Ref<HTMLInputElement> };

/** A password input with a show/hide toggle that keeps its label for screen readers. */
export function PasswordInput({ ref, ...props }: Props) {
  const t = useT();
  const [visible, setVisible] = useState(false);
  return (
    <div className="input-with-action">
      <input ref={ref} {...props} type={visible ? "text" : "password"} />
      <button
        type="button"
        className="input-action"
        aria-label={t(visible ? "login.hidePasswordLabel" : "login.showPasswordLabel")}
        aria-pressed={visible}
        onClick={() => setVisible((value) => !value)}
      >
        <Icon name={visible ? "eyeOff" : "eye"} />
        <span aria-hidden="true">{t(visible ? "login.hidePassword" : "login.showPassword")}</span>
      </button>
    </div>
  );
}
