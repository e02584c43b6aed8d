export * as Partner from "./partner";
