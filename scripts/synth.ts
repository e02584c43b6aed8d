/**
 * Offline `sst build`: the same cloud assembly SST would produce, without AWS credentials or network.
 *
 * `sst build` (node_modules/sst/stacks/synth.js) needs credentials for two things only: the account id
 * (STS GetCallerIdentity) and, in App.finish(), the bootstrap stack lookup used to upload source maps.
 * Here the project is registered with `setProject` (what `initProject` does after reading
 * sst.config.ts), the account is fixed, and App.finish() runs in SST's test mode (NODE_ENV=test), which
 * skips only that bootstrap lookup. Functions have in-bundle source maps (stacks/function.ts), so there
 * is no source-map upload to skip. Everything else is SST's own code path: the same App, stacks, esbuild
 * bundling of every function into .sst/artifacts and StaticSite packaging. cdk-nag runs as an aspect.
 *
 *   npx tsx scripts/synth.ts [--stage dev] [--out cdk.out]
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Aspects } from "aws-cdk-lib";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { App } from "sst/constructs/App.js";
import { setProject } from "sst/project.js";
import sstConfig from "../sst.config";
import { suppressFrameworkFindings } from "../stacks/nag";

export type SynthOptions = {
  stage?: string;
  /** Cloud assembly directory, relative to the project root. */
  outdir?: string;
  /** SST's work directory (function bundles, site archives, debug.log). */
  workdir?: string;
  account?: string;
  /** Stack ids to build (e.g. ["Storage"]); the others are synthesised without building code. */
  only?: string[];
  /** Extra environment for the duration of the synth, e.g. deploy settings (stacks/settings.ts). */
  env?: Record<string, string>;
  /** Throw when cdk-nag reports an unsuppressed error (default true). */
  failOnNagErrors?: boolean;
};

export type NagFinding = { level: "error" | "warning"; stack: string; path: string; message: string };

export type SynthesizedStack = {
  /** SST id, e.g. "Storage". */
  id: string;
  stackName: string;
  templateFile: string;
  template: Template;
};

export type Template = {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
};

export type SynthResult = { assembly: CloudAssembly; stacks: SynthesizedStack[]; findings: NagFinding[] };

const root = fileURLToPath(new URL("..", import.meta.url));
const FAKE_ACCOUNT = "123456789012";

/** Sets variables for the synth and returns how to put the previous values back. */
function withEnv(values: Record<string, string>) {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** cdk-nag reports through CDK annotations, so CDK's own errors and warnings are collected too. */
function nagFindings(assembly: CloudAssembly): NagFinding[] {
  return assembly.stacks.flatMap((stack) =>
    stack.messages
      .filter((message) => message.level === "error" || message.level === "warning")
      .map((message) => ({
        level: message.level === "error" ? ("error" as const) : ("warning" as const),
        stack: stack.stackName,
        path: message.id,
        message: String(message.entry.data),
      })),
  );
}

export async function synthesize(options: SynthOptions = {}): Promise<SynthResult> {
  const stage = options.stage ?? "dev";
  const outdir = path.resolve(root, options.outdir ?? "cdk.out");
  const workdir = path.resolve(root, options.workdir ?? ".sst");
  const config = await sstConfig.config();
  const sstPackage = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve("sst/package.json"), "utf8"),
  ) as { version: string; dependencies: Record<string, string> };

  const restoreEnv = withEnv({
    // App.finish() skips the bootstrap-stack lookup (the only AWS call left) in test mode.
    NODE_ENV: "test",
    SST_STAGE: stage,
    JSII_DEPRECATED: "quiet",
    // SST runs `npm install` in each bundle directory; keep it from reaching the registry.
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_offline: "true",
    ...options.env,
  });
  // SST resolves handler and site paths from the working directory (its CLI chdirs to the root too).
  const cwd = process.cwd();
  if (path.resolve(cwd) !== path.resolve(root)) process.chdir(root);
  try {
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(workdir, { recursive: true });
    setProject({
      version: sstPackage.version,
      cdkVersion: sstPackage.dependencies["aws-cdk-lib"] ?? "unknown",
      constructsVersion: sstPackage.dependencies.constructs ?? "unknown",
      config: { ...config, stage, ssmPrefix: `/sst/${config.name}/${stage}/` },
      stacks: sstConfig.stacks,
      metafile: { inputs: {}, outputs: {} },
      paths: {
        root,
        config: path.join(root, "sst.config.ts"),
        out: workdir,
        artifacts: path.join(workdir, "artifacts"),
      },
    });
    const only = options.only;
    const app = new App(
      {
        account: options.account ?? FAKE_ACCOUNT,
        region: config.region,
        stage,
        name: config.name,
        mode: "deploy",
        isActiveStack: only
          ? (stackName: string) => only.some((id) => stackName === `${stage}-${config.name}-${id}`)
          : undefined,
      },
      { outdir, context: { "aws:cdk:enable-path-metadata": false } },
    );
    await sstConfig.stacks(app);
    await app.finish();
    suppressFrameworkFindings(app);
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    const assembly = app.synth();

    const missing = assembly.manifest.missing ?? [];
    if (missing.length > 0) {
      throw new Error(
        `Context lookups need AWS credentials (${missing.map((entry) => entry.key).join(", ")}); ` +
          "set RELAIS_CERTIFICATE_ARN to avoid the hosted-zone lookup, or use `sst deploy`.",
      );
    }
    const findings = nagFindings(assembly);
    const errors = findings.filter((finding) => finding.level === "error");
    if (errors.length > 0 && options.failOnNagErrors !== false) {
      const list = errors.map((error) => `  ${error.path}\n    ${error.message}`).join("\n");
      throw new Error(`cdk-nag: ${errors.length} unsuppressed error(s)\n${list}`);
    }
    const stacks = assembly.stacks.map((artifact) => ({
      id: artifact.stackName.slice(`${stage}-${config.name}-`.length),
      stackName: artifact.stackName,
      templateFile: path.join(outdir, artifact.templateFile),
      template: artifact.template as Template,
    }));
    return { assembly, stacks, findings };
  } finally {
    if (process.cwd() !== cwd) process.chdir(cwd);
    restoreEnv();
  }
}

function argument(name: string) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main() {
  const stage = argument("stage") ?? process.env.SST_STAGE ?? "dev";
  const started = performance.now();
  const { stacks, findings } = await synthesize({ stage, outdir: argument("out") });
  for (const warning of findings.filter((finding) => finding.level === "warning")) {
    console.warn(`warning ${warning.path}: ${warning.message}`);
  }
  console.log(`Synthesised ${stacks.length} stacks for stage "${stage}":`);
  for (const stack of stacks) {
    const resources = Object.keys(stack.template.Resources ?? {}).length;
    console.log(
      `  ${stack.stackName.padEnd(24)} ${path.relative(root, stack.templateFile)} (${resources} resources)`,
    );
  }
  console.log(`cdk-nag: no unsuppressed error (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
