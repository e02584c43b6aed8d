export * as Password from "./password";
export * as User from "./user";
