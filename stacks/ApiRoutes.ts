import {
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  PayloadFormatVersion,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { NagSuppressions } from "cdk-nag";
import { type StackContext, use } from "sst/constructs";
// The route table is the Hono app itself, read at synth time. Importing it has no side effect to fear:
// core/config.ts reads nothing until a call, SDK clients are made on first use (an ElectroDB entity makes
// its document client, which sends nothing), and no module opens a socket or a timer at load (the stack
// tests import it the same way). The alternative, a route list kept beside the app, is the second source
// of truth this replaces.
import { routeKeys } from "../functions/api/index";
import { Api, apiAuthorizationReason } from "./Api";

/**
 * How many stacks hold the API's routes. Each route costs one resource (AWS::ApiGatewayV2::Route), and
 * each route stack one integration and one Lambda permission more, so a stack holds ~390 routes
 * before CloudFormation's 500-resource limit; stacks.test.ts fails well before (at 400 with the other
 * resources). Changing this number moves most routes: see `routeShards`.
 */
export const ROUTE_STACKS = 3;

/** FNV-1a, 32 bits: a stable number for a route key, the same on every machine and Node version. */
function fnv1a(text: string) {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Route keys spread over `count` stacks by a hash of the key, not in sorted chunks: adding or removing a
 * route never moves another one. A route that moved would be created in its new stack while still
 * present in its old one (sibling stacks deploy in any order), and API Gateway refuses two routes with
 * the same key.
 */
export function routeShards(keys: readonly string[], count = ROUTE_STACKS): string[][] {
  const shards = Array.from({ length: count }, () => [] as string[]);
  for (const key of [...new Set(keys)].sort()) shards[fnv1a(key) % count]?.push(key);
  return shards;
}

/** `METHOD /path` → the method and path API Gateway expects, refusing what it would not accept. */
export function parseRouteKey(key: string) {
  const [method, path, ...rest] = key.split(" ");
  if (!method || !path?.startsWith("/") || rest.length > 0 || !(method in HttpMethod))
    throw new Error(`Not an API Gateway route key: "${key}"`);
  return { method: HttpMethod[method as keyof typeof HttpMethod], path };
}

/**
 * The route stacks to add after Api (sst.config.ts): `ApiRoutes1`… each with its share of `keys`, by
 * default every route the Hono app serves. Routes stay explicit rather than `ANY /{proxy+}`, so unknown
 * paths are refused by API Gateway before they cost a Lambda call.
 */
export function apiRouteStacks(keys: readonly string[] = routeKeys()) {
  return routeShards(keys).map((routes, index) => ({
    id: `ApiRoutes${index + 1}`,
    stack: routeStack(routes),
  }));
}

function routeStack(routes: readonly string[]) {
  // An arrow per stack: SST tells stacks apart by their function; the id comes from apiRouteStacks.
  return ({ stack }: StackContext) => {
    const { api, apiFunction } = use(Api);
    // One integration and one permission for all the routes of this stack. CDK's default, a permission
    // per route, adds a statement per route to the function's policy, whose 20 KB limit ~60 routes reach.
    const integration = new HttpLambdaIntegration("HonoIntegration", apiFunction, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      scopePermissionToRoute: false,
    });
    for (const key of routes) {
      const { method, path } = parseRouteKey(key);
      new HttpRoute(stack, `Route ${key}`, {
        httpApi: api.cdk.httpApi,
        routeKey: HttpRouteKey.with(path, method),
        integration,
        // Explicit NONE, as SST writes it: a route once set to AWS_IAM keeps it if the property is dropped.
        authorizer: new HttpNoneAuthorizer(),
      });
    }
    NagSuppressions.addStackSuppressions(stack, [
      { id: "AwsSolutions-APIG4", reason: apiAuthorizationReason },
    ]);
    return { routes };
  };
}
