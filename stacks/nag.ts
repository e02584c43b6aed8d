import { Stack } from "aws-cdk-lib";
import { NagSuppressions } from "cdk-nag";
import type { App } from "sst/constructs";

/**
 * cdk-nag findings on plumbing SST adds to every stack, which our stacks do not configure. Called after
 * `app.finish()`, when SST's deferred resources (site upload, invalidation) exist.
 */
export function suppressFrameworkFindings(app: App) {
  for (const stack of app.node.children) {
    if (!(stack instanceof Stack)) continue;
    // SST's per-stack custom-resource Lambda (site upload, CloudFront invalidation, SSM bindings).
    const handler = stack.node.tryFindChild("CustomResourceHandler");
    if (handler) {
      NagSuppressions.addResourceSuppressions(
        handler,
        [
          {
            id: "AwsSolutions-IAM4",
            reason: "SST's custom-resource handler; AWSLambdaBasicExecutionRole only lets it write its logs.",
            appliesTo: [
              "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            ],
          },
          { id: "AwsSolutions-L1", reason: "SST's custom-resource handler: its runtime is pinned by SST." },
        ],
        true,
      );
    }
    // SST's StaticSite upload: reads the zipped build from the CDK asset bucket, writes every file.
    for (const child of stack.node.findAll()) {
      if (!child.node.path.endsWith("/S3UploaderPolicy")) continue;
      NagSuppressions.addResourceSuppressions(child, [
        {
          id: "AwsSolutions-IAM5",
          reason: "SST's site uploader replaces every file of the console bucket from the CDK asset bucket.",
          appliesTo: [
            { regex: "/^Resource::<SiteBucket[0-9A-F]{8}\\.Arn>\\/\\*$/" },
            { regex: "/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-[^/]+\\/\\*$/" },
          ],
        },
      ]);
    }
  }
}
