import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { lazy, region } from "../lazy";

export const smsVoice = lazy(() => new PinpointSMSVoiceV2Client({ region: region() }));
