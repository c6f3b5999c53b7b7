// The page's entry: one view at a time, chosen by the address (#/search?q=…, #/entity/42, #/map?…,
// #/story/ID), so every view can be shared as a link and the back button works.
import { initKeyForm, onKeySaved } from "./api.js";
import { initBrief, showPasteForm } from "./app.js";
import { showEntity } from "./entity.js";
import { initMap, showMap } from "./map.js";
import { initSearch, showSearch } from "./search.js";
import { openStory } from "./story.js";
import { parseHash, setTitle } from "./ui.js";

const VIEWS = {
  "": { main: "view-brief", nav: "nav-brief", title: null, show: showPasteForm },
  story: { main: "view-brief", nav: null, title: "Story", show: openStory },
  search: { main: "view-search", nav: "nav-search", title: "Search the archive", show: showSearch },
  entity: { main: "view-entity", nav: null, title: "Entity", show: showEntity },
  map: { main: "view-map", nav: "nav-map", title: "Events map", show: showMap },
};

function route() {
  const { view, id, params } = parseHash(location.hash);
  const target = VIEWS[view] || VIEWS[""];
  for (const main of document.querySelectorAll("main.view")) main.hidden = main.id !== target.main;
  for (const a of document.querySelectorAll("nav.views a")) {
    if (a.id === target.nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  setTitle(target.title); // the view's own name until its answer names it better
  target.show(id, params);
}

document.addEventListener("DOMContentLoaded", () => {
  initKeyForm();
  initBrief();
  initSearch();
  initMap();
  onKeySaved(route); // the view the missing key stopped, asked again
  window.addEventListener("hashchange", route);
  route();
});
