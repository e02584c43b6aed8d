export * as OperatorAudit from "./audit";
export * as OperatorCompanies from "./companies";
export * as Operator from "./operator";
export * as OperatorSession from "./session";
export * as Totp from "./totp";
