import * as Mailer from "../platform/mailer";
import * as Sms from "../platform/sms";
import { escapeHtml } from "../text";

/** Account messages (invitations, password resets): short, bilingual-ready, one link each. */
export type Notice = { subject: string; paragraphs: string[]; link: { label: string; url: string } };

export async function email(to: string, notice: Notice) {
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937;max-width:560px">
${notice.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join("\n")}
<p><a href="${escapeHtml(notice.link.url)}" style="display:inline-block;background:#3b4fd8;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(notice.link.label)}</a></p>
<p style="color:#6b7280;font-size:13px">${escapeHtml(notice.link.url)}</p>
</body></html>`;
  const text = `${notice.paragraphs.join("\n\n")}\n\n${notice.link.label}: ${notice.link.url}\n`;
  return Mailer.send({ to: [to], subject: notice.subject, html, text, tags: { kind: "account" } });
}

export async function sms(to: string, text: string) {
  return Sms.send({ to, body: text, messageType: "TRANSACTIONAL", context: { kind: "account" } });
}
