// Bad input shows the field and the reason in the page, in the CLI's own words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, downloadYaml, type Harness, hashFor, jsonText, openPage, start } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await start();
});
afterAll(async () => {
  await h?.close();
});

/** The CLI's message for a scenario, as the page shows it under "as the CLI prints it". */
const cliMessage = (yaml: string, command = "train") =>
  cli([command, "scenario.yaml"], yaml).stderr.trimEnd();

describe("bad input", () => {
  it("a bad layout value is shown at its field with the reason, and the message is the CLI's", async () => {
    const { page, errors } = await openPage(h, "#/train");
    const tp = page.locator('[data-field="training.tp"] input');
    await tp.waitFor();
    await tp.fill("-4");
    await tp.press("Enter");
    const fieldError = page.locator('[data-field="training.tp"] .field-error');
    await fieldError.waitFor({ timeout: 60_000 });
    const text = (await fieldError.textContent()) ?? "";
    expect(text).toContain("training.tp");
    expect(text).toContain("-4");
    expect(await page.locator('[data-field="training.tp"]').getAttribute("class")).toContain("invalid");
    const yaml = await downloadYaml(page);
    const shown = (await page.locator(".cli-message").first().textContent()) ?? "";
    expect(shown).toBe(cliMessage(yaml));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a value being typed survives a result arriving before it is applied", async () => {
    const { page, errors } = await openPage(h, "#/train");
    const before = await jsonText(page, "json-train");
    const tp = page.locator('[data-field="training.tp"] input');
    await tp.fill("16");
    // Another field applies a change meanwhile (as a result arriving would), re-rendering the form.
    await page.evaluate(() => {
      const pp = document.querySelector('[data-field="training.pp"] input') as HTMLInputElement;
      pp.value = "16";
      pp.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid="json-train"]')?.textContent !== b,
      before,
    );
    expect(await tp.inputValue()).toBe("16");
    await tp.press("Enter");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="json-train"]')?.textContent?.includes('"tp": 16'),
    );
    expect(JSON.parse(await jsonText(page, "json-train")).degrees).toMatchObject({ tp: 16, pp: 16 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a YAML syntax error names its line in the editor and in the message", async () => {
    const broken = "system: atlas-950-superpod\nmodel: [llama3-70b\n";
    const { page } = await openPage(h, hashFor("scenario", broken));
    const panel = page.getByTestId("error");
    await panel.waitFor({ timeout: 60_000 });
    expect(await page.locator(".editor .gutter .bad").count()).toBeGreaterThan(0);
    expect((await page.locator(".cli-message").textContent()) ?? "").toBe(cliMessage(broken));
    await page.close();
  });

  it("an unknown catalog id is shown at the system picker", async () => {
    const text = "system: atlas-951-superpod\n";
    const { page } = await openPage(h, hashFor("scenario", text));
    const err = page.locator('[data-field="system"] .field-error');
    await err.waitFor({ timeout: 60_000 });
    expect((await err.textContent()) ?? "").toContain("system");
    expect((await page.locator(".cli-message").textContent()) ?? "").toBe(cliMessage(text, "spec"));
    await page.close();
  });

  it("a job that does not fit in memory shows the CLI's error beside its figures", async () => {
    const text =
      "system: dgx-h100-superpod\nmodel: llama3-405b\ntraining: { seqLength: 8192, globalBatchSize: 1024, tp: 1, pp: 1 }\n";
    const { page } = await openPage(h, hashFor("train", text));
    await page.locator('[data-kpi="memory"].warn').waitFor({ timeout: 60_000 });
    const r = cli(["train", "scenario.yaml"], text);
    expect(r.status).toBe(2);
    expect((await page.locator(".cli-message").textContent()) ?? "").toBe(r.stderr.trimEnd());
    await page.close();
  });
});
