export * as Usage from "./usage";
export * as UsageExport from "./export";
