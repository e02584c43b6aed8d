export * as Report from "./report";
