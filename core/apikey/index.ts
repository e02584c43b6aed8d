export * as ApiKey from "./apikey";
