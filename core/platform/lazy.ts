import { config } from "../config";

/**
 * Each AWS client is made on first use and reused across invocations. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> variables, so this code is identical on AWS and against the emulators.
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export const region = () => config("AWS_REGION");
