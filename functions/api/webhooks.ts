import { createRoute, z } from "@hono/zod-openapi";
import { Webhook } from "../../core/webhook";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Webhooks"];
const secured = router();
secured.use("*", authenticated());

const Path = IdParam("endpointId");
const DeliveryPath = z.object({
  endpointId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "endpointId", in: "path" } }),
  eventId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "eventId", in: "path" } }),
});

/**
 * Outgoing webhooks (Admin): HTTPS endpoints subscribed to events, each signed with its secret (shown
 * once, at creation). Receivers: see README, « Webhooks ».
 */
export const webhooks = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "The company's webhook endpoints (Admin); never their secret",
      responses: { 200: json(z.object({ items: z.array(Webhook.EndpointInfo) }), "Endpoints"), ...errors },
    }),
    async (c) => c.json({ items: await Webhook.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Subscribe an HTTPS URL to events (Admin); `secret` (whsec_…) is returned this once",
      request: body(Webhook.NewEndpoint),
      responses: {
        201: json(z.object({ secret: z.string(), endpoint: Webhook.EndpointInfo }), "Created"),
        ...errors,
      },
    }),
    async (c) => {
      const created = await Webhook.create(c.req.valid("json"));
      return c.json(created, 201);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{endpointId}",
      tags,
      summary: "Change an endpoint's URL, events, or pause it (Admin)",
      request: { params: Path, ...body(Webhook.EndpointChanges) },
      responses: { 200: json(z.object({ endpoint: Webhook.EndpointInfo }), "Changed"), ...errors },
    }),
    async (c) => {
      const endpoint = await Webhook.update({
        endpointId: c.req.valid("param").endpointId,
        changes: c.req.valid("json"),
      });
      return c.json({ endpoint }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{endpointId}",
      tags,
      summary: "Delete an endpoint (Admin)",
      request: { params: Path },
      responses: { 204: { description: "Deleted" }, ...errors },
    }),
    async (c) => {
      await Webhook.remove(c.req.valid("param").endpointId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{endpointId}/deliveries",
      tags,
      summary: "The endpoint's latest deliveries: event, answer, attempts, duration, error (Admin)",
      request: { params: Path },
      responses: {
        200: json(z.object({ items: z.array(Webhook.DeliveryInfo) }), "Deliveries"),
        ...errors,
      },
    }),
    async (c) => c.json({ items: await Webhook.deliveries(c.req.valid("param").endpointId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{endpointId}/deliveries/{eventId}/redeliver",
      tags,
      summary: "« Renvoyer »: send this delivery again, once, now (Admin)",
      request: { params: DeliveryPath },
      responses: { 202: json(z.object({ delivery: Webhook.DeliveryInfo }), "Queued"), ...errors },
    }),
    async (c) => {
      const { endpointId, eventId } = c.req.valid("param");
      return c.json({ delivery: await Webhook.redeliver(endpointId, eventId) }, 202);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{endpointId}/ping",
      tags,
      summary: "« Envoyer un test »: a `ping` event to this endpoint (Admin)",
      request: { params: Path },
      responses: { 202: json(z.object({ delivery: Webhook.DeliveryInfo }), "Queued"), ...errors },
    }),
    async (c) => c.json({ delivery: await Webhook.ping(c.req.valid("param").endpointId) }, 202),
  );
