import { useState } from "react";
import { useDebounced } from "../components/use-debounced";
import { useResource } from "../components/use-resource";
import { useT } from "../i18n/i18n";
import { partners } from "./client";

/** Finds a partner by name, matricule, mobile or email and offers the first matches to pick. */
export function PartnerFinder({
  label,
  disabled,
  onPick,
}: {
  label: string;
  disabled?: boolean;
  onPick: (partnerId: string) => void;
}) {
  const t = useT();
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 250);
  const wanted = q.length >= 2;
  const found = useResource(() => (wanted ? partners.search({ q }) : Promise.resolve(undefined)), q);
  const items = found.data?.items.slice(0, 5) ?? [];
  return (
    <div className="partner-finder">
      <input
        type="search"
        aria-label={label}
        placeholder={t("vault.upload.find")}
        value={text}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        data-testid="plan-find"
      />
      {wanted && found.data && !found.loading && (
        <ul className="partner-finder-results" data-testid="plan-find-results">
          {items.length === 0 && <li className="text-subtle">{t("vault.upload.findNone")}</li>}
          {items.map((partner) => (
            <li key={partner.partnerId}>
              <button
                type="button"
                className="button button-quiet"
                disabled={disabled}
                onClick={() => onPick(partner.partnerId)}
                data-testid="plan-find-pick"
              >
                {partner.name}
                {partner.matricule ? ` · ${partner.matricule}` : ""}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
