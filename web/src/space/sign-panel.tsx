import { type FormEvent, type PointerEvent, useId, useRef, useState } from "react";
import { ApiError } from "../api";
import { useI18n } from "../i18n/i18n";
import { type SpaceDocument, space } from "./client";

/** A drawn signature as a PNG, base64: refused above this (the API accepts 60 KB). */
const maxDrawingChars = 80_000;

/** What is checked before sending, in this order, and what each says when it fails. */
const checks = ["code", "consent", "name", "drawing"] as const;
type Check = (typeof checks)[number];
const checkMessages = {
  code: "space.signin.codeFormat",
  consent: "space.sign.consentMissing",
  name: "space.sign.nameMissing",
  drawing: "space.sign.drawingMissing",
} as const;

/**
 * Signing one document: read it, get a one-time code (SMS or email, as the partner signs in), type it,
 * tick the consent, type the name or draw, sign. The server makes and seals the signed PDF.
 */
export function SignPanel({
  document,
  onRead,
  onSigned,
  onSignedOut,
}: {
  document: SpaceDocument;
  onRead: () => void;
  onSigned: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [consent, setConsent] = useState(false);
  const [method, setMethod] = useState<"typed" | "drawn">("typed");
  const [typedName, setTypedName] = useState("");
  const [drawn, setDrawn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  // The check that stopped the last submit: its message goes as soon as that field is put right.
  const [stopped, setStopped] = useState<Check | null>(null);
  const say = (text: string | null) => {
    setStopped(null);
    setMessage(text);
  };
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);

  const failed = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401 && error.code === "auth.required") onSignedOut();
    else if (error instanceof ApiError && error.status === 429) say(t("space.error.tooMany"));
    else if (error instanceof ApiError && error.code === "signature.expired") say(t("space.sign.expired"));
    else say(t("space.error.other"));
  };

  const askCode = async () => {
    setBusy(true);
    say(null);
    try {
      const sent = await space.requestSignCode(document.documentId);
      setSentTo(t(sent.channel === "sms" ? "space.sign.sentSms" : "space.sign.sentEmail", { to: sent.to }));
      setCode("");
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const scale = event.currentTarget.width / box.width;
    return { x: (event.clientX - box.left) * scale, y: (event.clientY - box.top) * scale };
  };
  const startDraw = (event: PointerEvent<HTMLCanvasElement>) => {
    const context = event.currentTarget.getContext("2d");
    if (!context) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = true;
    const { x, y } = point(event);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.strokeStyle = "#1f2937";
    context.beginPath();
    context.moveTo(x, y);
  };
  const moveDraw = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const context = event.currentTarget.getContext("2d");
    const { x, y } = point(event);
    context?.lineTo(x, y);
    context?.stroke();
    setDrawn(true);
  };
  const clear = () => {
    const target = canvas.current;
    target?.getContext("2d")?.clearRect(0, 0, target.width, target.height);
    setDrawn(false);
  };

  const failing: Record<Check, boolean> = {
    code: !/^\d{6}$/.test(code),
    consent: !consent,
    name: method === "typed" && typedName.trim().length < 2,
    drawing: method === "drawn" && !drawn,
  };
  const shown = stopped ? (failing[stopped] ? t(checkMessages[stopped]) : null) : message;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const first = checks.find((check) => failing[check]);
    setStopped(first ?? null);
    if (first) return;
    const png = method === "drawn" ? (canvas.current?.toDataURL("image/png").split(",")[1] ?? "") : undefined;
    if (png && png.length > maxDrawingChars) return say(t("space.sign.drawingTooLarge"));
    setBusy(true);
    say(null);
    try {
      const answer = await space.sign(document.documentId, {
        code,
        consent: true,
        ...(method === "typed" ? { typedName: typedName.trim() } : { drawing: png }),
      });
      if (answer.kind === "signed") return onSigned();
      say(
        answer.code === "signature.code_wrong" && answer.triesLeft > 0
          ? t("space.signin.wrong", { count: answer.triesLeft })
          : t("space.signin.expired"),
      );
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="space-sign space-form" onSubmit={submit} noValidate data-testid="space-sign-panel">
      <ol className="space-steps">
        <li>
          {t("space.sign.read")}{" "}
          <button type="button" className="space-link" onClick={onRead} data-testid="space-sign-read">
            {t("space.sign.open")}
          </button>
        </li>
        <li>
          {sentTo ? <span data-testid="space-sign-sent">{sentTo}</span> : t("space.sign.codeIntro")}{" "}
          <button
            type="button"
            className="space-link"
            disabled={busy}
            onClick={() => void askCode()}
            data-testid="space-sign-code-request"
          >
            {sentTo ? t("space.signin.resend") : t("space.sign.getCode")}
          </button>
        </li>
      </ol>
      <label htmlFor={`${id}-code`}>{t("space.signin.code")}</label>
      <input
        id={`${id}-code`}
        className="space-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(event) => setCode(event.target.value.replace(/\D/g, "").slice(0, 6))}
        data-testid="space-sign-code"
      />
      <fieldset className="space-methods">
        <legend>{t("space.sign.how")}</legend>
        <label>
          <input
            type="radio"
            name={`${id}-method`}
            checked={method === "typed"}
            onChange={() => setMethod("typed")}
          />
          {t("space.sign.typed")}
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-method`}
            checked={method === "drawn"}
            onChange={() => setMethod("drawn")}
            data-testid="space-sign-method-drawn"
          />
          {t("space.sign.drawn")}
        </label>
      </fieldset>
      {method === "typed" ? (
        <>
          <label htmlFor={`${id}-name`}>{t("space.sign.name")}</label>
          <input
            id={`${id}-name`}
            autoComplete="name"
            maxLength={100}
            value={typedName}
            onChange={(event) => setTypedName(event.target.value)}
            data-testid="space-sign-name"
          />
        </>
      ) : (
        <div className="space-drawing">
          <canvas
            ref={canvas}
            width={600}
            height={200}
            aria-label={t("space.sign.drawn")}
            onPointerDown={startDraw}
            onPointerMove={moveDraw}
            onPointerUp={() => {
              drawing.current = false;
            }}
            data-testid="space-sign-canvas"
          />
          <button type="button" className="space-link" onClick={clear}>
            {t("space.sign.clear")}
          </button>
        </div>
      )}
      <label className="space-consent">
        <input
          type="checkbox"
          checked={consent}
          onChange={(event) => setConsent(event.target.checked)}
          data-testid="space-sign-consent"
        />
        <span>{t("space.sign.consent")}</span>
      </label>
      {shown && (
        <p className="space-error" role="alert" data-testid="space-sign-message">
          {shown}
        </p>
      )}
      <button type="submit" className="space-button" disabled={busy} data-testid="space-sign-submit">
        {t("space.sign.submit")}
      </button>
    </form>
  );
}
