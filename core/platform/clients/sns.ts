import { SNSClient } from "@aws-sdk/client-sns";
import { lazy, region } from "../lazy";

export const sns = lazy(() => new SNSClient({ region: region() }));
