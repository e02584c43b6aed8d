import { useCompanyId } from "../actor";
import { type Person, scrub } from "../event";
import { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhook.entity";

/**
 * GDPR erasure: deliveries (kept 30 days with the exact body sent) of events about the person's messages,
 * or quoting them, keep their id and type but lose those values, as the outbox does (core/event.ts).
 * A retry or « Renvoyer » then sends the scrubbed body, signed afresh. Deliveries are found through the
 * company's endpoints: a deleted endpoint's deliveries go with it (webhook.ts `remove`).
 */
export async function forgetPerson(person: Person) {
  const companyId = useCompanyId();
  const { data: endpoints } = await WebhookEndpointEntity.query.byCompany({ companyId }).go({ pages: "all" });
  let erased = 0;
  for (const { endpointId } of endpoints) {
    const { data } = await WebhookDeliveryEntity.query
      .byEndpoint({ companyId, endpointId })
      .go({ pages: "all" });
    const rows = data.flatMap((row) => {
      const body = parse(row.body);
      const data = body && scrub(body.data, person);
      return body && data ? [{ ...row, body: JSON.stringify({ ...body, data }) }] : [];
    });
    if (rows.length > 0) await WebhookDeliveryEntity.put(rows).go();
    erased += rows.length;
  }
  return erased;
}

function parse(body: string) {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
