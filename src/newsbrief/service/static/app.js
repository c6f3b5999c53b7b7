// The brief view: a pasted or dropped story briefed by the server, or a story from the archive, with its
// highlights beside the article. Article text only ever reaches the page through textContent, never as
// markup, so a story containing <script> or <img onerror> shows as text.
import { apiFetch, onKeySaved } from "./api.js";
import { $, el, formatDate, formatNumber } from "./ui.js";

const state = { brief: null, limits: { max_body_bytes: 2 * 1024 * 1024 }, file: null, storyId: null };

function showMessage(text, kind) {
  const box = $("message");
  box.textContent = text;
  box.className = "message" + (kind ? " " + kind : "");
  box.hidden = !text;
}

function formatSize(bytes) {
  return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.ceil(bytes / 1024) + " KB";
}

// --- offsets ----------------------------------------------------------------------------------------
// The server counts offsets in Unicode code points (Python string indices); JavaScript strings index
// UTF-16 units, where a character outside the BMP (an emoji) takes two.
function codePointToUtf16(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const map = [];
  let unit = 0;
  for (const ch of text) { map.push(unit); unit += ch.length; }
  map.push(unit);
  return (i) => map[Math.max(0, Math.min(i, map.length - 1))];
}

// --- rendering --------------------------------------------------------------------------------------

// The article with each highlight's source in a <mark>; `focus` (a quote opened from the archive) gets
// its own <mark id="focus">, inside a highlight's or not.
function renderArticle(brief, focus) {
  const view = $("article-view");
  view.replaceChildren();
  if (brief.title) view.append(el("h2", brief.title));
  const text = brief.text || "";
  const toUnit = codePointToUtf16(text);
  const body = el("div", null, "article-text");
  const spans = brief.highlights
    .map((h, i) => ({ i, start: toUnit(h.start), end: toUnit(h.end) }))
    .sort((a, b) => a.start - b.start);
  const quote = focus ? { start: toUnit(focus.start), end: toUnit(focus.end) } : null;
  let focusMarked = false;
  const plain = (parent, from, to) => {
    if (!quote || quote.end <= from || quote.start >= to) { parent.append(text.slice(from, to)); return; }
    const a = Math.max(from, quote.start), b = Math.min(to, quote.end);
    const mark = el("mark", text.slice(a, b), "focus");
    if (!focusMarked) { mark.id = "focus"; focusMarked = true; }
    parent.append(text.slice(from, a), mark, text.slice(b, to));
  };
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue; // overlapping spans cannot both be marked; the list still links the first
    plain(body, at, s.start);
    const mark = el("mark", null, "source");
    plain(mark, s.start, s.end);
    mark.id = "source-" + s.i;
    mark.dataset.highlight = String(s.i);
    body.append(mark);
    at = s.end;
  }
  plain(body, at, text.length);
  view.append(body);
}

function renderHighlights(brief) {
  const list = $("highlights");
  list.replaceChildren();
  brief.highlights.forEach((h, i) => {
    const item = el("li");
    const button = el("button", h.text);
    button.type = "button";
    button.dataset.highlight = String(i);
    button.title = "Show the source sentence in the article";
    button.addEventListener("click", () => {
      markSource(i);
      // A story from the archive: the marked highlight goes in the address, to share or come back to.
      if (state.storyId !== null) history.replaceState(null, "", `#/story/${encodeURIComponent(state.storyId)}?highlight=${i}`);
    });
    item.append(button);
    list.append(item);
  });
  if (!brief.highlights.length) list.append(el("li", "No highlights: the article has no usable sentences.", "muted"));
}

function markSource(i) {
  document.querySelectorAll("mark.source.active").forEach((m) => m.classList.remove("active"));
  document.querySelectorAll("#highlights li.active").forEach((li) => li.classList.remove("active"));
  const mark = $("source-" + i);
  const button = document.querySelector(`#highlights button[data-highlight="${i}"]`);
  if (button) button.parentElement.classList.add("active");
  if (!mark) return;
  mark.classList.add("active");
  mark.scrollIntoView({ behavior: "smooth", block: "center" });
}

// Offsets, ids and other bookkeeping in the facts JSON that mean nothing to a reader.
const HIDDEN = new Set(["id", "spans", "start", "end", "sentence", "sentences", "first", "speaker_id",
  "speaker_span", "place_id", "attribution", "cue", "date_value", "aliases", "schema", "vague"]);
const ENTITY_TITLES = { person: "People", organization: "Organisations", organisation: "Organisations", place: "Places" };
const SECTION_ORDER = ["People", "Organisations", "Places", "Quotes", "Numbers", "Casualties", "Dates"];
const LIST_LIMIT = 15;

function humanise(key) {
  const s = String(key).replace(/[_-]+/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function isEmpty(value) {
  return value === null || value === undefined || value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
}

const isPlain = (v) => v === null || typeof v !== "object";

function line(main, detail) {
  const span = el("span", main);
  if (detail) span.append(el("span", " " + detail, "muted"));
  return span;
}

// The facts module's output may grow: known shapes get a reader's rendering, anything else is shown
// generically, always as text.
function renderValue(value, depth) {
  if (isPlain(value)) return el("span", value);
  if (depth > 4) return el("span", JSON.stringify(value));
  if (Array.isArray(value)) return list(value, (item) => renderItem(item, depth + 1));
  const dl = el("dl");
  for (const [k, v] of Object.entries(value)) {
    if (isEmpty(v) || HIDDEN.has(k)) continue;
    dl.append(el("dt", humanise(k)));
    const dd = el("dd");
    dd.append(renderValue(v, depth + 1));
    dl.append(dd);
  }
  return dl;
}

function list(items, render) {
  const ul = el("ul");
  for (const item of items.slice(0, LIST_LIMIT)) {
    const li = el("li");
    li.append(render(item));
    ul.append(li);
  }
  if (items.length > LIST_LIMIT) ul.append(el("li", `and ${items.length - LIST_LIMIT} more`, "muted"));
  return ul;
}

function renderItem(item, depth) {
  if (isPlain(item) || Array.isArray(item)) return renderValue(item, depth);
  if (typeof (item.quote ?? item.text) === "string" && "speaker" in item) return renderQuote(item);
  const main = item.name ?? item.text ?? item.value ?? item.label;
  if (main !== undefined && isPlain(main)) {
    const extra = Object.entries(item)
      .filter(([k, v]) => !["text", "name", "value", "label"].includes(k) && !HIDDEN.has(k) && !isEmpty(v) && isPlain(v))
      .map(([k, v]) => `${humanise(k).toLowerCase()}: ${v}`);
    return line(main, extra.length ? "(" + extra.join(", ") + ")" : "");
  }
  return renderValue(item, depth);
}

function renderQuote(q) {
  const block = el("blockquote");
  block.append(el("span", "“" + (q.quote ?? q.text) + "”"));
  const speaker = q.speaker && typeof q.speaker === "object" ? q.speaker.name ?? q.speaker.text : q.speaker;
  block.append(el("cite", "— " + (speaker || "unattributed")));
  return block;
}

function renderEntity(e) {
  const details = [];
  if (e.role) details.push(e.role);
  if (Number.isFinite(e.mentions) && e.mentions > 1) details.push(`${formatNumber(e.mentions)} mentions`);
  return line(e.name ?? e.text ?? "", details.length ? "· " + details.join(" · ") : "");
}

function renderNumber(n) {
  if (isPlain(n)) return el("span", n);
  const counts = n.counts ?? n.unit;
  return line(n.text ?? n.value ?? "", counts ? "— " + counts : "");
}

function renderCasualty(c) {
  if (isPlain(c)) return el("span", c);
  const count = (x) => (x && typeof x === "object" ? x.value ?? x.text : x);
  const parts = [];
  if (!isEmpty(count(c.killed))) parts.push(`${count(c.killed)} killed`);
  if (!isEmpty(count(c.wounded))) parts.push(`${count(c.wounded)} wounded`);
  for (const k of ["place", "date"]) if (isPlain(c[k]) && !isEmpty(c[k])) parts.push(c[k]);
  return line(humanise(c.kind ?? c.type ?? "casualties"), parts.length ? "— " + parts.join(", ") : "");
}

function factSections(facts) {
  const sections = [];
  const add = (title, items, render) => {
    if (!isEmpty(items)) sections.push([title, Array.isArray(items) ? list(items, render) : renderValue(items, 0)]);
  };
  for (const [key, value] of Object.entries(facts)) {
    if (HIDDEN.has(key) || isEmpty(value)) continue;
    if (key === "entities" && Array.isArray(value)) {
      const groups = new Map();
      for (const e of value) {
        if (isPlain(e)) continue;
        const type = String(e.type ?? e.label ?? "other").toLowerCase();
        const title = ENTITY_TITLES[type] ?? humanise(type) + (type.endsWith("s") ? "" : "s");
        if (!groups.has(title)) groups.set(title, []);
        groups.get(title).push(e);
      }
      for (const [title, items] of groups) add(title, items, renderEntity);
    } else if (key === "quotes") add("Quotes", value, (q) => (isPlain(q) ? el("span", q) : renderQuote(q)));
    else if (key === "quantities" || key === "numbers") add("Numbers", value, renderNumber);
    else if (key === "casualties") add("Casualties", value, renderCasualty);
    else add(ENTITY_TITLES[key.replace(/s$/, "")] ?? humanise(key), value, (item) => renderItem(item, 1));
  }
  const rank = (title) => (SECTION_ORDER.indexOf(title) + 1 || 99);
  return sections.sort((a, b) => rank(a[0]) - rank(b[0]));
}

function renderFacts(facts) {
  const panel = $("facts-panel");
  const body = $("facts-body");
  body.replaceChildren();
  if (!facts || typeof facts !== "object") { panel.hidden = true; return; }
  for (const [title, node] of factSections(facts)) {
    const section = el("section");
    section.dataset.fact = title.toLowerCase();
    section.append(el("h3", title), node);
    body.append(section);
  }
  if (!body.childElementCount) body.append(el("p", "No facts found in this article.", "muted"));
  panel.hidden = false;
}

function renderBrief(brief, focus) {
  state.brief = brief;
  renderHighlights(brief);
  renderFacts(brief.facts);
  renderArticle(brief, focus);
  $("brief").hidden = false;
}

// A story from the archive in this viewer: the paste form gives way to the story's title bar, the
// highlight that matched a search (`highlight`, its rank) or the quote opened (`focus`) is marked.
export function showStory(story, { highlight = null, focus = null, back = null } = {}) {
  state.storyId = story.id ?? null;
  $("brief-form").hidden = true;
  $("story-bar").hidden = false;
  $("story-date").textContent = [formatDate(story.date), story.source].filter(Boolean).join(" · ");
  $("story-back").hidden = !back;
  if (back) $("story-back").href = back;
  renderBrief({ ...story, highlights: story.highlights || [] }, focus);
  if (highlight !== null && highlight !== undefined) markSource(highlight);
  const target = focus ? $("focus") : null;
  if (target) {
    target.scrollIntoView({ block: "center" });
    target.tabIndex = -1;
  }
}

// Back to pasting: the form as it was, no stored story on show.
export function showPasteForm() {
  state.storyId = null;
  if (!$("story-bar").hidden) {
    $("story-bar").hidden = true;
    $("brief-form").hidden = false;
    clearAll();
  }
}

// --- export -----------------------------------------------------------------------------------------

function markdown(brief) {
  const lines = [];
  if (brief.title) lines.push("## " + brief.title, "");
  for (const h of brief.highlights) lines.push("- " + h.text.replace(/\s+/g, " "));
  return lines.join("\n") + "\n";
}

async function copyMarkdown() {
  if (!state.brief) return;
  const text = markdown(state.brief);
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard API outside a secure context (http on another host): fall back to a selection copy.
    const area = el("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  $("copied").textContent = "Copied.";
  setTimeout(() => { $("copied").textContent = ""; }, 2000);
}

function downloadJson() {
  if (!state.brief) return;
  const blob = new Blob([JSON.stringify(state.brief, null, 2)], { type: "application/json" });
  const link = el("a");
  const slug = (state.brief.title || state.file?.name || "article").toLowerCase()
    .replace(/\.[a-z]+$/, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "article";
  link.href = URL.createObjectURL(blob);
  link.download = `newsbrief-${slug}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// --- input ------------------------------------------------------------------------------------------

async function takeFile(file) {
  if (!file) return;
  const name = file.name || "file";
  if (!/\.(html?|txt)$/i.test(name) && !/^text\/(html|plain)/.test(file.type)) {
    showMessage(`“${name}” is not an .html or .txt file.`);
    return;
  }
  if (file.size === 0) { showMessage(`“${name}” is empty.`); return; }
  if (file.size > state.limits.max_body_bytes) {
    showMessage(`“${name}” is ${formatSize(file.size)}; the limit is ${formatSize(state.limits.max_body_bytes)}.`);
    return;
  }
  const text = await file.text();
  $("article").value = text;
  state.file = { name, html: /\.html?$/i.test(name) || file.type === "text/html" };
  $("file-name").textContent = name;
  showMessage("");
}

function request() {
  const source = $("article").value;
  if (!source.trim()) return { error: "Paste a story or drop an .html or .txt file first." };
  const body = state.file?.html ? { html: source } : { text: source };
  const mode = document.querySelector('input[name="mode"]:checked').value;
  const limit = (id, max) => {
    const n = Number($(id).value);
    return Number.isInteger(n) && n >= 1 && n <= max ? n : null;
  };
  if (mode === "auto") {
    // no count: the model decides how many highlights the story needs
  } else if (mode === "count") {
    body.count = limit("count", 20);
    if (body.count === null) return { error: "Choose between 1 and 20 highlights." };
  } else {
    body.max_words = limit("max-words", 2000);
    body.count = 20; // the budget decides how many
    if (body.max_words === null) return { error: "Choose a word budget between 1 and 2000." };
  }
  if ($("model").value) body.model = $("model").value;
  if ($("facts").checked && !$("facts").disabled) body.facts = true;
  if ($("compress").checked) body.compress = true;
  const json = JSON.stringify(body);
  const size = new Blob([json]).size;
  if (size > state.limits.max_body_bytes) {
    return { error: `This article is ${formatSize(size)}; the limit is ${formatSize(state.limits.max_body_bytes)}.` };
  }
  return { json };
}

async function submit(event) {
  event.preventDefault();
  const { json, error } = request();
  if (error) { showMessage(error); return; }
  const button = $("submit");
  button.disabled = true;
  button.textContent = "Working…";
  showMessage("");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60000);
  try {
    const response = await apiFetch("/v1/brief", {
      method: "POST", headers: { "content-type": "application/json" }, body: json, signal: controller.signal,
    });
    const data = await response.json().catch(() => null);
    if (response.status === 401) {
      showMessage("This server needs an API key: enter it in the box above, then brief again.");
      return;
    }
    if (!response.ok) {
      const detail = data?.error?.message || response.statusText || "the server gave no reason";
      showMessage(response.status === 413 ? `The article is too large: ${detail}.` : `Could not brief this article: ${detail}.`);
      return;
    }
    renderBrief(data);
  } catch (e) {
    showMessage(e.name === "AbortError" ? "The server took too long to answer." : "Could not reach the server.");
  } finally {
    clearTimeout(timer);
    button.disabled = false;
    button.textContent = "Brief";
  }
}

function clearAll() {
  $("article").value = "";
  state.file = null;
  state.brief = null;
  $("file-name").textContent = "";
  $("file").value = "";
  $("brief").hidden = true;
  $("article-view").replaceChildren(el("p", "The article appears here, with the source of each highlight marked.", "muted"));
  showMessage("");
  $("article").focus();
}

export async function loadModels() {
  try {
    const response = await apiFetch("/v1/models");
    if (response.status === 401) return; // the key form is showing; it loads the models once a key is in
    const info = await response.json();
    state.limits = info.limits || state.limits;
    const select = $("model");
    select.replaceChildren();
    for (const name of info.models) {
      const option = el("option", name + (name === info.default ? " (default)" : ""));
      option.value = name;
      option.selected = name === info.default;
      select.append(option);
    }
    $("facts").disabled = !info.facts;
    $("facts-option").hidden = !info.facts;
    $("facts").checked = !!info.facts;
  } catch {
    showMessage("Could not reach the server: is `newsbrief serve` running?");
  }
}

export function initBrief() {
  $("brief-form").addEventListener("submit", submit);
  $("clear").addEventListener("click", clearAll);
  $("copy-md").addEventListener("click", copyMarkdown);
  $("download-json").addEventListener("click", downloadJson);
  $("file").addEventListener("change", (e) => takeFile(e.target.files[0]));
  $("article").addEventListener("input", () => {
    // Edited by hand: no longer the file's HTML as dropped.
    if (state.file) { state.file = null; $("file-name").textContent = ""; }
  });
  const drop = $("drop");
  const carriesFiles = (e) => Array.from(e.dataTransfer?.types || []).includes("Files");
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (e) => {
      if (!carriesFiles(e)) return; // dragged text drops into the box as usual
      e.preventDefault();
      drop.classList.add("dragging");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    drop.addEventListener(type, () => drop.classList.remove("dragging"));
  }
  drop.addEventListener("drop", (e) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    takeFile(e.dataTransfer.files[0]);
  });
  // A file dropped beside the box should not make the browser navigate away to it.
  window.addEventListener("dragover", (e) => { if (carriesFiles(e)) e.preventDefault(); });
  window.addEventListener("drop", (e) => { if (carriesFiles(e)) e.preventDefault(); });
  onKeySaved(() => { showMessage(""); loadModels(); });
  loadModels();
}
