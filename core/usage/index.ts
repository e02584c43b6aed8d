export * as UsageExport from "./export";
export * as Usage from "./usage";
