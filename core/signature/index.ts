export * as Certificate from "./certificate";
export { hasCertificate, sealPdf } from "./seal";
