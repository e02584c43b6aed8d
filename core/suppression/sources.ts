/**
 * Opt-outs the person gave themself (STOP by SMS or email, an unsubscribe, an SES complaint): nobody at the
 * agency may lift them, the person opts in again. Pure, so the console disables the same switches.
 */
const personSources: ReadonlySet<string> = new Set(["STOP", "COMPLAINT", "UNSUBSCRIBE"]);

/** An opt-out of unknown source counts as the person's: lifting it must be proven safe, not assumed. */
export function fromThePerson(source: string | undefined): boolean {
  const value = source?.trim().toUpperCase();
  return !value || personSources.has(value);
}
