// Search: #/search?q=WORDS&from=DATE&to=DATE&entity=NAME&page=N. One page of ranked stories at a time,
// each with its title, date and best-matching highlight, the search words marked.
import { getJSON, isAbort } from "./api.js";
import { entityHref, entityType } from "./entity.js";
import { rememberArchiveView, storyHref } from "./story.js";
import { $, cut, el, formatDate, formatNumber, hashFor, link, markWords, pager, plural, queryWords, setStatus, setTitle, timed, total as counted } from "./ui.js";

export const PAGE_SIZE = 20;
const FIELDS = { q: "q", from: "search-from", to: "search-to", entity: "search-entity" };

export function initSearch() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const params = {};
    for (const [name, id] of Object.entries(FIELDS)) params[name] = $(id).value.trim();
    location.hash = hashFor("search", null, params); // the address holds the state; route() renders it
  });
}

function describe(params) {
  const parts = [];
  if (params.q) parts.push(`“${params.q}”`);
  if (params.entity) parts.push(`mentioning ${params.entity}`);
  if (params.from || params.to) {
    parts.push(params.from && params.to ? `from ${formatDate(params.from)} to ${formatDate(params.to)}`
      : params.from ? `since ${formatDate(params.from)}` : `until ${formatDate(params.to)}`);
  }
  return parts.join(" ");
}

export async function showSearch(_id, query) {
  rememberArchiveView();
  const params = {};
  for (const [name, id] of Object.entries(FIELDS)) {
    params[name] = query.get(name) || "";
    $(id).value = params[name];
  }
  const page = Math.max(1, Number.parseInt(query.get("page") || "1", 10) || 1);
  const status = $("search-status");
  const results = $("results");
  if (!params.q && !params.entity) {
    results.replaceChildren();
    $("search-pager").replaceChildren();
    $("entity-matches").hidden = true;
    setStatus(status, "Type words to find, or the name of a person, group or place.");
    return;
  }
  setTitle(describe(params), page > 1 ? `page ${formatNumber(page)}` : null, "Search");
  setStatus(status, `Searching ${params.q ? "for" : "stories"} ${describe(params)}…`, "loading");
  // The results on show are the last search's until the answer comes: dimmed and marked busy.
  results.classList.add("stale");
  results.setAttribute("aria-busy", "true");
  let answer, entities;
  try {
    [answer, entities] = await Promise.all([
      getJSON("/v1/archive/search", { ...params, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      // The words may name a person, group or place: offer its page too.
      params.q && page === 1
        ? getJSON("/v1/archive/entities", { name: params.q, limit: 5 }, { cancelPrevious: false }).catch(() => null)
        : null,
    ]);
  } catch (e) {
    if (isAbort(e)) return;
    setStatus(status, e.message, "error");
    results.replaceChildren();
    results.classList.remove("stale");
    results.removeAttribute("aria-busy");
    $("search-pager").replaceChildren();
    $("entity-matches").hidden = true;
    return;
  }
  timed("search", () => {
    renderEntityMatches(entities);
    renderResults(answer, params, page);
  });
}

function renderEntityMatches(answer) {
  const box = $("entity-matches");
  const items = answer?.items || [];
  box.replaceChildren();
  box.hidden = !items.length;
  if (!items.length) return;
  box.append(el("span", items.length === 1 ? "Its page: " : "Their pages: ", "muted"));
  items.forEach((e, i) => {
    if (i) box.append(", ");
    box.append(link(entityHref(e.id), e.name), el("span", ` (${entityType(e.type)}, ${plural(e.stories, "story", "stories")})`, "muted"));
  });
}

function renderResults(answer, params, page) {
  const status = $("search-status");
  const results = $("results");
  const words = queryWords(params.q);
  const items = answer.items || [];
  results.start = (page - 1) * PAGE_SIZE + 1;
  results.replaceChildren(...items.map((story) => resultItem(story, words)));
  results.classList.remove("stale");
  results.removeAttribute("aria-busy");
  const stories = counted(answer, "story", "stories");
  const what = (params.q ? "for " : "") + describe(params);
  const hrefFor = (p) => hashFor("search", null, { ...params, page: p > 1 ? p : "" });
  const lower = !!answer.total_is_lower_bound;
  if (!items.length && page > 1 && answer.total > 0) {
    // An address past the last page (an old link, a hand-edited number): say so, and offer the last page.
    // Where the archive stopped counting, only the newest it counted are ranked: narrow the search instead.
    const last = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
    setStatus(status, lower
      ? `Page ${formatNumber(page)} is past the ${formatNumber(answer.total)} newest of ${stories} ${what}: add dates or a name to narrow the search.`
      : `Page ${formatNumber(page)} is past the end: ${stories} ${what} fill ${plural(last, "page")}.`, "empty");
    $("search-pager").replaceChildren(link(hrefFor(last), `Go to page ${formatNumber(last)}, the last${lower ? " ranked" : ""}`, "last"));
    return;
  }
  if (!items.length) {
    setStatus(status, params.q ? `No stories mention ${describe(params)}.` : `No stories ${what}.`, "empty");
  } else {
    const first = (page - 1) * PAGE_SIZE + 1;
    const range = `${formatNumber(first)}–${formatNumber(first + items.length - 1)}`;
    setStatus(status, `${range} of ${stories} ${what}`);
  }
  $("search-pager").replaceChildren(items.length ? pager("Result pages", page, hrefFor, answer, PAGE_SIZE) : "");
}

// The match is a highlight (opened with it marked), a place in the text (opened there), or the title.
function resultItem(story, words) {
  const item = el("li", null, "result");
  const match = story.match || {};
  const href = storyHref(story.story, {
    highlight: match.in === "highlight" ? match.highlight : null,
    at: match.in === "text" ? [match.start, match.end] : null,
  });
  const title = link(href, null, "result-title");
  const full = story.title || story.story;
  title.append(markWords(cut(full), words));
  if (full.length > 200) title.title = full;
  const heading = el("h3");
  heading.append(title);
  const meta = el("p", null, "meta");
  const time = el("time", formatDate(story.date));
  if (story.date) time.dateTime = story.date;
  meta.append(time);
  if (story.source) meta.append(" · " + story.source);
  item.append(heading, meta);
  const text = match.in === "highlight" ? match.text : match.in === "text" ? "…" + match.context + "…" : null;
  if (text) {
    const snippet = el("p", null, "snippet");
    snippet.append(markWords(text, words));
    item.append(snippet);
  }
  return item;
}
