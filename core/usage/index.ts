export * as Usage from "./usage";
