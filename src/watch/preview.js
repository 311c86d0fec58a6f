// The preview page's script (statusrapport watch --serve). Follows the
// server's stream of build numbers; a new build's part of the page (#bygge)
// replaces the old one, keeping the place the writer reads and the editor
// as they are. The editor opens a section's commentary file, offers the
// placeholders of the build as the writer types {, and saves with a POST.
(() => {
  const stale = document.getElementById("inaktuell");
  const lostText = stale.textContent;
  const shownBuild = () => Number(document.getElementById("status")?.dataset.bygge ?? "0");
  let latest = shownBuild();
  let fetching = false;

  // The page at the top of the window and how far into it, to come back to.
  function place() {
    const pages = [...document.querySelectorAll("main img")];
    const top = pages.find((img) => img.getBoundingClientRect().bottom > 0);
    const nav = document.querySelector("nav");
    if (!top) return { nav: nav?.scrollTop ?? 0 };
    const rect = top.getBoundingClientRect();
    return { page: top.id, into: -rect.top / rect.height, nav: nav?.scrollTop ?? 0, count: pages.length };
  }

  function goBack(kept) {
    const nav = document.querySelector("nav");
    if (nav) nav.scrollTop = kept.nav;
    if (!kept.page) return;
    const pages = [...document.querySelectorAll("main img")];
    const page = document.getElementById(kept.page) ?? pages[pages.length - 1];
    if (!page) return;
    const rect = page.getBoundingClientRect();
    window.scrollBy(0, rect.top + kept.into * rect.height);
  }

  // Fetches the page until it shows the latest build, and swaps it in.
  async function catchUp() {
    if (fetching) return;
    fetching = true;
    try {
      while (shownBuild() < latest) {
        const response = await fetch("./", { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const fetched = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = fetched.getElementById("bygge");
        if (!next) throw new Error("ingen #bygge");
        const kept = place();
        document.getElementById("bygge").replaceWith(document.adoptNode(next));
        document.title = fetched.title;
        goBack(kept);
      }
      stale.hidden = true;
      editor.built();
    } catch {
      stale.textContent = lostText;
      stale.hidden = false;
      setTimeout(catchUp, 1000);
    } finally {
      fetching = false;
    }
  }

  // The new build's pages, fetched as soon as it is announced (alongside
  // its part of the page; pages already shown come from the cache), kept
  // here so that none is dropped while it loads.
  let fetchedPages = [];
  const events = new EventSource("__events");
  events.addEventListener("bygge", (event) => {
    const [number, ...pages] = event.data.split(" ");
    latest = Number(number);
    if (latest <= shownBuild()) {
      stale.hidden = true;
      return;
    }
    fetchedPages = pages.map((address) => Object.assign(new Image(), { src: address }));
    stale.textContent = "Inaktuell: ett nyare bygge finns; hämtar det …";
    stale.hidden = false;
    catchUp();
  });
  events.onerror = () => {
    stale.textContent = lostText;
    stale.hidden = false;
  };

  const editor = (() => {
    const aside = document.getElementById("redigerare");
    const form = document.getElementById("redigera");
    const text = document.getElementById("kommentar-text");
    const list = document.getElementById("forslag");
    const status = document.getElementById("kommentar-status");
    const author = document.getElementById("kommentar-forfattare");
    const said = document.getElementById("redigera-besked");
    let file = null; // { id, kontrollsumma, platshallare, saved: { text, status, forfattare } }
    let offered = [];
    let active = -1;
    let waitingFor = null; // the build after a save

    const fold = (s) => s.toLowerCase().replaceAll("å", "a").replaceAll("ä", "a").replaceAll("ö", "o");
    const changed = () =>
      file && (text.value !== file.saved.text || status.value !== file.saved.status || author.value !== file.saved.forfattare);

    function say(message, error = false) {
      said.textContent = message;
      said.className = error ? "fel" : "";
      said.setAttribute("role", error ? "alert" : "status");
    }

    async function open(id, heading) {
      // Opening reads the file as it is now (also the same file again, after
      // a refused save), so unsaved text would be lost: ask first.
      if (changed() && !confirm("Du har ändringar som inte är sparade. Kopiera dem först om du vill ha kvar dem. Öppna texten som den står i filen nu ändå?")) return;
      let data;
      try {
        data = await (await fetch(`kommentar/${id}.json`, { cache: "no-store" })).json();
      } catch {
        data = { fel: "Filen kunde inte hämtas från statusrapport watch." };
      }
      aside.hidden = false;
      document.body.classList.add("redigerar");
      document.getElementById("redigerare-avsnitt").textContent = heading;
      document.getElementById("redigerare-fil").textContent = data.fil ?? "";
      if (data.fel) {
        file = null;
        form.hidden = true;
        say(data.fel, true);
        return;
      }
      form.hidden = false;
      document.getElementById("redigerare-toml").hidden = data.format !== "toml";
      [...status.options].filter((o) => o.dataset.egen).forEach((o) => o.remove());
      const approved = !["utkast", "granskad"].includes(data.status);
      if (approved && data.status) {
        const own = new Option(`${data.status} (sätts med statusrapport godkann)`, data.status);
        own.dataset.egen = "ja";
        status.add(own);
      }
      document.getElementById("godkand-info").hidden = !(approved && data.status);
      text.value = data.text;
      status.value = data.status || "utkast";
      author.value = data.forfattare;
      file = { id, kontrollsumma: data.kontrollsumma, platshallare: data.platshallare, saved: { text: text.value, status: status.value, forfattare: author.value } };
      say("");
      showMessages();
      hide();
      text.focus();
    }

    // Placeholder suggestions: the `{…` just before the caret.
    function typed() {
      const before = text.value.slice(0, text.selectionStart);
      const found = /\{([^{}\s]*)$/.exec(before);
      return found && text.selectionStart === text.selectionEnd ? found : null;
    }

    function hide() {
      list.hidden = true;
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function suggest() {
      const found = file && typed();
      if (!found) return hide();
      const wanted = fold(found[1]);
      offered = file.platshallare.filter((p) => fold(p.namn).includes(wanted)).slice(0, 60);
      if (offered.length === 0) return hide();
      list.replaceChildren(
        ...offered.map((p, i) => {
          const item = document.createElement("li");
          item.id = `forslag-${i}`;
          item.setAttribute("role", "option");
          item.dataset.namn = p.namn;
          const value = document.createElement("span");
          value.className = "varde";
          value.textContent = p.varde;
          item.append(p.namn, value);
          return item;
        }),
      );
      list.hidden = false;
      text.setAttribute("aria-expanded", "true");
      mark(0);
    }

    function mark(i) {
      active = i;
      [...list.children].forEach((item, n) => item.setAttribute("aria-selected", String(n === i)));
      const item = list.children[i];
      if (item) {
        text.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      }
    }

    function choose(i) {
      const found = typed();
      const chosen = offered[i];
      if (!found || !chosen) return hide();
      const start = text.selectionStart - found[0].length;
      const end = text.value[text.selectionStart] === "}" ? text.selectionStart + 1 : text.selectionStart;
      text.setRangeText(chosen.namn, start, end, "end");
      hide();
      text.focus();
    }

    text.addEventListener("input", suggest);
    text.addEventListener("click", suggest);
    text.addEventListener("blur", () => setTimeout(hide, 150));
    text.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") mark(Math.min(active + 1, offered.length - 1));
      else if (event.key === "ArrowUp") mark(Math.max(active - 1, 0));
      else if (event.key === "Enter" || event.key === "Tab") choose(active);
      else if (event.key === "Escape") hide();
      else return;
      event.preventDefault();
    });
    list.addEventListener("mousedown", (event) => {
      const item = event.target.closest("li");
      if (!item) return;
      event.preventDefault();
      choose([...list.children].indexOf(item));
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!file) return;
      say("Sparar …");
      const sent = { text: text.value, status: status.value, forfattare: author.value };
      let response, answer;
      try {
        response = await fetch(`kommentar/${file.id}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ kontrollsumma: file.kontrollsumma, ...sent }),
        });
        answer = await response.json().catch(() => ({ fel: `Servern svarade ${response.status}.` }));
      } catch {
        return say("Texten kunde inte sparas: kontakten med statusrapport watch är bruten. Kopiera texten så att den inte går förlorad.", true);
      }
      if (!response.ok) return say(`Texten sparades inte. ${answer.fel ?? ""}`, true);
      file.kontrollsumma = answer.kontrollsumma;
      file.saved = sent;
      waitingFor = shownBuild();
      say("Sparat. Rapporten byggs om …");
    });

    // The messages about the open file, as the index shows them.
    function showMessages() {
      const shown = document.getElementById("redigerare-meddelanden");
      const button = file && document.querySelector(`nav button.redigera[data-fil="${file.id}"]`);
      const messages = button ? [...button.closest("li").querySelectorAll("pre")] : [];
      shown.replaceChildren(...messages.map((pre) => pre.cloneNode(true)));
    }

    window.addEventListener("beforeunload", (event) => {
      if (changed()) event.preventDefault();
    });

    document.getElementById("stang").addEventListener("click", () => {
      if (changed() && !confirm("Du har ändringar som inte är sparade. Stäng ändå?")) return;
      file = null;
      aside.hidden = true;
      document.body.classList.remove("redigerar");
    });

    // A click on a section in the index, or on a page: the section whose
    // heading is above the place clicked (on that page or before it).
    document.addEventListener("click", (event) => {
      const button = event.target.closest("button.redigera");
      if (button) return open(Number(button.dataset.fil), button.dataset.rubrik);
      const page = event.target.closest("main img");
      if (!page) return;
      const rect = page.getBoundingClientRect();
      const number = Number(page.id.replace("sida-", ""));
      const down = (event.clientY - rect.top) / rect.height;
      const sections = JSON.parse(document.getElementById("avsnitt")?.textContent ?? "[]").filter((s) => s.sida);
      const before = sections.filter((s) => s.sida < number || (s.sida === number && s.ner <= down));
      const section = before[before.length - 1] ?? sections.find((s) => s.sida === number);
      if (!section) return;
      if (section.fil === null) {
        aside.hidden = false;
        document.body.classList.add("redigerar");
        form.hidden = true;
        document.getElementById("redigerare-avsnitt").textContent = section.rubrik;
        document.getElementById("redigerare-fil").textContent = "";
        return say("Avsnittet har ingen kommentarsfil att redigera.");
      }
      open(section.fil, section.rubrik);
    });

    return {
      // A new build is shown: after a save, say so.
      built() {
        showMessages();
        if (waitingFor !== null && shownBuild() > waitingFor) {
          const ok = document.getElementById("status")?.dataset.ok === "true";
          say(ok ? `Sparat; sidorna visar den nya texten (bygge ${shownBuild()}).` : "Sparat, men bygget misslyckades: se meddelandena vid avsnittet.", !ok);
          waitingFor = null;
        }
      },
    };
  })();
})();
