// The CLI's file reading: a file that is not UTF-8 text, or too large to be a scenario, is refused with its name,
// where the fault is and what was expected, never decoded into replacement characters or read without bound.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../src/core/errors.js";
import { TEXT_LIMITS } from "../src/scenario/parse.js";
import { numberFlag, readTextFile, seedFlag } from "./io.js";

const DIR = mkdtempSync(join(tmpdir(), "zettasim-io-"));

function refusal(path: string): string {
  try {
    readTextFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(ZettasimError);
    return (e as Error).message;
  }
  throw new Error(`${path} was read`);
}

describe("readTextFile", () => {
  it("reads UTF-8 text as it is, a leading byte-order mark dropped", () => {
    const f = join(DIR, "ok.yaml");
    writeFileSync(f, "\uFEFFname: Zürich — 東京\nsystem: gb200-nvl72\n");
    expect(readTextFile(f)).toBe("name: Zürich — 東京\nsystem: gb200-nvl72\n");
  });

  it("refuses bytes that are not UTF-8, with the line, column and byte", () => {
    const f = join(DIR, "latin1.yaml");
    writeFileSync(
      f,
      Buffer.concat([
        Buffer.from("system: gb200-nvl72\nname: Z"),
        Buffer.from([0xfc]),
        Buffer.from("rich\n"),
      ]),
    );
    const m = refusal(f);
    expect(m).toMatch(
      /latin1\.yaml:2:8: .*not UTF-8 text \(got "byte 0xfc", expected a file saved as UTF-8\)/,
    );
  });

  it("points at the lead byte of a sequence cut short", () => {
    const f = join(DIR, "cut.yaml");
    writeFileSync(f, Buffer.concat([Buffer.from("name: ab"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]));
    expect(refusal(f)).toMatch(/cut\.yaml:1:9: .*got "byte 0xc3"/);
  });

  it("names UTF-16 when the file starts with its byte-order mark", () => {
    const f = join(DIR, "utf16.yaml");
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("system: x\n", "utf16le")]));
    expect(refusal(f)).toMatch(/UTF-16/);
  });

  it("refuses a file too large to be a scenario without reading all of it", () => {
    const f = join(DIR, "big.yaml");
    writeFileSync(f, Buffer.alloc(3 * TEXT_LIMITS.maxChars + 1, 0x61));
    expect(refusal(f)).toMatch(
      /big\.yaml: .*more than 3,145,728 bytes long \(expected a text of at most 1,048,576 characters/,
    );
  });

  it("stops reading an endless device at the limit", () => {
    expect(refusal("/dev/zero")).toMatch(/\/dev\/zero: .*more than 3,145,728 bytes long/);
  });

  it("still names a missing file and a directory", () => {
    expect(refusal(join(DIR, "nope.yaml"))).toMatch(/no such file: .*nope\.yaml/);
    expect(refusal(DIR)).toMatch(/is a directory \(expected a file\)/);
  });
});

/** The message numberFlag throws for `value`, or fails when it is accepted. */
function flagRefusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ZettasimError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

describe("numberFlag", () => {
  it("counts take decimal digits only: hex, exponents, spaces and trailing text are refused, naming the flag", () => {
    for (const v of ["0x10", "1e3", " 12 ", "12abc", "1.5", "", "+5", "12 "]) {
      const m = flagRefusal(() => numberFlag("chips", v, { integer: true, min: 1 }));
      expect(m).toContain(`--chips: bad value`);
      expect(m).toContain(`got ${JSON.stringify(v)}`);
      expect(m).toContain("expected a decimal whole number >= 1");
    }
    expect(numberFlag("chips", "12", { integer: true, min: 1 })).toBe(12);
    expect(numberFlag("chips", "007", { integer: true, min: 1 })).toBe(7);
  });

  it("a count past 2^53 - 1 is out of range, not rounded", () => {
    expect(flagRefusal(() => numberFlag("chips", "99999999999999999999", { integer: true }))).toMatch(
      /--chips: bad value: out of range .*<= 9007199254740991/,
    );
  });

  it("other numbers take decimal notation with an exponent, and refuse hex, Infinity and trailing text", () => {
    expect(numberFlag("rate", "2.5")).toBe(2.5);
    expect(numberFlag("rate", ".5")).toBe(0.5);
    expect(numberFlag("rate", "1e-3")).toBe(0.001);
    for (const v of ["0x10", "Infinity", "NaN", "1e400", "2.5x", " 2"])
      expect(flagRefusal(() => numberFlag("rate", v, { positive: true }))).toMatch(/--rate: bad value/);
  });

  it("--seed -1, 1.5 and 1e30 are each refused naming --seed and the range", () => {
    expect(flagRefusal(() => seedFlag("-1"))).toMatch(
      /--seed: bad value: out of range \(got "-1", expected a decimal whole number >= 0/,
    );
    expect(flagRefusal(() => seedFlag("1.5"))).toMatch(
      /--seed: bad value: not written in decimal digits \(got "1.5"/,
    );
    expect(flagRefusal(() => seedFlag("1e30"))).toMatch(
      /--seed: bad value: not written in decimal digits \(got "1e30"/,
    );
    expect(seedFlag("0")).toBe(0);
  });
});
