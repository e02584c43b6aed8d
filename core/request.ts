import { AsyncLocalStorage } from "node:async_hooks";

/** Where the current request comes from, for the audit log and rate limits. */
export type RequestContext = { ip?: string; requestId?: string; userAgent?: string };

const storage = new AsyncLocalStorage<RequestContext>();

export const withRequest = <T>(context: RequestContext, run: () => T): T => storage.run(context, run);
export const useRequest = (): RequestContext => storage.getStore() ?? {};
