// Casualty events on a world map: #/map?from=DATE&to=DATE&kind=KIND&size=events|killed&place=ID.
// The outlines ship with the page (world.json, Natural Earth via world-atlas: see tools/world_outlines.py);
// nothing is loaded from any other server. One point per place, its area proportional to its events or
// its killed; the list beside the map holds the same places, and a place's events open their stories.
import { getJSON, isAbort } from "./api.js";
import { rememberArchiveView, storyHref } from "./story.js";
import { $, cut, el, formatDate, formatNumber, hashFor, link, pager, plural, setStatus, setTitle, svg, timed } from "./ui.js";

const EVENTS_PAGE = 20;
const MAX_RADIUS = 7; // in degrees of the map's frame
const MIN_RADIUS = 1.1;
let world = null;
const countryPoints = new Map(); // ISO code → [x, y]: where events placed in a whole country go

export function initMap() {
  $("map-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const { size, ...filters } = formState();
    location.hash = hrefFor(filters, size, null, 1);
  });
}

function formState() {
  return {
    from: $("map-from").value,
    to: $("map-to").value,
    kind: $("map-kind").value.trim(),
    size: document.querySelector('#map-form input[name="size"]:checked').value,
  };
}

async function drawWorld() {
  if (world) return;
  const outlines = await (await fetch("/static/world.json")).json();
  const map = $("map");
  const land = svg("g", { class: "land", "aria-hidden": "true" });
  for (const c of outlines.countries) {
    if (c.iso) countryPoints.set(c.iso, c.at);
    const path = svg("path", { d: c.d });
    path.append(svg("title"));
    path.firstChild.textContent = c.name;
    land.append(path);
  }
  map.replaceChildren(svg("rect", { class: "sea", x: -360, y: -150, width: 1080, height: 450, "aria-hidden": "true" }), land,
    svg("g", { class: "points", id: "map-points" }));
  world = outlines;
}

export async function showMap(_id, query) {
  rememberArchiveView();
  const filters = { from: query.get("from") || "", to: query.get("to") || "", kind: query.get("kind") || "" };
  const size = query.get("size") === "killed" ? "killed" : "events";
  const place = /^(none|[1-9]\d{0,17})$/.test(query.get("place") || "") ? query.get("place") : null; // else: no place picked
  wholeWorld = query.get("world") === "1";
  const page = Math.max(1, Number.parseInt(query.get("page") || "1", 10) || 1);
  $("map-from").value = filters.from;
  $("map-to").value = filters.to;
  $("map-kind").value = filters.kind;
  document.querySelector(`#map-form input[name="size"][value="${size}"]`).checked = true;
  const status = $("map-status");
  setTitle(describeFilters(filters), "Events map");
  setStatus(status, "Loading events…", "loading");
  $("map-empty").hidden = true;
  let places, events = null;
  try {
    await drawWorld();
    places = await getJSON("/v1/archive/events/places", filters);
    if (place) {
      events = await getJSON("/v1/archive/events", { ...filters, place_entity: place, limit: EVENTS_PAGE, offset: (page - 1) * EVENTS_PAGE }, { cancelPrevious: false });
    }
  } catch (e) {
    if (isAbort(e)) return;
    setStatus(status, e.message, "error");
    return;
  }
  timed("map", () => {
    renderPoints(places, filters, size, place, wholeWorld);
    renderPlaces(places, filters, size, place);
    renderEvents(events, places, filters, size, place, page);
    renderKinds(places.kinds || []);
  });
}

// "bombing from 1 Jan 2015 to 31 Mar 2015", for the tab's title and the empty map's message.
function describeFilters(filters) {
  const parts = [];
  if (filters.kind) parts.push(`“${filters.kind}”`);
  if (filters.from && filters.to) parts.push(`from ${formatDate(filters.from)} to ${formatDate(filters.to)}`);
  else if (filters.from) parts.push(`since ${formatDate(filters.from)}`);
  else if (filters.to) parts.push(`until ${formatDate(filters.to)}`);
  return parts.join(" ");
}

let wholeWorld = false; // #/map?world=1: the whole world, not the view fitted to the points
const hrefFor = (filters, size, place, page, world = wholeWorld) =>
  hashFor("map", null, { ...filters, size: size === "events" ? "" : size, place, page: page > 1 ? page : "", world: world ? 1 : "" });

const regions = new Intl.DisplayNames(undefined, { type: "region", fallback: "code" });

function placeName(p) {
  let country = null;
  try { country = p.country ? regions.of(p.country) : null; } catch { country = p.country; }
  return p.name + (country && country !== p.name ? ", " + country : "");
}

function describePlace(p) {
  return `${placeName(p)}: ${plural(p.events, "event")}, ${formatNumber(p.killed || 0)} killed`;
}

// Where a place goes in the map's frame: its coordinates, or for a country (which the gazetteer gives
// none) the point inside its outline; null for a place the map cannot show.
function position(p) {
  if (Number.isFinite(p.latitude) && Number.isFinite(p.longitude)) return [p.longitude + 180, 90 - p.latitude];
  if (p.country && !p.admin1 && countryPoints.has(p.country)) return countryPoints.get(p.country);
  return null;
}

// The view fitted to the points (with a margin), in the world's proportions; the whole world when the
// points spread over most of it.
function fit(xy) {
  if (!xy.length) return [0, 0, 360, 150];
  const xs = xy.map((p) => p[0]), ys = xy.map((p) => p[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs) - 12, Math.max(...xs) + 12, Math.min(...ys) - 8, Math.max(...ys) + 8];
  let w = Math.max(x1 - x0, 48, (y1 - y0) * 2.4);
  if (w >= 250) return [0, 0, 360, 150];
  const h = w / 2.4;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  x0 = Math.min(Math.max(cx - w / 2, 0), 360 - w);
  y0 = Math.min(Math.max(cy - h / 2, 0), 150 - h);
  return [x0, y0, w, h];
}

function renderPoints(answer, filters, size, selected, wholeWorld) {
  const points = $("map-points");
  const placed = answer.places.map((p) => ({ ...p, xy: position(p) })).filter((p) => p.xy);
  const value = (p) => (size === "killed" ? p.killed || 0 : p.events);
  const max = Math.max(1, ...placed.map(value));
  const box = wholeWorld ? [0, 0, 360, 150] : fit(placed.map((p) => p.xy));
  $("map").setAttribute("viewBox", box.map((n) => n.toFixed(1)).join(" "));
  const scale = box[2] / 360; // the same size on screen at any zoom
  // Biggest first, so a small point drawn after a big one stays clickable on top of it.
  placed.sort((a, b) => value(b) - value(a));
  points.replaceChildren(...placed.map((p) => {
    const a = svg("a", { href: hrefFor(filters, size, p.id, 1), class: "point" + (String(p.id) === selected ? " selected" : "") });
    a.setAttribute("aria-label", describePlace(p));
    if (String(p.id) === selected) a.setAttribute("aria-current", "true");
    a.dataset.place = p.id;
    const r = scale * Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(value(p) / max));
    const circle = svg("circle", { cx: p.xy[0].toFixed(2), cy: p.xy[1].toFixed(2), r: r.toFixed(2) });
    const tip = svg("title");
    tip.textContent = describePlace(p);
    circle.append(tip);
    a.append(circle);
    return a;
  }));
  const totals = answer.totals || {};
  const caption = $("map-caption");
  caption.replaceChildren(`${plural(placed.length, "place")} on the map; point area by ${size === "killed" ? "number killed" : "number of events"}. ` +
    `${plural(totals.events ?? 0, "event")} in ${plural(totals.stories ?? 0, "story", "stories")}, ${formatNumber(totals.killed ?? 0)} killed.`);
  if (placed.length) caption.append(" ", link(hrefFor(filters, size, selected, 1, !wholeWorld), wholeWorld ? "Fit the map to the events" : "Show the whole world", "zoom"));
  // No point to draw: said on the map itself, where the reader looks, with the filters that caused it.
  const empty = $("map-empty");
  empty.hidden = placed.length > 0;
  if (!placed.length) {
    const filtered = describeFilters(filters);
    const noPlace = answer.unplaced?.events;
    empty.textContent = noPlace ? `No event ${filtered ? filtered + " " : ""}has a place on the map: see the list beside it.`
      : totals.events === 0 && !filtered ? "No casualty events in this archive." : `No casualty events ${filtered}.`;
  }
  setStatus($("map-status"), "");
}

// The places as a list (the keyboard's and screen reader's way to the same points), and the events that
// have no place or no coordinates, counted and reachable.
function renderPlaces(answer, filters, size, selected) {
  const list = $("places");
  const value = (p) => (size === "killed" ? p.killed || 0 : p.events);
  const places = [...(answer.places || [])].sort((a, b) => value(b) - value(a) || a.name.localeCompare(b.name));
  list.replaceChildren(...places.map((p) => {
    const item = el("li");
    const a = link(hrefFor(filters, size, p.id, 1), cut(placeName(p), 120));
    if (String(p.id) === selected) a.setAttribute("aria-current", "true");
    item.append(a, el("span", ` ${plural(p.events, "event")} · ${formatNumber(p.killed || 0)} killed` +
      (position(p) ? "" : " · not on the map (no coordinates)"), "muted"));
    return item;
  }));
  if (!places.length) list.append(el("li", "No places.", "muted empty"));
  const unplaced = $("map-unplaced");
  unplaced.replaceChildren();
  const none = answer.unplaced || {};
  if (none.events) {
    unplaced.append(link(hrefFor(filters, size, "none", 1), `${plural(none.events, "event")} in ${plural(none.stories ?? 0, "story", "stories")} ${none.events === 1 ? "names" : "name"} no place`), ".");
  }
  if (answer.undated?.events) {
    // Events with no date are on the map until a date filter leaves them out; the link brings them back.
    const n = answer.undated.events;
    const text = `${plural(n, "event")} ${n === 1 ? "has" : "have"} no date`;
    unplaced.append(" ", filters.from || filters.to
      ? link(hrefFor({ ...filters, from: "", to: "" }, size, selected, 1), text + ": show every date")
      : el("span", text + " (included above)"), ".");
  }
}

function renderEvents(answer, places, filters, size, selected, page) {
  const panel = $("place-events-panel");
  if (!selected || !answer) { panel.hidden = true; return; }
  const place = places.places.find((p) => String(p.id) === selected);
  const name = selected === "none" ? "Events with no place" : place ? `Events in ${cut(place.name, 120)}` : "Events";
  const items = answer.items;
  $("place-events-title").textContent = selected !== "none" && !place
    ? `No events at place ${cut(selected, 40)} with these filters`
    : `${name} (${answer.total_is_lower_bound ? "over " : ""}${formatNumber(answer.total)})`;
  $("place-events").replaceChildren(...items.map((e) => {
    const item = el("li");
    const counts = [];
    for (const [count, word] of [[e.killed, "killed"], [e.wounded, "wounded"]]) {
      if (count) counts.push(`${count.value !== null ? formatNumber(count.value) : count.text} ${word}`);
    }
    const head = el("p", null, "event-head");
    head.append(el("strong", e.kind || "event"), counts.length ? " — " + counts.join(", ") : "");
    const meta = el("p", null, "meta");
    meta.append(el("time", formatDate(e.date)), " · ");
    meta.append(link(storyHref(e.story, { at: [e.start, e.end] }), cut(e.title || e.story)));
    item.append(head, meta);
    return item;
  }));
  if (!items.length) $("place-events").append(el("li", "No events.", "muted empty"));
  const more = items.length === EVENTS_PAGE && (answer.total_is_lower_bound || page * EVENTS_PAGE < answer.total);
  $("place-events-pager").replaceChildren(more || page > 1 ? pager("Event pages", page, (p) => hrefFor(filters, size, selected, p), answer, EVENTS_PAGE) : "");
  panel.hidden = false;
}

function renderKinds(kinds) {
  $("map-kinds").replaceChildren(...kinds.map((k) => {
    const option = el("option");
    option.value = typeof k === "string" ? k : k.kind;
    return option;
  }));
}
