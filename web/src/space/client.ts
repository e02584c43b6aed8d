import type { InferResponseType } from "hono/client";
import { spaceApi, unwrap } from "../api";

/** The partner space's calls, through its own typed client (`spaceApi` in api.ts). */
const espace = spaceApi.api.espace;

export type Dashboard = InferResponseType<typeof espace.$get, 200>;
export type SpaceDocument = Dashboard["documents"][number];
export type Typology = SpaceDocument["typology"];

/** A wrong or expired code: the API says how many tries are left. */
export type CodeRefusal = { code: string; triesLeft: number };

export const space = {
  requestCode: (address: string) => unwrap(espace.auth.code.$post({ json: { address } })),
  /** `null` when signed in, otherwise why the code was refused; other failures throw. */
  verify: async (address: string, code: string): Promise<CodeRefusal | null> => {
    const response = await espace.auth.verify.$post({ json: { address, code } });
    if (response.ok) return null;
    // 401 carries `triesLeft`, which the route's typed errors do not list
    const raw = response as unknown as Response;
    if (raw.status === 401) {
      const body = (await raw.json().catch(() => ({}))) as {
        error?: { code?: string; triesLeft?: number };
      };
      return { code: body.error?.code ?? "space.code_wrong", triesLeft: body.error?.triesLeft ?? 0 };
    }
    return unwrap(Promise.resolve(response)).then(() => null);
  },
  logout: () => unwrap(espace.auth.logout.$post()),
  dashboard: () => unwrap(espace.$get()),
  open: (documentId: string) => unwrap(espace.documents[":documentId"].open.$post({ param: { documentId } })),
  /** Answered by a redirect to a one-minute link: the browser follows it and downloads. */
  fileUrl: (documentId: string) => espace.documents[":documentId"].file.$path({ param: { documentId } }),
};
