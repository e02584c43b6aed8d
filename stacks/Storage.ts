import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, StreamViewType, Table } from "aws-cdk-lib/aws-dynamodb";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  HttpMethods,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { NagSuppressions } from "cdk-nag";
import type { StackContext } from "sst/constructs";
import { TableDefinition } from "../core/table";
import { placeholderUrl, settings } from "./settings";

const key = (name: string) => ({ name, type: AttributeType.STRING });

export function Storage({ stack, app }: StackContext) {
  const prod = app.stage === "prod";
  const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  const { publicUrl } = settings(app.stage);

  // Same key schema as the local cloud (core/table.ts), so both behave alike.
  const table = new Table(stack, "Table", {
    partitionKey: key(TableDefinition.partitionKey),
    sortKey: key(TableDefinition.sortKey),
    billingMode: BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: TableDefinition.timeToLiveAttribute,
    // Domain events leave through the stream (outbox items, stacks/Events.ts).
    stream: StreamViewType.NEW_IMAGE,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: prod,
    removalPolicy,
  });
  for (const index of TableDefinition.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: key(index.partitionKey),
      sortKey: key(index.sortKey),
    });
  }

  // S3 server access logs of the two data buckets and of the console bucket (Web stack).
  const accessLogs = new Bucket(stack, "AccessLogs", {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    // CloudFront standard logs are written with an ACL; S3 server access logs use the bucket policy.
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ id: "expire-logs", expiration: Duration.days(prod ? 365 : 30) }],
    removalPolicy,
  });
  NagSuppressions.addResourceSuppressions(accessLogs, [
    { id: "AwsSolutions-S1", reason: "This is the access-log bucket; logging it into itself would loop." },
  ]);

  // Browsers upload with presigned POST/PUT straight from the console. Until the console's origin is
  // known (no domain and no RELAIS_PUBLIC_URL yet) only CloudFront origins are accepted; the presigned
  // policy, not CORS, is what authorises an upload.
  const origins = publicUrl ? [publicUrl] : ["https://*.cloudfront.net"];
  const uploadCors = [
    {
      allowedMethods: [HttpMethods.POST, HttpMethods.PUT],
      allowedOrigins: origins,
      allowedHeaders: ["*"],
      exposedHeaders: ["ETag"],
      maxAge: 3000,
    },
  ];
  const expireUploads = [
    { id: "expire-tmp-uploads", prefix: "tmp/", expiration: Duration.days(1) },
    { id: "abort-multipart", abortIncompleteMultipartUploadAfter: Duration.days(1) },
  ];
  const dataBucket = (prefix: string): BucketProps => ({
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    cors: uploadCors,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: `${prefix}/`,
    removalPolicy,
    autoDeleteObjects: !prod,
  });

  const attachments = new Bucket(stack, "Attachments", {
    ...dataBucket("attachments"),
    lifecycleRules: expireUploads,
  });
  const vault = new Bucket(stack, "Vault", {
    ...dataBucket("vault"),
    versioned: true,
    // An overwritten or deleted partner document stays recoverable for 90 days.
    lifecycleRules: [
      ...expireUploads,
      { id: "expire-old-versions", noncurrentVersionExpiration: Duration.days(90) },
    ],
  });

  stack.addOutputs({
    TableName: table.tableName,
    AttachmentsBucket: attachments.bucketName,
    VaultBucket: vault.bucketName,
    UploadOrigin: origins.join(" "),
  });
  if (!publicUrl) {
    console.warn(
      `[${app.stage}] No RELAIS_DOMAIN or RELAIS_PUBLIC_URL: links use ${placeholderUrl(app.stage)} ` +
        "and uploads accept any CloudFront origin until the SiteUrl is set and the stage redeployed.",
    );
  }

  // Companies' signature certificates and webhook signing secrets are encrypted with keys derived from it
  // (core/signature/envelope.ts).
  const signatureSecret = new Secret(stack, "SignatureSecret", {
    description: "Key material encrypting companies' signature certificates in the table",
    generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  NagSuppressions.addResourceSuppressions(signatureSecret, [
    {
      id: "AwsSolutions-SMG4",
      reason:
        "Rotating it would make every stored certificate and webhook secret unreadable: a rotation re-encrypts them, a deliberate operation.",
    },
  ]);

  // Web Push (VAPID) keys of the employees' space: a P-256 pair Secrets Manager cannot generate, so the
  // secret starts empty (push off, employees told by SMS or email) until the pair is put in (README).
  const vapidSecret = new Secret(stack, "VapidKeys", {
    description: "Web Push VAPID key pair (publicKey, privateKey) of the employees' space",
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ publicKey: "", privateKey: "" }),
      generateStringKey: "unused",
    },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  NagSuppressions.addResourceSuppressions(vapidSecret, [
    {
      id: "AwsSolutions-SMG4",
      reason: "Browsers subscribed with the public key: a new pair means every employee subscribes again.",
    },
  ]);

  return { table, attachments, vault, accessLogs, signatureSecret, vapidSecret };
}
