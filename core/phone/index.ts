export * as Phone from "./phone";
