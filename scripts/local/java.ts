import { spawnSync } from "node:child_process";

/** DynamoDB Local is a Java program; say exactly what to install when Java is missing. */
export function assertJava() {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  const major = Number(/version "(\d+)/.exec(output)?.[1] ?? 0);
  if (result.error || result.status !== 0 || major < 17) {
    throw new Error(
      "DynamoDB Local needs Java 17 or later, which was not found on this machine.\n" +
        "Install it with:  sudo apt-get install -y openjdk-17-jre-headless",
    );
  }
}
