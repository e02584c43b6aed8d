export * as Signing from "./signing";
export * as Space from "./space";
export * as DocumentTypes from "./types";
export * as Vault from "./vault";
