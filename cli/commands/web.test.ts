// `web --host`: which addresses count as this machine only (no warning) and the warning for the others.
import { describe, expect, it } from "vitest";
import { exposedHostWarning, isLoopbackHost } from "./web.js";

describe("web --host", () => {
  it("loopback addresses bind this machine only", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "::ffff:127.0.0.1"])
      expect(isLoopbackHost(h), h).toBe(true);
  });
  it("any other address is reachable from elsewhere", () => {
    for (const h of [
      "0.0.0.0",
      "::",
      "[::]",
      "192.168.1.5",
      "10.0.0.1",
      "127.0.0.1.example.com",
      "example.com",
      "",
    ])
      expect(isLoopbackHost(h), h).toBe(false);
  });
  it("the warning names the host and says what the default is", () => {
    expect(exposedHostWarning("0.0.0.0")).toMatch(
      /--host 0\.0\.0\.0 is not a loopback address.*every network interface.*127\.0\.0\.1/,
    );
    expect(exposedHostWarning("10.0.0.1")).toMatch(/reachable from other machines/);
  });
});
