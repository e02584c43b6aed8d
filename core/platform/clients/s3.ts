import { S3Client } from "@aws-sdk/client-s3";
import { lazy, region } from "../lazy";

/**
 * Checksums only where S3 requires them (DeleteObjects): a streamed body then goes with its length as it
 * is, rather than aws-chunked with a trailing checksum, which S3-compatible stores (s3rver locally) would
 * store as it came. TLS already protects the bytes in transit.
 */
export const s3 = lazy(() => new S3Client({ region: region(), requestChecksumCalculation: "WHEN_REQUIRED" }));
