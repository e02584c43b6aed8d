import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Local addresses of the listening TCP sockets on `port`, read off /proc/net (Linux). */
function listeners(port: number) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // st 0A = LISTEN
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A")
      .map((fields) => fields[1]!.split(":")[0]!),
  );
}

const loopback = new Set([
  "0100007F",
  "0000000000000000FFFF00000100007F",
  "00000000000000000000000001000000",
]);

describe("local cloud", () => {
  it("listens on the loopback interface only (DynamoDB Local, SQS/SNS, S3, SES, SMS, Scheduler, console)", () => {
    const urls = Object.entries(process.env)
      .filter(([name]) => name.startsWith("AWS_ENDPOINT_URL_") || name === "LOCAL_URL")
      .map(([name, url]) => [name, Number(new URL(url!).port)] as const);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const [name, port] of urls) {
      const addresses = listeners(port);
      expect(addresses.length, `${name} (port ${port}) is listening`).toBeGreaterThan(0);
      for (const address of addresses)
        expect(loopback.has(address), `${name} listens on ${address}`).toBe(true);
    }
  });
});
