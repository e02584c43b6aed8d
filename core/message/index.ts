export * as SmsSegments from "./sms-segments";
export * as Variables from "./variables";
