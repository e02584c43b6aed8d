import type { Ref } from "react";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { HighlightedBody } from "./highlighted-body";
import { count, findInvisible, removeInvisible, replaceableCharacters, toGsm } from "./message-text";

export type SmsFigures = {
  encoding: "GSM-7" | "UCS-2";
  characters: number;
  segments: number;
  remaining: number;
  unicodeCharacters: string[];
};

/** GSM-7 or Unicode, as a badge. */
export function EncodingBadge({ encoding, testId }: { encoding: SmsFigures["encoding"]; testId?: string }) {
  const { t } = useI18n();
  return (
    <span
      className={encoding === "GSM-7" ? "badge badge-gsm" : "badge badge-unicode"}
      data-encoding={encoding}
      data-testid={testId}
      title={t(encoding === "GSM-7" ? "templates.sms.gsmHint" : "templates.sms.unicodeHint")}
    >
      {encoding === "GSM-7" ? "GSM-7" : t("templates.sms.unicode")}
    </span>
  );
}

/**
 * The SMS text: textarea, its highlighted mirror, and under it encoding, characters, SMS and units, with
 * one click to swap the characters that force UCS-2 and another to clean invisible ones. `figures` are
 * the counts to show (a recipient's rendered text in the composer); the body's own otherwise.
 */
export function SmsBodyField({
  id,
  label,
  value,
  onChange,
  disabled,
  textareaRef,
  onFocus,
  figures,
  figuresFor,
  withLink = false,
  hint,
  testId = "sms-body",
  onFixValues,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  textareaRef?: Ref<HTMLTextAreaElement>;
  onFocus?: () => void;
  figures?: SmsFigures;
  figuresFor?: string;
  /** The attachments' link ends the SMS: `figures` (the preview's) already count it. */
  withLink?: boolean;
  hint?: string;
  testId?: string;
  /** Swaps the replaceable characters in the variable values the user typed (the composer's). */
  onFixValues?: () => void;
}) {
  const { t, number } = useI18n();
  const own = count(value);
  const shown = figures ?? own;
  const units = shown.segments;
  const replaceable = replaceableCharacters(value);
  const unreplaceable = own.unicodeCharacters.filter(
    (char) => !replaceable.includes(char) && !findInvisible(char).length,
  );
  const hidden = findInvisible(value);
  // Characters that force Unicode for this recipient without being in the text: a variable's value
  // brings them (a first name « Benoît », a typed « Rhône »). Said even once the text itself is fixed.
  const fromValues = figures
    ? figures.unicodeCharacters.filter((char) => !own.unicodeCharacters.includes(char))
    : [];

  return (
    <div className="field sms-field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={textareaRef}
        className="sms-textarea"
        rows={5}
        maxLength={1600}
        value={value}
        disabled={disabled}
        spellCheck
        onFocus={onFocus}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={`${id}-counter`}
        data-testid={testId}
      />
      {hint && <p className="field-hint">{hint}</p>}
      <HighlightedBody body={value} testId={`${testId}-highlight`} />
      <div className="sms-meter" id={`${id}-counter`} data-testid="sms-meter" aria-live="polite">
        <EncodingBadge encoding={shown.encoding} testId="sms-encoding" />
        <span data-testid="sms-characters">
          {t("templates.sms.characters", { count: number(shown.characters) })}
        </span>
        <span aria-hidden="true">·</span>
        <span>{t("templates.sms.segments", { count: number(shown.segments) })}</span>
        {shown.segments > 0 && (
          <>
            <span aria-hidden="true">·</span>
            <span className="text-subtle">
              {t("templates.sms.remaining", { count: number(shown.remaining) })}
            </span>
          </>
        )}
        <span className="sms-units" data-testid="sms-units" data-units={units}>
          {t(units === 1 ? "templates.sms.unit" : "templates.sms.units", { count: number(units) })}
          {withLink && figures && shown.segments > 0 && (
            <span className="text-subtle"> {t("templates.sms.linkUnit")}</span>
          )}
        </span>
      </div>
      {figuresFor && <p className="field-hint">{t("templates.sms.figuresFor", { name: figuresFor })}</p>}
      {replaceable.length > 0 && (
        <div className="sms-fix sms-fix-unicode" data-testid="sms-unicode-warning">
          <Icon name="warning" size={14} />
          <p>
            {t("templates.sms.unicodeWarning")}{" "}
            {replaceable.map((char) => (
              <mark key={char} className="char-unicode">
                {char}
              </mark>
            ))}
          </p>
          <button
            type="button"
            className="button button-small"
            disabled={disabled}
            onClick={() => onChange(toGsm(value))}
            data-testid="sms-replace"
          >
            {t("templates.sms.replace")}
          </button>
        </div>
      )}
      {figures?.encoding === "UCS-2" && fromValues.length > 0 && (
        <div className="sms-fix sms-fix-unicode" data-testid="sms-unicode-values">
          <Icon name="info" size={14} />
          <p>
            {t("templates.sms.unicodeFromValues", { name: figuresFor ?? "" })}{" "}
            {fromValues.map((char) => (
              <mark key={char} className="char-unicode">
                {char}
              </mark>
            ))}
          </p>
          {onFixValues && (
            <button
              type="button"
              className="button button-small"
              disabled={disabled}
              onClick={onFixValues}
              data-testid="sms-replace-values"
            >
              {t("templates.sms.replaceValues")}
            </button>
          )}
        </div>
      )}
      {unreplaceable.length > 0 && (
        <div className="sms-fix sms-fix-unicode" data-testid="sms-unicode-kept">
          <Icon name="info" size={14} />
          <p>
            {t("templates.sms.unicodeKept")}{" "}
            {unreplaceable.map((char) => (
              <mark key={char} className="char-unicode">
                {char}
              </mark>
            ))}
          </p>
        </div>
      )}
      {hidden.length > 0 && (
        <div className="sms-fix sms-fix-invisible" data-testid="sms-invisible-warning">
          <Icon name="warning" size={14} />
          <p>{t("templates.sms.invisibleWarning", { count: number(hidden.length) })}</p>
          <button
            type="button"
            className="button button-small"
            disabled={disabled}
            onClick={() => onChange(removeInvisible(value))}
            data-testid="sms-clean"
          >
            {t("templates.sms.clean")}
          </button>
        </div>
      )}
    </div>
  );
}
