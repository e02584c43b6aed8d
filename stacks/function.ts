import { RemovalPolicy } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { type NagPackSuppression, NagSuppressions } from "cdk-nag";
import { type FunctionProps, Function as SstFunction, type Stack } from "sst/constructs";
import type { Env } from "../core/config";
import { wildcardJustifications } from "./grants";

/** Only names core/config.ts reads; the compiler rejects a misspelt or unknown setting. */
export type Environment = Partial<Record<keyof Env, string>>;

/**
 * Props every function shares (set once in sst.config.ts). Source maps stay next to the bundle and
 * Node reads them, so stack traces point at TypeScript without SST's source-map upload step.
 */
export const defaultFunctionProps: FunctionProps = {
  runtime: "nodejs22.x",
  architecture: "arm_64",
  memorySize: 1024,
  timeout: 30,
  tracing: "disabled",
  // Splitting: what a handler imports lazily (a job kind, a subscriber, an export) is its own chunk, loaded
  // by the first invocation that needs it, not at every cold start.
  nodejs: { format: "esm", sourcemap: true, minify: true, splitting: true },
  environment: { NODE_OPTIONS: "--enable-source-maps" },
};

export type HandlerProps = {
  handler: string;
  description: string;
  environment: Environment;
  permissions: PolicyStatement[];
  timeout?: number;
  memorySize?: number;
  /** cdk-nag findings this function's own grants justify (see grants.ts). */
  suppressions?: NagPackSuppression[];
};

/**
 * A function with its own log group and its own role: the role may write to that log group and do
 * what `permissions` lists, nothing else (no AWSLambdaBasicExecutionRole, whose logs rights are "*").
 */
export function handlerFunction(stack: Stack, id: string, props: HandlerProps) {
  const prod = stack.stage === "prod";
  const logGroup = new LogGroup(stack, `${id}Logs`, {
    retention: prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const role = new Role(stack, `${id}Role`, {
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    description: `${props.description} (${stack.stage})`,
  });
  // The log group's ARN ends in `:*`, which covers its log streams.
  role.addToPolicy(
    new PolicyStatement({
      sid: "Logs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [logGroup.logGroupArn],
    }),
  );
  // SST merges these over the app defaults key by key: an explicit `undefined` would erase a default.
  const fn = new SstFunction(stack, id, {
    handler: props.handler,
    description: props.description,
    environment: {
      STAGE: stack.stage,
      // Read by Powertools: business metrics land in Relais/<stage> (core/platform/metrics.ts).
      POWERTOOLS_SERVICE_NAME: "relais",
      POWERTOOLS_METRICS_NAMESPACE: `Relais/${stack.stage}`,
      ...props.environment,
    },
    permissions: props.permissions,
    role,
    logGroup,
    ...(props.timeout === undefined ? {} : { timeout: props.timeout }),
    ...(props.memorySize === undefined ? {} : { memorySize: props.memorySize }),
  });
  NagSuppressions.addResourceSuppressions(fn, [
    {
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is the project's pinned runtime (.nvmrc, local cloud, CI); moving to 24 is a toolchain upgrade.",
    },
  ]);
  NagSuppressions.addResourceSuppressions(
    role,
    [...wildcardJustifications, ...(props.suppressions ?? [])],
    true,
  );
  return fn;
}
