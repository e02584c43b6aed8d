import { SESv2Client } from "@aws-sdk/client-sesv2";
import { lazy, region } from "../lazy";

export const ses = lazy(() => new SESv2Client({ region: region() }));
