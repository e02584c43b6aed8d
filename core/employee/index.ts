export * as Employee from "./employee";
export * as Push from "./push";
