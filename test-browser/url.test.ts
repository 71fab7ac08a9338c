// The whole state lives in the URL: a link opened elsewhere reproduces the page, the edited scenario and its result.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, downloadYaml, type Harness, jsonText, openPage, start } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await start();
});
afterAll(async () => {
  await h?.close();
});

describe("state in the URL", () => {
  it("an edited layout round-trips through a link, and the downloaded YAML gives the CLI the same figures", async () => {
    const { page, errors } = await openPage(h, "#/train");
    const before = await jsonText(page, "json-train");
    const pp = page.locator('[data-field="training.pp"] input');
    await pp.fill("16");
    await pp.press("Enter");
    // The estimate follows the edit.
    await page.waitForFunction(
      (old) => {
        const t = document.querySelector('[data-testid="json-train"]')?.textContent ?? old;
        return t !== old && JSON.parse(t).degrees.pp === 16;
      },
      before,
      { timeout: 60_000 },
    );
    const after = await jsonText(page, "json-train");
    await page.waitForFunction(() => location.hash.includes("s="), null, { timeout: 10_000 });
    const url = page.url();

    const other = await h.browser.newPage();
    await other.goto(url);
    expect(await jsonText(other, "json-train")).toBe(after);
    expect(await other.locator('[data-field="training.pp"] input').inputValue()).toBe("16");

    const yaml = await downloadYaml(other);
    expect(yaml).toMatch(/pp: 16/);
    expect(cli(["train", "scenario.yaml", "--json"], yaml).stdout.trimEnd()).toBe(after);
    expect(errors).toEqual([]);
    await other.close();
    await page.close();
  });

  it("compare picks and the page survive a reload", async () => {
    const { page, errors } = await openPage(h, "#/spec");
    await jsonText(page, "json-compare");
    await page.getByLabel("add a system to compare").selectOption("gb200-nvl72");
    await page.waitForFunction(
      () => location.hash.includes("cmp=vr-nvl144,atlas-950-superpod,gb200-nvl72"),
      null,
      {
        timeout: 10_000,
      },
    );
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="json-compare"]')?.textContent ?? "").includes("gb200-nvl72"),
      null,
      { timeout: 60_000 },
    );
    const shown = await jsonText(page, "json-compare");
    await page.reload();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="json-compare"]')?.textContent ?? "").includes("gb200-nvl72"),
      null,
      { timeout: 60_000 },
    );
    expect(await jsonText(page, "json-compare")).toBe(shown);
    expect(shown).toBe(
      cli(["compare", "vr-nvl144", "atlas-950-superpod", "gb200-nvl72", "--json"]).stdout.trimEnd(),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("going back returns to the previous page", async () => {
    const { page } = await openPage(h, "#/train");
    await jsonText(page, "json-train");
    await page.locator('nav a[data-page="spec"]').click();
    await jsonText(page, "json-spec");
    await page.goBack();
    await page.locator('[data-page-view="train"]').waitFor({ timeout: 30_000 });
    expect(page.url()).toContain("#/train");
    await page.close();
  });
});
