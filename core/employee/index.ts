export * as Employee from "./employee";
