import { S3Client } from "@aws-sdk/client-s3";
import { lazy, region } from "../lazy";

export const s3 = lazy(() => new S3Client({ region: region() }));
