/**
 * The emulator's own API, JSON over HTTP under /_emulator (used by tests, the local runner and the phone page):
 *   GET    /_emulator/health
 *   GET    /_emulator/messages?to=&from=&direction=outbound|inbound&limit=   newest first
 *   GET    /_emulator/messages/:messageId
 *   POST   /_emulator/reply        { from, to?, body, inReplyTo? }   → 202 { payload, message }
 *   GET    /_emulator/faults
 *   POST   /_emulator/faults       { operation, error, count?, reason?, message? }
 *   DELETE /_emulator/faults
 *   GET    /_emulator/opted-out
 *   POST   /_emulator/reset        { all? }   messages, opt-outs, faults; with all: every resource too
 *   GET    /_emulator/test-numbers
 */
import { Hono } from "hono";
import * as z from "zod";
import { FaultInput, type Faults } from "./faults";
import { ControlError, type InboundContext, ReplyInput, receiveReply } from "./inbound";
import { normalizeNumber } from "./phone-numbers";
import { emptyState, type Message } from "./state";
import { testNumbers } from "./test-numbers";

export type ControlContext = InboundContext & { faults: Faults };

const MessagesQuery = z.object({
  to: z.string().optional(),
  from: z.string().optional(),
  direction: z.enum(["outbound", "inbound"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const ResetInput = z.object({ all: z.boolean().default(false) });

export function controlRoutes(ctx: ControlContext): Hono {
  const { store, faults } = ctx;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof ControlError) return c.json({ error: error.message }, error.status);
    if (error instanceof z.ZodError)
      return c.json(
        { error: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") },
        400,
      );
    if (error instanceof SyntaxError) return c.json({ error: `Invalid JSON: ${error.message}` }, 400);
    console.error("[sms-emulator] control API failed:", error);
    return c.json({ error: "Internal error, see the emulator's log" }, 500);
  });

  app.get("/health", (c) => c.json({ ok: true }));

  app.get("/messages", (c) => {
    const query = MessagesQuery.parse(c.req.query());
    const to = query.to && normalizeNumber(query.to);
    const from = query.from && normalizeNumber(query.from);
    const messages: Message[] = store.data.messages
      .filter(
        (m) =>
          (!to || m.to === to) &&
          (!from || m.from === from) &&
          (!query.direction || m.direction === query.direction),
      )
      .toReversed()
      .slice(0, query.limit);
    return c.json({ messages });
  });

  app.get("/messages/:messageId", (c) => {
    const message = store.findMessage(c.req.param("messageId"));
    return message ? c.json(message) : c.json({ error: "No such message" }, 404);
  });

  app.post("/reply", async (c) => {
    const input = ReplyInput.parse(await c.req.json());
    const { message, payload } = await receiveReply(ctx, input);
    return c.json({ payload, message }, 202);
  });

  app.get("/faults", (c) => c.json({ faults: faults.list() }));
  app.post("/faults", async (c) => {
    faults.add(FaultInput.parse(await c.req.json()));
    return c.json({ faults: faults.list() }, 201);
  });
  app.delete("/faults", (c) => {
    faults.clear();
    return c.json({ faults: [] });
  });

  app.get("/opted-out", (c) => c.json({ optedOutNumbers: store.data.optedOutNumbers }));

  app.post("/reset", async (c) => {
    const text = await c.req.text();
    const { all } = ResetInput.parse(text ? JSON.parse(text) : {});
    faults.clear();
    store.data = all ? emptyState() : { ...store.data, messages: [], optedOutNumbers: [] };
    store.changed();
    return c.json({ reset: all ? "all" : "messages" });
  });

  app.get("/test-numbers", (c) => c.json({ testNumbers }));

  return app;
}
