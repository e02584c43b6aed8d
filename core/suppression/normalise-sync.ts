import * as Phone from "../phone/phone";
import { withoutParser } from "./address";
import type { Channel } from "./suppression";

/**
 * `Suppression.normalise`, synchronous, for callers that load the phone parser anyway (the send path,
 * whose pricing reads numbers with it): E.164 for numbers (French first), lower case for emails.
 */
export function normaliseSync(channel: Channel, address: string): string | undefined {
  const done = withoutParser(channel, address);
  return typeof done === "object" ? Phone.parse(done.number)?.e164 : done;
}
