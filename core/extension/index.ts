export * as ExtensionToken from "./token";
