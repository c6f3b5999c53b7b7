// Small helpers every view shares. Stored strings reach the page only through textContent and text
// nodes, never as markup: stories come from outside.

export const $ = (id) => document.getElementById(id);

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

// A stored title or name can run to any length: lists show its start (the whole of it in a tooltip, and
// on the story's own page).
export function cut(text, max = 200) {
  text = String(text ?? "");
  if (text.length <= max) return text;
  return text.slice(0, max).replace(/\s+\S{0,30}$/, "") + " …"; // not mid-word, unless the word is huge
}

// The browser tab and history name the view on show (its words, its entity), never the view before.
export function setTitle(...parts) {
  const named = parts.filter(Boolean).map((p) => cut(p, 80));
  document.title = [...named, "newsbrief"].join(" — ");
}

export function link(href, text, className) {
  const a = el("a", text, className);
  a.href = href;
  return a;
}

const SVG = "http://www.w3.org/2000/svg";
export function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

// --- numbers and dates for the reader ---------------------------------------------------------------

const numbers = new Intl.NumberFormat();
export const formatNumber = (n) => numbers.format(n);

// Dates are calendar dates ("2014-11-03", "2014-11", "2014"), shown without any time-zone shift.
const DATE_FORMATS = {
  day: new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }),
  month: new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", timeZone: "UTC" }),
  year: new Intl.DateTimeFormat(undefined, { year: "numeric", timeZone: "UTC" }),
};

export function parseDate(iso) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso || "");
  if (!m) return null;
  const precision = m[3] ? "day" : m[2] ? "month" : "year";
  return { date: new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1)), precision };
}

export function formatDate(iso, precision) {
  const parsed = parseDate(iso);
  if (!parsed) return iso ? String(iso) : "no date";
  return DATE_FORMATS[precision || parsed.precision].format(parsed.date);
}

export function plural(n, one, many) {
  return `${formatNumber(n)} ${n === 1 ? one : many || one + "s"}`;
}

// --- the search words, marked -----------------------------------------------------------------------

// Folded as the archive's index folds: lower case, diacritics removed, so "zurich" marks "Zürich".
const fold = (s) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

export function queryWords(query) {
  const words = (query || "").match(/[\p{L}\p{N}]+/gu) || [];
  const skip = new Set(["and", "or", "not", "near"]); // FTS operators, not words to find
  return [...new Set(words.filter((w) => !skip.has(w.toLowerCase())).map(fold))];
}

// The text as a fragment of text nodes, with each word that starts with a search word in a <mark>.
export function markWords(text, words, className = "hit") {
  const fragment = document.createDocumentFragment();
  text = String(text ?? "");
  if (!words.length) { fragment.append(text); return fragment; }
  // Fold character by character, remembering where each folded unit came from.
  let folded = "";
  const origin = [];
  for (let i = 0; i < text.length; i++) {
    const f = fold(text[i]);
    folded += f;
    for (let k = 0; k < f.length; k++) origin.push(i);
  }
  origin.push(text.length);
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join("|")})[\\p{L}\\p{N}]*`, "gu");
  let at = 0;
  for (const match of folded.matchAll(pattern)) {
    const start = origin[match.index];
    const end = origin[match.index + match[0].length];
    fragment.append(text.slice(at, start), el("mark", text.slice(start, end), className));
    at = end;
  }
  fragment.append(text.slice(at));
  return fragment;
}

// --- state in the address ---------------------------------------------------------------------------

// "#/search?q=derna&page=2" → { view: "search", id: null, params }. "#/entity/42" → view "entity", id "42".
export function parseHash(hash) {
  const [path, query = ""] = (hash || "").replace(/^#/, "").split("?", 2);
  const [view = "", ...rest] = path.replace(/^\//, "").split("/");
  return { view, id: rest.length ? decodeURIComponent(rest.join("/")) : null, params: new URLSearchParams(query) };
}

export function hashFor(view, id, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") query.set(k, v);
  const q = query.toString();
  return `#/${view}${id !== null && id !== undefined ? "/" + encodeURIComponent(id) : ""}${q ? "?" + q : ""}`;
}

// --- loading, empty and error states ----------------------------------------------------------------

export function setStatus(node, text, kind) {
  node.textContent = text || "";
  node.className = "status" + (kind ? " " + kind : "");
  node.hidden = !text;
}

// A page's total as the archive counted it: on a large archive counting stops (at 1,000), and the answer
// says so with `total_is_lower_bound`: then the page says "over 1,000", never a wrong number.
export function total(answer, one, many) {
  return (answer.total_is_lower_bound ? "over " : "") + plural(answer.total, one, many);
}

// Page links (not buttons): each page has its own address, and the browser's back button goes back.
// `answer` is the page's answer ({total, total_is_lower_bound, items}); there is a next page while this one
// is full and the count says there are more (or stopped counting).
export function pager(label, page, hrefFor, answer, pageSize) {
  const nav = el("nav", null, "pager");
  nav.setAttribute("aria-label", label);
  const lower = !!answer.total_is_lower_bound;
  const hasNext = answer.items.length === pageSize && (lower || page * pageSize < answer.total);
  if (page > 1) nav.append(link(hrefFor(page - 1), "← Previous", "previous"));
  const pages = Math.max(1, Math.ceil(answer.total / pageSize));
  nav.append(el("span", `Page ${formatNumber(page)} of ${lower ? "over " : ""}${formatNumber(pages)}`, "muted"));
  if (hasNext) nav.append(link(hrefFor(page + 1), "Next →", "next"));
  return nav;
}

// Render timing for the benchmark and the tests: from the answer's arrival to the view painted (the
// measure ends after the next frame, so style and layout are counted, not only building the DOM). A view
// drawn in parts has one measure per part.
export function timed(name, render, done = true) {
  const start = performance.now();
  const result = render();
  afterPaint(() => performance.measure("render:" + name, { start, end: performance.now() }));
  if (done) rendered(name);
  return result;
}

// The view is drawn: body[data-rendered=NAME], after the frame that shows it.
export function rendered(name) {
  afterPaint(() => { document.body.dataset.rendered = name; });
}

const afterPaint = (callback) => requestAnimationFrame(() => setTimeout(callback));
