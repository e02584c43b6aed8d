/**
 * Every client, for tests and scripts. Code that ships imports its one client from ./clients/<service>
 * (each port does): a Lambda bundle then carries only the SDK clients it calls.
 */
export { documents, dynamo } from "./clients/dynamo";
export { s3 } from "./clients/s3";
export { scheduler } from "./clients/scheduler";
export { ses } from "./clients/ses";
export { smsVoice } from "./clients/sms-voice";
export { sns } from "./clients/sns";
export { sqs } from "./clients/sqs";
