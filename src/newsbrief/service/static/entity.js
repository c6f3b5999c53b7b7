// An entity's page: #/entity/ID?said=N&about=N. Its name, type and aliases; its stories over time as a
// bar chart (per day, week or month, chosen by the span of dates); what it said and what was said about
// it, each quote opening its story at the quote; the entities that appear with it most.
import { getJSON, isAbort } from "./api.js";
import { rememberArchiveView, storyHref } from "./story.js";
import { $, cut, el, formatDate, formatNumber, hashFor, link, pager, parseDate, plural, rendered, setStatus, setTitle, svg, timed } from "./ui.js";

const QUOTES_PAGE = 10;
const QUOTE_CHARS = 280;
const TYPES = { person: "Person", organization: "Organisation", place: "Place", group: "Group" };

export const entityHref = (id) => hashFor("entity", id);
export const entityType = (type) => (TYPES[type] || type || "").toLowerCase();

// Per day up to two months of dates, per week up to two years, per month beyond: the months come
// first (one small answer whatever the span), then days or weeks when the span is short enough.
export function bucketFor(first, last) {
  const a = parseDate(first), b = parseDate(last);
  if (!a || !b) return "month";
  const days = (b.date - a.date) / 86400000 + 31; // months: from the first month's start to the last's end
  return days <= 62 ? "day" : days <= 731 ? "week" : "month";
}

async function loadTimeline(base) {
  const opts = { cancelPrevious: false };
  const months = await getJSON(`${base}/timeline`, { per: "month", limit: 200 }, opts);
  const items = months.items;
  const per = items.length ? bucketFor(items[0].month, items[items.length - 1].month) : "month";
  return per === "month" ? months : getJSON(`${base}/timeline`, { per, limit: 200 }, opts);
}

let visit = 0; // the entity page on show: answers for one the reader has left are dropped
let shown = null; // the id of the entity whose page is drawn

// An answer or its error, never an unhandled rejection (a section's answer may fail after the reader left).
const settle = (promise) => promise.then((data) => ({ data }), (error) => ({ error }));

// An address that names no entity: what it holds, and a way on.
function noEntity(text, search) {
  shown = null;
  $("entity").hidden = true;
  const status = $("entity-status");
  setStatus(status, text, "error");
  status.append(" ", link(hashFor("search", null, search ? { q: search } : {}), search ? `Search the archive for “${cut(search, 60)}”` : "Search the archive"), ".");
  setTitle("No such entity");
  rendered("entity");
}

// The name first (one row), then each section as its answer comes: on a large archive the entities that
// appear with a frequent one take longest, and the rest need not wait for them.
export async function showEntity(id, params) {
  rememberArchiveView();
  const mine = ++visit;
  if (!id) return noEntity("The address names no entity: an entity's page is #/entity/ followed by its number.");
  if (!/^[1-9]\d{0,17}$/.test(id)) return noEntity(`“${cut(id, 60)}” is not an entity's number.`, id);
  const status = $("entity-status");
  const said = Math.max(1, Number.parseInt(params.get("said") || "1", 10) || 1);
  const about = Math.max(1, Number.parseInt(params.get("about") || "1", 10) || 1);
  if (shown !== id) {
    // Another entity: the one on show goes at once, so its name never heads the new one's page.
    shown = null;
    $("entity").hidden = true;
    $("entity-name").textContent = "";
  }
  setStatus(status, "Loading…", "loading");
  const base = `/v1/archive/entities/${encodeURIComponent(id)}`;
  const opts = { cancelPrevious: false };
  const entityAnswer = getJSON(base);
  const sections = [
    [$("timeline"), settle(loadTimeline(base)), renderTimeline],
    [$("quotes-by"), settle(getJSON("/v1/archive/quotes", { speaker_entity: id, limit: QUOTES_PAGE, offset: (said - 1) * QUOTES_PAGE }, opts)),
      (answer) => renderQuotes($("quotes-by"), $("quotes-by-pager"), answer, said, href("said"), `No quotes by ${entity.name} in the archive.`)],
    [$("quotes-about"), settle(getJSON("/v1/archive/quotes", { about: id, limit: QUOTES_PAGE, offset: (about - 1) * QUOTES_PAGE }, opts)),
      (answer) => renderQuotes($("quotes-about"), $("quotes-about-pager"), answer, about, href("about"), `No quotes about ${entity.name} in the archive.`)],
    [$("cooccurring"), settle(getJSON(`${base}/cooccurring`, { limit: 15 }, opts)), renderTogether],
  ];
  const href = (key) => (p) => hashFor("entity", id, { said, about, [key]: p });
  let entity;
  try {
    entity = await entityAnswer;
  } catch (e) {
    if (isAbort(e) || mine !== visit) return;
    if (e.status === 404) return noEntity(`No entity number ${id} in this archive.`);
    shown = null;
    $("entity").hidden = true;
    setStatus(status, e.message, "error");
    rendered("entity");
    return;
  }
  if (mine !== visit) return;
  const sameEntity = shown === id;
  shown = id;
  setTitle(entity.name);
  timed("entity", () => {
    setStatus(status, "");
    renderEntity(entity);
    if (!sameEntity) for (const [box] of sections) box.replaceChildren(el(box.tagName === "OL" ? "li" : "p", "Loading…", "muted empty"));
    for (const pager of ["quotes-by-pager", "quotes-about-pager"]) $(pager).replaceChildren();
    $("entity").hidden = false;
  }, false);
  if (!document.activeElement || document.activeElement === document.body || !document.activeElement.offsetParent) {
    $("entity-name").focus();
  }
  await Promise.all(sections.map(async ([box, answer, render]) => {
    const { data, error } = await answer;
    if (mine !== visit || isAbort(error)) return;
    if (error) box.replaceChildren(el(box.tagName === "OL" ? "li" : "p", error.message, "status error"));
    else timed("entity", () => render(data), false);
  }));
  if (mine === visit) rendered("entity");
}

function renderEntity(e) {
  $("entity-name").textContent = e.name;
  $("entity-name").tabIndex = -1;
  const about = [TYPES[e.type] || e.type, e.description, e.country].filter(Boolean).join(" · ");
  $("entity-about").textContent = `${about} — in ${plural(e.stories ?? 0, "story", "stories")}`;
  const same = (a) => a.toLowerCase().replace(/\s+/g, " ").trim();
  const aliases = (e.names || []).filter((a) => same(a) !== same(e.name));
  $("entity-aliases").textContent = aliases.length ? "Also named: " + aliases.join(", ") : "";
  $("entity-aliases").hidden = !aliases.length;
  $("entity-search").href = hashFor("search", null, { entity: e.name });
}

const BUCKET_WORDS = { day: "day", week: "week", month: "month" };

function periodLabel(period, by) {
  if (by === "week") return "week of " + formatDate(period, "day");
  return formatDate(period, by === "month" ? "month" : "day");
}

// The periods between the first and the last with no story are counted as zero, so that the chart's
// axis is time.
function everyPeriod(counts, by) {
  if (counts.length < 2) return counts;
  const known = new Map(counts.map((c) => [c.period, c.stories]));
  const out = [];
  const last = counts[counts.length - 1].period;
  const at = parseDate(counts[0].period).date;
  for (let period = counts[0].period; out.length < 400; ) {
    out.push({ period, stories: known.get(period) || 0 });
    if (period >= last) break;
    if (by === "month") at.setUTCMonth(at.getUTCMonth() + 1);
    else at.setUTCDate(at.getUTCDate() + (by === "week" ? 7 : 1));
    period = at.toISOString().slice(0, by === "month" ? 7 : 10);
  }
  return out;
}

// The chart, and the same counts as a table a screen reader can read (and anyone can open).
function renderTimeline(timeline) {
  const box = $("timeline");
  const by = timeline.per;
  const counts = everyPeriod(timeline.items.map((item) => ({ period: item[by], stories: item.stories })), by);
  box.replaceChildren();
  if (!counts.length) {
    box.append(el("p", "No dated stories.", "muted"));
  } else if (counts.length === 1) {
    // One day (or week, or month) only: a chart of one bar would say nothing a sentence cannot.
    const only = counts[0];
    const label = periodLabel(only.period, by);
    box.append(el("p", only.stories === 1 ? `Its one dated story is from ${by === "week" ? "the " : ""}${label}.`
      : `All ${formatNumber(only.stories)} dated stories are from one ${by}: ${by === "week" ? "the " : ""}${label}.`, "timeline-one"));
  } else {
    const max = Math.max(...counts.map((c) => c.stories));
    const width = 720, height = 160, left = 36, bottom = 22;
    const step = (width - left) / Math.max(counts.length, 12); // a few periods: narrow bars, not slabs
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "timeline-chart", role: "img",
      "aria-label": `Stories per ${BUCKET_WORDS[by]}: the table below has the numbers` });
    chart.append(svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: "axis" }));
    const yMax = svg("text", { x: left - 6, y: 12, "text-anchor": "end", class: "tick" });
    yMax.textContent = formatNumber(max);
    chart.append(yMax);
    counts.forEach((c, i) => {
      const h = max ? ((height - bottom - 16) * c.stories) / max : 0;
      const bar = svg("rect", { x: left + i * step + step * 0.1, y: height - bottom - h, width: Math.max(step * 0.8, 0.5), height: h, class: "bar" });
      bar.dataset.period = c.period;
      bar.dataset.count = c.stories;
      const tip = svg("title");
      tip.textContent = `${periodLabel(c.period, by)}: ${plural(c.stories, "story", "stories")}`;
      bar.append(tip);
      chart.append(bar);
    });
    for (const [i, anchor] of [[0, "start"], [counts.length - 1, "end"]]) {
      const label = svg("text", { x: anchor === "start" ? left : width, y: height - 6, "text-anchor": anchor, class: "tick" });
      label.textContent = formatDate(counts[i].period, by === "month" ? "month" : "day");
      chart.append(label);
    }
    box.append(chart);
  }
  const details = el("details", null, "timeline-table");
  details.append(el("summary", `Stories per ${BUCKET_WORDS[by]} as a table`));
  const table = el("table");
  const head = el("tr");
  head.append(el("th", BUCKET_WORDS[by][0].toUpperCase() + BUCKET_WORDS[by].slice(1)), el("th", "Stories"));
  table.append(head);
  for (const c of counts) {
    const row = el("tr");
    row.append(el("td", periodLabel(c.period, by)), el("td", formatNumber(c.stories)));
    table.append(row);
  }
  details.append(table);
  box.append(details);
  if (timeline.undated) box.append(el("p", `${plural(timeline.undated, "story", "stories")} without a date are not on the chart.`, "muted"));
}

function renderQuotes(list, pagerBox, answer, page, hrefFor, emptyText) {
  const items = answer.items;
  list.replaceChildren(...items.map(quoteItem));
  if (!items.length) list.append(el("li", page > 1 ? "No more quotes." : emptyText, "muted empty"));
  const more = items.length === QUOTES_PAGE && (answer.total_is_lower_bound || page * QUOTES_PAGE < answer.total);
  pagerBox.replaceChildren(items.length && (more || page > 1) ? pager("Quote pages", page, hrefFor, answer, QUOTES_PAGE) : "");
}

function quoteItem(q) {
  const item = el("li");
  const block = el("blockquote");
  // A long quote is cut here; its link opens the story with all of it marked.
  const text = q.text.length > QUOTE_CHARS ? q.text.slice(0, QUOTE_CHARS).replace(/\s+\S*$/, "") + " …" : q.text;
  block.append(el("span", "“" + text + "”"));
  item.append(block);
  const cite = el("p", null, "meta");
  if (q.speaker) cite.append(el("span", "— " + cut(q.speaker, 120) + " · "));
  cite.append(el("time", formatDate(q.date)), " · ");
  cite.append(link(storyHref(q.story, { at: [q.start, q.end] }), cut(q.title || q.story)));
  item.append(cite);
  return item;
}

function renderTogether(answer) {
  const items = answer.items;
  const list = $("cooccurring");
  list.replaceChildren(...items.map((e) => {
    const item = el("li");
    item.append(link(entityHref(e.id), cut(e.name, 120)), el("span", ` ${TYPES[e.type] || e.type || ""} · in ${plural(e.together, "story", "stories")} together`, "muted"));
    return item;
  }));
  if (!items.length) list.append(el("li", "No other entities in its stories.", "muted empty"));
}
