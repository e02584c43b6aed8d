import { existsSync } from "node:fs";
import { Duration, Fn, RemovalPolicy } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import { type StackContext, StaticSite, type StaticSiteProps, use } from "sst/constructs";
import { contentSecurityPolicy, extraHeaders } from "../core/web-headers";
import { Api } from "./Api";
import { Storage } from "./Storage";
import { type Settings, settings } from "./settings";

export type ConsoleSource = Pick<StaticSiteProps, "path" | "buildCommand" | "buildOutput"> & {
  kind: "build" | "prebuilt";
};

/**
 * Where the console comes from: built from web/ (always a production build, whatever NODE_ENV the synth
 * runs under), or the prebuilt web/dist when the build is skipped (RELAIS_WEB_BUILD=skip, as in tests).
 */
export function consoleSource(config: Pick<Settings, "buildWeb">): ConsoleSource {
  if (config.buildWeb && existsSync("web/vite.config.ts")) {
    // npm finds the root package.json from web/ and runs `vite build --config web/vite.config.ts`.
    return { kind: "build", path: "web", buildCommand: "npm run build:web", buildOutput: "dist" };
  }
  if (existsSync("web/dist/index.html")) return { kind: "prebuilt", path: "web", buildOutput: "dist" };
  throw new Error("RELAIS_WEB_BUILD=skip needs a built console in web/dist: run npm run build:web first");
}

/** A single-page app: any path without a file extension is the app's index.html. */
const spaRewrite = `function handler(event) {
  var request = event.request;
  var last = request.uri.split("/").pop();
  if (last.indexOf(".") === -1) request.uri = "/index.html";
  return request;
}`;

export function Web({ stack, app }: StackContext) {
  const { accessLogs, attachments } = use(Storage);
  const { api, originSecret } = use(Api);
  const config = settings(app.stage);
  const { kind, ...source } = consoleSource(config);
  if (kind !== "build") console.warn(`[${app.stage}] Console: shipping ${kind} files from ${source.path}`);

  // Built output only: always reproducible from git, so it goes with the stack.
  const bucket = new Bucket(stack, "SiteBucket", {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: "site/",
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });

  // `https://abc.execute-api.eu-west-3.amazonaws.com` → its host name, the CloudFront origin.
  const apiHost = Fn.select(2, Fn.split("/", api.url));
  const apiOrigin = new HttpOrigin(apiHost, {
    protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    // The API refuses requests without it (functions/api/app.ts): its execute-api URL is not a way round.
    customHeaders: { "x-relais-origin": originSecret.secretValue.unsafeUnwrap() },
  });

  const domain = config.domain;
  const customDomain: StaticSiteProps["customDomain"] = !domain
    ? undefined
    : config.certificateArn
      ? {
          domainName: domain,
          isExternalDomain: true,
          cdk: { certificate: Certificate.fromCertificateArn(stack, "Certificate", config.certificateArn) },
        }
      : { domainName: domain, hostedZone: config.hostedZone ?? domain };

  // The same policy the local server applies (core/web-headers.ts), so the console is tested under it.
  const headers = new ResponseHeadersPolicy(stack, "ConsoleHeaders", {
    comment: `relais ${app.stage}: CSP and security headers`,
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: contentSecurityPolicy(`https://${attachments.bucketRegionalDomainName}`),
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
      xssProtection: { protection: false, override: true },
    },
    customHeadersBehavior: {
      customHeaders: Object.entries(extraHeaders).map(([header, value]) => ({
        header,
        value,
        override: true,
      })),
    },
  });

  const site = new StaticSite(stack, "Console", {
    ...source,
    customDomain,
    // Vite's env types would otherwise be written into web/src; nothing is injected into the console.
    vite: { types: "../.sst/web-env.d.ts" },
    cdk: {
      bucket,
      distribution: {
        comment: `relais ${app.stage} console and API`,
        httpVersion: HttpVersion.HTTP2_AND_3,
        priceClass: PriceClass.PRICE_CLASS_100,
        // SST's 403/404 → index.html would also replace API error bodies; the function below does it.
        errorResponses: [],
        enableLogging: true,
        logBucket: accessLogs,
        logFilePrefix: "cloudfront/",
        ...(domain ? { minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
        defaultBehavior: {
          origin: S3BucketOrigin.withOriginAccessControl(bucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          responseHeadersPolicy: headers,
          functionAssociations: [
            {
              function: new CloudFrontFunction(stack, "SpaRewrite", {
                code: FunctionCode.fromInline(spaRewrite),
              }),
              eventType: FunctionEventType.VIEWER_REQUEST,
            },
          ],
        },
        // Same origin for console and API: no CORS, and the session cookie stays first-party.
        // Signed links (/l/{token}) are answered by the API too: a session cookie, then a redirect.
        additionalBehaviors: Object.fromEntries(
          ["/api/*", "/l/*"].map((pattern) => [
            pattern,
            {
              origin: apiOrigin,
              viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
              allowedMethods: AllowedMethods.ALLOW_ALL,
              cachePolicy: CachePolicy.CACHING_DISABLED,
              originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
              responseHeadersPolicy: headers,
            },
          ]),
        ),
      },
    },
  });

  // SST's own viewer-request function (appends ".html") is replaced by spaRewrite; drop the unused copy.
  site.node.tryRemoveChild("CloudFrontFunction");

  const distribution = site.cdk?.distribution;
  if (distribution) {
    NagSuppressions.addResourceSuppressions(distribution, [
      {
        id: "AwsSolutions-CFR1",
        reason:
          "Agency staff travel and use the console abroad; access is controlled by login, not geography.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason: "No WAF for now: API Gateway throttling bounds abuse; revisit if the console is attacked.",
      },
      ...(domain
        ? []
        : [
            {
              id: "AwsSolutions-CFR4",
              reason:
                "Without RELAIS_DOMAIN the default *.cloudfront.net certificate is used, whose TLS policy " +
                "cannot be chosen; TLSv1.2_2021 is set whenever a domain is configured.",
            },
          ]),
    ]);
  }

  stack.addOutputs({ SiteUrl: site.customDomainUrl ?? site.url ?? "" });
  return { site };
}
