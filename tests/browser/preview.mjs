// The live preview in a real browser: `statusrapport watch --serve` on an
// example report, opened in headless Chromium; a commentary edit must reload
// the page with a new build, a broken edit must show the message while the
// last good pages stay, 100 saves in a row must each show a newer build
// (the median time from save to visible pages is printed), a section's text
// must be editable beside its page (placeholder suggestions, save, the page
// staying in view across the rebuild), and a page whose server is gone must
// say "Inaktuell". RUNDOR=N sets the number of saves.
//
//   node preview.mjs <statusrapport-binary> <example-project-folder>
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [binary, example] = process.argv.slice(2);
const port = 8700 + Math.floor(Math.random() * 200);
const work = mkdtempSync(join(tmpdir(), "forhandsvisning-"));
const project = join(work, "rapport");
cpSync(example, project, { recursive: true });
const commentary = join(project, "kommentarer", "vch-ekonomi.md");

const watch = spawn(binary, ["watch", project, "-o", join(work, "ut"), "--serve", "--port", String(port)], {
  stdio: ["ignore", "pipe", "inherit"],
});
// The address has a random token: `Förhandsvisning: http://127.0.0.1:PORT/TOKEN/`.
const base = await new Promise((resolve) => {
  let seen = "";
  watch.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    seen += chunk;
    const found = seen.match(/Förhandsvisning: (http:\/\/\S+)\//);
    if (found) resolve(found[1]);
  });
});

function fail(message) {
  console.error(`FEL: ${message}`);
  watch.kill();
  process.exit(1);
}

async function status() {
  try {
    return await (await fetch(`${base}/status.json`)).json();
  } catch {
    return null;
  }
}

async function waitFor(predicate, what, seconds = 60) {
  for (let i = 0; i < seconds * 10; i++) {
    const value = await predicate();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`väntade förgäves på ${what}`);
}

await waitFor(async () => (await status())?.bygge >= 1, "första bygget");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
await page.goto(`${base}/`);
if ((await (await fetch(`http://127.0.0.1:${port}/`)).status) !== 404) fail("sidan nås utan token");
const pages = await page.locator("img").count();
if (pages !== 11) fail(`förhandsvisningen visar ${pages} sidor, inte 11`);
await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
if ((await page.title()) !== "Statusrapport Närsjukvården Halland") fail(`fel titel: ${await page.title()}`);
console.log(`ok: ${pages} sidor visas, alla bilder laddade`);

// A one-line edit: the page reloads by itself with build 2.
writeFileSync(commentary, readFileSync(commentary, "utf8").replace("Ingen tydlig minskning", "Webbläsartestet ser ingen tydlig minskning"));
await page.waitForSelector('#status[data-bygge="2"][data-ok="true"]', { timeout: 60000 });
const pdf = Buffer.from(await (await fetch(`${base}/rapport.pdf`)).arrayBuffer());
writeFileSync(join(work, "rapport.pdf"), pdf);
const text = execFileSync("pdftotext", [join(work, "rapport.pdf"), "-"]).toString().replace(/\s+/g, " ");
if (!text.includes("Webbläsartestet ser ingen tydlig minskning")) fail("den nya texten finns inte i PDF-filen");
console.log("ok: sidan laddades om av sig själv efter ändringen, och PDF-filen har den nya texten");

// A broken edit: the message shows, the last good pages stay.
writeFileSync(commentary, readFileSync(commentary, "utf8").replace("{ack_avv_personal}", "{ack_avv_persnal}"));
await page.waitForSelector('#status[data-bygge="3"][data-ok="false"]', { timeout: 60000 });
// The message stands under the status line and again at its section in the index.
const message = await page.locator("#status + pre.fel").textContent();
if (!message.includes("okänd platshållare `{ack_avv_persnal}`") || !message.includes("menade du `{ack_avv_personal}`?")) {
  fail(`felmeddelandet saknas: ${message}`);
}
const atSection = await page.locator("nav pre.fel").allTextContents();
if (!atSection.some((text) => text.includes("okänd platshållare `{ack_avv_persnal}`"))) {
  fail(`felet står inte vid sitt avsnitt i innehållsförteckningen: ${atSection.join(" | ")}`);
}
if ((await page.locator("img").count()) !== 11) fail("de senaste lyckade sidorna visas inte längre");
await page.screenshot({ path: join(work, "forhandsvisning.png") });
console.log(`ok: felet visas ovanför de senaste lyckade sidorna (${join(work, "forhandsvisning.png")})`);

// Writing: 100 saves in a row, each must show a newer build on the page by
// itself (none may stall), timed from the save to the new pages loaded.
const rounds = Number(process.env.RUNDOR ?? 100);
writeFileSync(commentary, readFileSync(commentary, "utf8").replace("{ack_avv_persnal}", "{ack_avv_personal}"));
await page.waitForSelector('#status[data-bygge="4"][data-ok="true"]', { timeout: 60000 });
const times = [];
let shown = 4;
for (let round = 1; round <= rounds; round++) {
  const text = readFileSync(commentary, "utf8").replace(/Webbläsartestet ser ingen tydlig minskning[^.]*\./, `Webbläsartestet ser ingen tydlig minskning (runda ${round}).`);
  const loaded = page.waitForFunction(
    (after) => {
      const status = document.getElementById("status");
      return status && Number(status.dataset.bygge) > after && [...document.images].every((img) => img.complete && img.naturalWidth > 0);
    },
    shown,
    { timeout: 15000, polling: "raf" },
  );
  const saved = performance.now();
  writeFileSync(commentary, text);
  try {
    await loaded;
  } catch {
    fail(`runda ${round}: sidan visade inget nyare bygge än ${shown} inom 15 s (fastnade)`);
  }
  times.push(performance.now() - saved);
  shown = Number(await page.locator("#status").getAttribute("data-bygge"));
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`ok: ${rounds} sparningar, ingen fastnade; sparad fil → ny sida synlig: median ${median.toFixed(0)} ms, ` +
  `min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`);

// Editing in the preview: a click on the section's page opens its text
// beside the pages; typing { offers the metrics with their values; the
// choice goes in; saving writes the file, the page takes the new build in
// without moving, and the PDF has the new text with the value.
const sections = JSON.parse(await page.locator("#avsnitt").textContent());
const own = await page.locator("nav li", { hasText: "vch-ekonomi.md" }).locator("button.redigera").getAttribute("data-fil");
const target = sections.find((s) => String(s.fil) === own);
if (!target?.sida) fail(`inget avsnitt att klicka på: ${JSON.stringify(sections)}`);
const image = page.locator(`#sida-${target.sida}`);
await image.scrollIntoViewIfNeeded();
const box = await image.boundingBox();
await image.click({ position: { x: box.width / 2, y: box.height * Math.min(target.ner + 0.05, 0.99) } });
await page.waitForSelector("#redigerare:not([hidden]) #kommentar-text");
if (!(await page.locator("#redigerare-fil").textContent()).endsWith("kommentarer/vch-ekonomi.md")) {
  fail(`klicket på sidan öppnade ${await page.locator("#redigerare-fil").textContent()}`);
}
const written = readFileSync(commentary, "utf8");
const shownText = await page.locator("#kommentar-text").inputValue();
if (!written.endsWith(shownText)) fail("redigeraren visar inte texten som den står i filen");
if ((await page.locator("#kommentar-status").inputValue()) !== "godkänd") fail("den godkända statusen visas inte");
console.log("ok: ett klick på avsnittets sida öppnar dess text som den står i filen, med status");

await page.locator("#kommentar-text").evaluate((t) => { t.focus(); t.setSelectionRange(t.value.length, t.value.length); });
await page.keyboard.type("\nRedigerat i förhandsvisningen: {ack_avv_pers");
const option = page.locator('#forslag:not([hidden]) li[data-namn="{ack_avv_personal}"]');
await option.waitFor({ timeout: 5000 }).catch(() => fail("inga förslag på platshållare när { skrivs"));
const value = (await option.locator(".varde").textContent()).trim();
if (!/\d/.test(value)) fail(`förslaget visar inget värde: ${value}`);
await page.screenshot({ path: join(work, "redigerare.png") });
await option.click();
await page.keyboard.type(" just nu.");
if (!(await page.locator("#kommentar-text").inputValue()).endsWith("Redigerat i förhandsvisningen: {ack_avv_personal} just nu.")) {
  fail(`valet kom inte in i texten: ${await page.locator("#kommentar-text").inputValue()}`);
}
console.log(`ok: { ger förslag med värden ({ack_avv_personal} = ${value}), och valet skrivs in`);

// The place in view: the section's page at the same height after the new build.
await image.evaluate((img) => { img.scrollIntoView(); window.scrollBy(0, 120); });
const before = await image.evaluate((img) => img.getBoundingClientRect().top);
const builtBefore = Number(await page.locator("#status").getAttribute("data-bygge"));
const clicked = performance.now();
await page.locator("#spara").click();
await page.waitForFunction(
  (after) => Number(document.getElementById("status").dataset.bygge) > after &&
    [...document.images].every((img) => img.complete && img.naturalWidth > 0),
  builtBefore, { timeout: 60000, polling: "raf" },
).catch(() => fail("sparningen gav inget nytt bygge på sidan"));
const editorSaveMs = performance.now() - clicked;
await page.waitForSelector("#redigera-besked:has-text('visar den nya texten')", { timeout: 10000 })
  .catch(async () => fail(`inget besked om den nya texten: ${await page.locator("#redigera-besked").textContent()}`));
if (!readFileSync(commentary, "utf8").endsWith("Redigerat i förhandsvisningen: {ack_avv_personal} just nu.")) fail("filen fick inte texten");
if (!readFileSync(commentary, "utf8").startsWith("+++\n# Kommentar till avsnittet")) fail("kommentaren i filens början försvann");
const after = await page.locator(`#sida-${target.sida}`).evaluate((img) => img.getBoundingClientRect().top);
if (Math.abs(after - before) > 2) fail(`sidan flyttade sig vid det nya bygget: ${before} → ${after}`);
const rebuilt = Buffer.from(await (await fetch(`${base}/rapport.pdf`)).arrayBuffer());
writeFileSync(join(work, "rapport.pdf"), rebuilt);
const rebuiltText = execFileSync("pdftotext", [join(work, "rapport.pdf"), "-"]).toString().replace(/\s+/g, " ");
if (!rebuiltText.includes(`Redigerat i förhandsvisningen: ${value.replace(/\s+/g, " ")} just nu.`)) {
  fail("den sparade texten med värdet finns inte i den nya PDF-filen");
}
// The edited approved text now warns that it changed after approval: in the editor too.
const warned = await page.locator("#redigerare-meddelanden pre.varning").allTextContents();
if (!warned.some((w) => w.includes("vch-ekonomi.md"))) fail(`redigeraren visar inte filens meddelanden: ${warned.join(" | ")}`);
console.log("ok: sparat i filen, sidan bytte till det nya bygget utan att flytta sig, och PDF-filen har texten med värdet " +
  `(Spara → ny sida synlig: ${editorSaveMs.toFixed(0)} ms)`);

// A colleague saved the file meanwhile: the save is refused with a message
// saying so, the colleague's text stays, and the writer's text stays in the editor.
writeFileSync(commentary, readFileSync(commentary, "utf8").replace("just nu.", "just nu (kollegan)."));
await page.locator("#kommentar-text").fill(`${await page.locator("#kommentar-text").inputValue()}Min rad.\n`);
await page.locator("#spara").click();
await page.waitForSelector("#redigera-besked.fel:has-text('har ändrats sedan du öppnade den')", { timeout: 10000 })
  .catch(async () => fail(`ingen varning om kollegans ändring: ${await page.locator("#redigera-besked").textContent()}`));
const kept = readFileSync(commentary, "utf8");
if (!kept.includes("just nu (kollegan).") || kept.includes("Min rad.")) fail("kollegans ändring skrevs över");
if (!(await page.locator("#kommentar-text").inputValue()).endsWith("Min rad.\n")) fail("skribentens text försvann ur redigeraren");
console.log("ok: en kollegas ändring skrivs inte över; sidan säger varför och texten ligger kvar i redigeraren");

// The server gone: the page says its pages may be old.
watch.kill();
await page.waitForSelector("#inaktuell:not([hidden])", { timeout: 10000 }).catch(() => fail("sidan säger inte att den är inaktuell"));
console.log("ok: sidan säger Inaktuell när watch har avslutats");

await browser.close();
console.log("10 passed, 0 failed");
