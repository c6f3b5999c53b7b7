// A story from the archive, opened in the brief viewer: #/story/ID?highlight=RANK marks the highlight
// a search matched; #/story/ID?at=START-END marks a quote (offsets into the story's text).
import { getJSON, isAbort } from "./api.js";
import { showStory } from "./app.js";
import { entityHref } from "./entity.js";
import { $, cut, el, link, setTitle, timed } from "./ui.js";

let lastArchiveView = null; // the search, entity or map view the reader came from, for "← Back"

export function rememberArchiveView() {
  lastArchiveView = location.hash;
}

export function storyHref(id, { highlight, at } = {}) {
  const params = new URLSearchParams();
  if (highlight !== undefined && highlight !== null) params.set("highlight", highlight);
  if (at) params.set("at", `${at[0]}-${at[1]}`);
  const q = params.toString();
  return `#/story/${encodeURIComponent(id)}${q ? "?" + q : ""}`;
}

export async function openStory(id, params) {
  $("brief-form").hidden = true;
  $("story-bar").hidden = false;
  $("brief").hidden = true;
  // Nothing of the story before stays on show while this one loads.
  $("story-date").textContent = "";
  $("story-entities").replaceChildren();
  $("story-back").hidden = !lastArchiveView;
  if (lastArchiveView) $("story-back").href = lastArchiveView;
  if (!id) {
    $("article-view").replaceChildren(el("p", "The address names no story: a story's page is #/story/ followed by its id. Search the archive to find one.", "status error"));
    return;
  }
  $("article-view").replaceChildren(el("p", "Loading the story…", "muted status loading"));
  let story;
  try {
    story = await getJSON(`/v1/archive/stories/${encodeURIComponent(id)}`);
  } catch (e) {
    if (isAbort(e)) return;
    $("article-view").replaceChildren(el("p", e.status === 404 ? `No story “${cut(id, 80)}” in this archive.` : e.message, "status error"));
    setTitle("No such story");
    return;
  }
  setTitle(story.title || story.id);
  timed("story", () => renderStory(story, params));
}

function renderStory(story, params) {
  const highlight = params.get("highlight");
  const at = /^(\d+)-(\d+)$/.exec(params.get("at") || "");
  showStory(story, {
    highlight: highlight !== null && /^\d+$/.test(highlight) ? Number(highlight) : null,
    focus: at ? { start: Number(at[1]), end: Number(at[2]) } : null,
    back: lastArchiveView,
  });
  // Who and what the story names, each a link to its page across the archive.
  const names = $("story-entities");
  names.replaceChildren();
  const entities = (story.entities || []).filter((e) => e.entity !== null && e.entity !== undefined);
  if (entities.length) names.append(el("span", "In this story: ", "muted"));
  entities.forEach((e, i) => names.append(...(i ? [", "] : []), link(entityHref(e.entity), cut(e.name, 120))));
}
