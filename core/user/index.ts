export * as Password from "./password";
export * as PasswordPolicy from "./password-policy";
export * as User from "./user";
