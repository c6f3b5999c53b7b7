"""The archive on the page, in Debian's Chromium: search, an entity's page and the events map, against a
server started here on a small archive built with the archive's own API from committed briefs
(tests/fixtures/archive_page/briefs.jsonl, made by tools/archive_fixture.py from stories written for these
tests), plus 25 filler stories so that results run to two pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser_support import render_ms, shot, watched_page
from newsbrief.archive import Archive
from newsbrief.service import Settings, create_app
from newsbrief.service.security import hash_key

from service_support import live_server

BRIEFS = Path(__file__).parents[1] / "fixtures" / "archive_page" / "briefs.jsonl"
FILLER = 25


def one_highlight_brief(story_id: str, title: str, date: str, text: str, first_end: int) -> dict:
    """A brief with no facts whose one highlight is the text's first sentence, ending at `first_end`."""
    return {"schema": "newsbrief.brief/1", "id": story_id, "title": title, "date": date, "text": text,
            "highlights": [{"text": text[:first_end], "start": 0, "end": first_end, "sentence": 0, "score": 1.0}],
            "facts": {}}


def filler_brief(i: int) -> dict:
    text = f"The weather office issued report number {i} on Monday. Rain is expected in the hills."
    return one_highlight_brief(f"weather-{i:02d}", f"Weather report {i}", f"2013-{1 + i % 12:02d}-{1 + i:02d}",
                               text, text.index(" Rain"))


# A title far longer than any page line: 40 words, then one 300-letter "word" with no place to break.
LONG_TITLE = " ".join(["Floodwater"] + ["reaches the old town again"] * 8) + " " + "x" * 300


def long_title_brief() -> dict:
    text = "Floodwater reached the old town on Sunday. The river is still rising."
    first = text.index(" The river")
    return {"schema": "newsbrief.brief/1", "id": "long-title", "title": LONG_TITLE, "date": "2013-06-02", "text": text,
            "highlights": [{"text": text[:first], "start": 0, "end": first, "sentence": 0, "score": 1.0}], "facts": {}}


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    with Archive(path) as archive:
        for line in BRIEFS.read_text(encoding="utf-8").splitlines():
            archive.add(json.loads(line))
        for i in range(FILLER):
            archive.add(filler_brief(i))
        archive.add(long_title_brief())
    return path


@pytest.fixture(scope="module")
def server(archive_path):
    with live_server(create_app(Settings(workers=0, archive=str(archive_path)))) as url:
        yield url


@pytest.fixture(scope="module")
def entity_ids(archive_path):
    with Archive(archive_path) as archive:
        names = ("Noman Benotman", "Islamic State", "Tripoli", "Khalifa Haftar")
        ids = {name: archive.entities(name)["items"][0]["id"] for name in names}
        ids["Omar Khalil"] = next(e["entity"] for e in archive.story("hostile-1")["entities"] if "Khalil" in e["name"])
        return ids


@pytest.fixture
def page(request, browser, server):
    with watched_page(browser, request, viewport={"width": 1280, "height": 900}, locale="en-GB") as page:
        page.base = server
        yield page


def open_view(page, hash: str, view: str) -> None:
    """Go to a view's address and wait until it has rendered (ui.timed marks body[data-rendered])."""
    if page.url.startswith(page.base):  # the same document: only the address's hash changes
        page.evaluate("delete document.body.dataset.rendered")
    page.goto(page.base + "/" + hash)
    rendered(page, view)


def rendered(page, view: str) -> None:
    page.wait_for_selector(f"body[data-rendered='{view}']", state="attached")
    page.evaluate("delete document.body.dataset.rendered")


def test_search_finds_a_story_and_opens_it_with_its_highlight_marked(page):
    page.goto(page.base + "/")
    page.click("#nav-search")
    page.fill("#q", "bombing Benghazi")
    page.press("#q", "Enter")
    rendered(page, "search")
    assert page.url.endswith("#/search?q=bombing+Benghazi")  # the state is in the address
    assert page.inner_text("#search-status") == "1–1 of 1 story for “bombing Benghazi”"
    result = page.locator("#results li").first
    assert result.locator("h3").inner_text() == "Libya's parliament condemns Derna attacks"
    assert result.locator("time").inner_text() == "10 Nov 2014"
    assert result.locator(".snippet").inner_text() == "A suicide bombing in Benghazi killed 7 soldiers on Saturday, the army said."
    assert result.locator(".snippet mark.hit").all_inner_texts() == ["bombing", "Benghazi"]
    shot(page, "archive-01-search")

    result.locator("h3 a").click()
    page.wait_for_selector("mark.source.active")
    assert "#/story/derna-2?highlight=1" in page.url
    assert page.inner_text("mark.source.active") == "A suicide bombing in Benghazi killed 7 soldiers on Saturday, the army said."
    assert page.locator("mark.source").count() == 3
    assert page.inner_text("#highlights li.active") == page.inner_text("mark.source.active")
    assert page.inner_text("#story-date") == "10 Nov 2014"
    assert page.is_hidden("#brief-form")
    shot(page, "archive-02-story")
    page.click('#highlights button[data-highlight="0"]')  # another highlight: the address follows
    assert page.url.endswith("#/story/derna-2?highlight=0")
    page.click("#story-back")  # back to the same results
    rendered(page, "search")
    assert page.input_value("#q") == "bombing Benghazi"
    page.goto(page.base + "/#/story/derna-2?highlight=0")  # the address a colleague is sent
    page.reload()
    page.wait_for_selector("mark.source.active")
    assert page.get_attribute("mark.source.active", "data-highlight") == "0"


def test_search_filters_paging_and_empty_state(page):
    open_view(page, "#/search?q=Derna", "search")
    assert page.locator("#results li").count() == 4
    open_view(page, "#/search?q=Derna&from=2014-11-05", "search")  # a date range, from the address
    assert page.input_value("#search-from") == "2014-11-05"
    assert page.locator("#results h3").all_inner_texts() == ["Air strikes hit militant camps near Derna", "Libya's parliament condemns Derna attacks"]
    open_view(page, "#/search?q=Derna&entity=Haftar", "search")  # stories that name Khalifa Haftar
    assert page.locator("#results h3").all_inner_texts() == ["Air strikes hit militant camps near Derna"]
    assert page.inner_text("#search-status") == "1–1 of 1 story for “Derna” mentioning Haftar"

    open_view(page, "#/search?q=weather", "search")
    assert page.inner_text("#search-status") == "1–20 of 25 stories for “weather”"
    assert page.locator("#results li").count() == 20  # one page, never more
    page.click("#search-pager a.next")
    rendered(page, "search")
    assert page.url.endswith("page=2")
    assert page.locator("#results li").count() == 5
    assert page.inner_text("#search-status") == "21–25 of 25 stories for “weather”"
    assert page.inner_text("#search-pager .muted") == "Page 2 of 2"

    open_view(page, "#/search?q=Atlantis", "search")
    assert page.inner_text("#search-status") == "No stories mention “Atlantis”."
    assert page.locator("#results li").count() == 0


def test_entity_page_timeline_quotes_and_names(page, entity_ids):
    open_view(page, "#/search?q=Benotman", "search")
    page.click("#entity-matches a")  # the words name a person: his page
    rendered(page, "entity")
    assert page.url.endswith(f"#/entity/{entity_ids['Noman Benotman']}")
    assert page.inner_text("#entity-name") == "Noman Benotman"
    assert page.inner_text("#entity-about") == ("Person · a former Libyan jihadist who now works for the Quilliam "
                                               "Foundation in London — in 3 stories")
    # Three stories, 3 Nov to 2 Dec 2014: per day, the days between counted as zero.
    bars = page.locator("#timeline rect.bar")
    assert bars.count() == 30
    counts = {b.get_attribute("data-period"): int(b.get_attribute("data-count")) for b in bars.all()}
    assert {p: n for p, n in counts.items() if n} == {"2014-11-03": 1, "2014-11-10": 1, "2014-12-02": 1}
    assert page.inner_text("#timeline summary") == "Stories per day as a table"
    assert page.locator("#quotes-by blockquote").all_inner_texts() == [
        "“The state has lost control of the east,”",
        "“Derna is now the first city outside Syria and Iraq to pledge itself to the Islamic State,”",
    ]
    assert page.locator("#quotes-by .meta").first.inner_text() == (
        "— Noman Benotman · 10 Nov 2014 · Libya's parliament condemns Derna attacks")
    assert "Derna" in page.locator("#cooccurring a").all_inner_texts()
    shot(page, "archive-03-entity")
    page.click("#entity-search")  # the stories that name him, newest first
    rendered(page, "search")
    assert page.inner_text("#search-status") == "1–3 of 3 stories mentioning Noman Benotman"
    assert page.locator("#results h3").all_inner_texts() == [
        "Air strikes hit militant camps near Derna", "Libya's parliament condemns Derna attacks", "Militants tighten grip on Derna"]
    page.go_back()
    rendered(page, "entity")

    page.locator("#quotes-by .meta a").nth(1).click()  # the quote opens its story, marked
    page.wait_for_selector("#focus")
    assert page.inner_text("#focus") == "Derna is now the first city outside Syria and Iraq to pledge itself to the Islamic State,"

    open_view(page, f"#/entity/{entity_ids['Islamic State']}", "entity")  # "ISIS" in the story: one entity
    assert page.inner_text("#entity-name") == "Islamic State"
    assert page.inner_text("#entity-aliases") == "Also named: ISIS"
    assert page.inner_text("#quotes-by li") == "No quotes by Islamic State in the archive."


def map_points(page) -> dict[str, str]:
    return {a.get_attribute("aria-label").split(":")[0]: a.locator("circle").get_attribute("r")
            for a in page.locator("#map-points a").all()}


def test_map_points_filter_by_date_and_events(page):
    page.goto(page.base + "/")
    page.click("#nav-map")
    rendered(page, "map")
    points = map_points(page)
    assert sorted(points) == ["Aleppo, Syria", "Benghazi, Libya", "Derna, Libya", "Kabul, Afghanistan", "Tripoli, Libya"]
    assert float(points["Derna, Libya"]) > float(points["Kabul, Afghanistan"])  # two events against one
    assert page.inner_text("#map-caption") == ("5 places on the map; point area by number of events. 7 events in 7 stories, 70 killed. "
                                              "Show the whole world")
    assert page.inner_text("#map-unplaced") == "1 event in 1 story names no place. 1 event has no date (included above)."
    # Derna at its gazetteer coordinates (32.77 N, 22.64 E) in the map's frame.
    derna = page.locator('#map-points a[aria-label^="Derna"] circle')
    assert (derna.get_attribute("cx"), derna.get_attribute("cy")) == ("202.64", "57.23")
    shot(page, "archive-04-map")

    page.fill("#map-from", "2015-01-01")
    page.click("#map-submit")
    rendered(page, "map")
    assert page.url.endswith("#/map?from=2015-01-01")
    assert sorted(map_points(page)) == ["Aleppo, Syria", "Kabul, Afghanistan", "Tripoli, Libya"]
    assert page.inner_text("#map-unplaced") == "1 event has no date: show every date."

    page.check('#map-form input[value="killed"]')
    page.click("#map-submit")
    rendered(page, "map")
    points = map_points(page)
    assert float(points["Aleppo, Syria"]) > float(points["Kabul, Afghanistan"]) > float(points["Tripoli, Libya"])  # 30, 9, 3 killed

    page.fill("#map-from", "")
    page.fill("#map-kind", "bombing")  # the car bombing and the suicide bombings
    page.click("#map-submit")
    rendered(page, "map")
    assert page.url.endswith("#/map?kind=bombing&size=killed")
    assert page.locator("#places a").all_inner_texts() == ["Derna, Libya", "Kabul, Afghanistan", "Benghazi, Libya"]

    open_view(page, "#/map?size=killed", "map")
    page.click('#map-points a[aria-label^="Tripoli"]')  # a point lists its events
    rendered(page, "map")
    assert page.inner_text("#place-events-title") == "Events in Tripoli (1)"
    assert page.inner_text("#place-events .event-head") == "shooting — 3 killed"
    page.click("#place-events a")
    page.wait_for_selector("#focus")
    assert page.inner_text("#focus") == "A shooting in Tripoli killed 3 people on Saturday, police said."

    open_view(page, "#/map", "map")
    page.click("#map-unplaced a")  # the event with no place, reachable
    rendered(page, "map")
    assert page.inner_text("#place-events-title") == "Events with no place (1)"
    assert page.inner_text("#place-events .event-head") == "attack — 4 killed"


@pytest.mark.no_csp
def test_hostile_title_quotes_and_names_run_nothing(page, entity_ids):
    open_view(page, "#/search?q=note", "search")
    title = page.inner_text("#results h3")
    assert title == "<script>window.__pwned = 1</script> Note found <img src=x onerror='window.__pwned = 2'>"
    page.click("#results h3 a")
    page.wait_for_selector("mark.source")
    assert page.inner_text("#article-view h2") == title
    assert "<a href='javascript:window.__pwned = 3'>here</a>" in page.inner_text("#article-view")
    hostile = "Omar <img src=x onerror='window.__pwned = 4'> Khalil <script>window.__pwned = 5</script>"
    assert hostile in page.locator("#story-entities a").all_inner_texts()

    open_view(page, f"#/entity/{entity_ids['Omar Khalil']}", "entity")
    assert page.inner_text("#entity-name") == hostile
    assert page.title().startswith("Omar <img src=x onerror='window.__pwned = 4'> Khalil <script>")  # the tab's title: text
    assert page.evaluate("document.head.querySelectorAll('title *, script:not([src]), img').length") == 0
    assert page.inner_text("#quotes-by blockquote").startswith("“Click <a href='javascript:")
    open_view(page, "#/map?place=" + str(entity_ids["Tripoli"]), "map")
    assert page.inner_text("#place-events .meta a") == title
    for selector in ("#view-search", "#view-brief", "#view-entity", "#view-map"):
        assert page.locator(f"{selector} img, {selector} script, {selector} iframe, {selector} a[href^='javascript']").count() == 0
    for link in page.locator("a[href]").all():  # every link on the page stays on it
        assert link.get_attribute("href").startswith(("#", "/")), link.get_attribute("href")
    assert page.evaluate("window.__pwned") is None


CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex='0']"


# A control as the keyboard meets it: a radio group is one stop (arrow keys move inside it).
DESCRIBE = """(e) => e.type === 'radio' ? 'radio group ' + e.name : e.outerHTML.slice(0, 160)"""


def tab_through(page, limit: int = 300) -> set[str]:
    """Press Tab round the whole page (past the browser's own stop, back to the first control)."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        described = page.evaluate(f"""() => {{ const e = document.activeElement;
            return e === document.body || e === null ? null : ({DESCRIBE})(e); }}""")
        if described is not None and seen and described == seen[0]:
            break
        if described is not None:
            seen.append(described)
    return set(seen)


def visible_controls(page) -> list[str]:
    return page.evaluate(f"""() => [...document.querySelectorAll("{CONTROLS}")]
        .filter((e) => e.getClientRects().length && !e.closest('[hidden]') && !e.disabled && getComputedStyle(e).visibility !== 'hidden')
        .map({DESCRIBE})""")


@pytest.mark.parametrize("hash,view", [("#/search?q=Derna", "search"), ("#/entity/{Noman Benotman}", "entity"),
                                       ("#/map?place={Tripoli}", "map"), ("#/story/derna-1?highlight=1", "story")])
def test_keyboard_alone_reaches_every_control(page, entity_ids, hash, view):
    for name, id in entity_ids.items():
        hash = hash.replace("{" + name + "}", str(id))
    open_view(page, hash, view)
    reached = tab_through(page)
    controls = visible_controls(page)
    assert len(controls) > 10
    missing = [c for c in controls if c not in reached]
    assert missing == []
    # Every form field has a label a screen reader reads.
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('main:not([hidden]) input, main:not([hidden]) select')]
        .filter((e) => !e.labels?.length && !e.getAttribute('aria-label')).map((e) => e.id || e.name)""")
    assert unlabelled == []


def test_keyboard_search_and_open_a_result(page):
    page.goto(page.base + "/#/search")
    page.wait_for_selector("#search-status:not([hidden])")
    page.focus("#q")
    page.keyboard.type("Kabul")
    page.keyboard.press("Enter")
    rendered(page, "search")
    page.keyboard.press("Tab")  # from the box: the date fields, the entity, the button, then the results
    for _ in range(30):  # each date field is three stops (day, month, year)
        if page.evaluate("document.activeElement.classList.contains('result-title')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("mark.source.active")
    assert page.inner_text("mark.source.active") == "A suicide bombing in Kabul killed 9 people on Friday, the Afghan interior ministry said."


def test_each_view_renders_well_under_half_a_second(page, entity_ids):
    """The best of three renders of each view (one busy moment of a shared machine is not the page's time)."""
    for hash, view in (("#/search?q=said", "search"), (f"#/entity/{entity_ids['Noman Benotman']}", "entity"), ("#/map", "map")):
        times = []
        for _ in range(3):
            page.goto("about:blank")
            open_view(page, hash, view)
            times.append(render_ms(page, view))
        assert 0 < min(times) < 500, (view, times)


def test_without_an_archive_the_views_say_so(browser):
    with live_server(create_app(Settings(workers=0))) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/#/search?q=Derna")
        page.wait_for_selector("#search-status.error")
        assert page.inner_text("#search-status") == "This server has no archive: start it with `newsbrief serve --archive DB`."
        context.close()


@pytest.mark.parametrize("hash,view", [("#/search?q=Derna", "search"), ("#/entity/{Noman Benotman}", "entity"), ("#/map", "map")])
def test_phone_width_has_no_sideways_scroll(browser, server, entity_ids, request, hash, view):
    for name, id in entity_ids.items():
        hash = hash.replace("{" + name + "}", str(id))
    with watched_page(browser, request, viewport={"width": 390, "height": 844}, is_mobile=True) as page:
        page.base = server
        open_view(page, hash, view)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, f"archive-phone-{view}")


# --- the service's keys: the archive views behind them, usable ---------------------------------------

KEY = "archive-desk-key"


@pytest.fixture(scope="module")
def keyed_server(archive_path):
    with live_server(create_app(Settings(workers=0, archive=str(archive_path), keys=hash_key(KEY)))) as url:
        yield url


@pytest.mark.parametrize("hash,view", [("#/search?q=Derna", "search"), ("#/entity/{Noman Benotman}", "entity"),
                                       ("#/map?place={Tripoli}", "map"), ("#/story/derna-2?highlight=1", "story")])
def test_a_keyed_server_asks_for_the_key_in_every_view_then_shows_it(browser, keyed_server, entity_ids, request, hash, view):
    for name, id in entity_ids.items():
        hash = hash.replace("{" + name + "}", str(id))
    with watched_page(browser, request, viewport={"width": 1280, "height": 900}, locale="en-GB") as page:
        page.goto(keyed_server + "/" + hash)
        page.wait_for_selector("#key-form:not([hidden])")
        # Below the header, whatever the view; the box has the focus and a label.
        assert page.evaluate("document.querySelector('header').compareDocumentPosition(document.getElementById('key-form'))") == 4
        assert page.evaluate("document.activeElement.id") == "api-key"
        assert page.evaluate("document.getElementById('api-key').labels[0].textContent") == "API key"
        assert page.inner_text("#key-message") == "This server needs an API key."
        page.keyboard.type("not-the-key")
        page.keyboard.press("Enter")
        page.wait_for_selector("#key-message:has-text('did not accept')")
        assert page.inner_text("#key-message") == "The server did not accept this key: enter another."
        if view != "story":
            assert page.inner_text(f"#{view}-status") == "This server needs an API key: enter it in the box above."
        page.fill("#api-key", KEY)
        page.press("#api-key", "Enter")  # the same view, asked again with the key
        page.wait_for_selector({"search": "#results li", "entity": "#cooccurring a", "map": "#place-events li",
                                "story": "mark.source.active"}[view])
        if view == "entity":
            page.wait_for_selector("#quotes-by blockquote")
        assert page.is_hidden("#key-form")
        assert page.url == keyed_server + "/" + hash
        if view == "search":
            assert page.inner_text("#search-status") == "1–4 of 4 stories for “Derna”"
        elif view == "entity":
            assert page.inner_text("#entity-name") == "Noman Benotman"
            assert page.locator("#quotes-by blockquote").count() == 2
            assert page.locator("#cooccurring a").count() > 3
        elif view == "map":
            assert page.locator("#map-points a").count() == 5
            assert page.inner_text("#place-events-title") == "Events in Tripoli (1)"
        else:
            assert page.inner_text("mark.source.active") == "A suicide bombing in Benghazi killed 7 soldiers on Saturday, the army said."
        # The key stays for the tab: the other views open without asking again.
        page.click("#nav-map")
        rendered(page, "map")
        assert page.is_hidden("#key-form")
        assert page.locator("#map-points a").count() == 5
        shot(page, f"archive-keyed-{view}")


def test_the_key_form_is_reached_by_keyboard(browser, keyed_server, request):
    with watched_page(browser, request, viewport={"width": 1280, "height": 900}) as page:
        page.goto(keyed_server + "/#/map")
        page.wait_for_selector("#key-form:not([hidden])")
        reached = tab_through(page)
        assert any('id="api-key"' in c for c in reached)
        assert any('id="key-submit"' in c for c in reached)
        assert [c for c in visible_controls(page) if c not in reached] == []


# --- clear states for what an address or an archive can hold ------------------------------------------


@pytest.mark.parametrize("address,text", [
    ("#/entity/", "The address names no entity: an entity's page is #/entity/ followed by its number. Search the archive."),
    ("#/entity/abc", "“abc” is not an entity's number. Search the archive for “abc”."),
    ("#/entity/99999", "No entity number 99999 in this archive. Search the archive."),
])
def test_an_entity_address_that_names_none_says_so(page, address, text):
    open_view(page, address, "entity")
    assert page.inner_text("#entity-status") == text
    assert page.get_attribute("#entity-status", "class") == "status error"
    assert page.is_hidden("#entity")
    assert page.title() == "No such entity — newsbrief"
    page.click("#entity-status a")  # a way on: the search, with the words when there were some
    page.wait_for_selector("#view-search:not([hidden])")
    assert page.input_value("#q") == ("abc" if address.endswith("abc") else "")


def test_a_page_past_the_end_says_so_and_offers_the_last(page):
    open_view(page, "#/search?q=weather&page=99", "search")
    assert page.inner_text("#search-status") == "Page 99 is past the end: 25 stories for “weather” fill 2 pages."
    assert page.locator("#results li").count() == 0
    page.click("#search-pager a")
    rendered(page, "search")
    assert page.url.endswith("#/search?q=weather&page=2")
    assert page.inner_text("#search-status") == "21–25 of 25 stories for “weather”"


def test_an_empty_map_says_so_on_the_map(page):
    open_view(page, "#/map?from=2030-01-01", "map")
    assert page.is_visible("#map-empty")
    assert page.inner_text("#map-empty") == "No casualty events since 1 Jan 2030."
    assert page.locator("#map-points a").count() == 0
    assert page.inner_text("#places") == "No places."
    assert page.locator("#map-caption a").count() == 0  # no "fit the map" to nothing
    assert page.title() == "since 1 Jan 2030 — Events map — newsbrief"
    open_view(page, "#/map?kind=earthquake", "map")
    assert page.inner_text("#map-empty") == "No casualty events “earthquake”."
    open_view(page, "#/map", "map")  # events again: the message goes
    assert page.is_hidden("#map-empty")


def test_a_one_day_timeline_is_a_sentence_not_a_lone_bar(page, entity_ids):
    open_view(page, f"#/entity/{entity_ids['Khalifa Haftar']}", "entity")
    assert page.inner_text("#timeline .timeline-one") == "Its one dated story is from 2 Dec 2014."
    assert page.locator("#timeline rect.bar").count() == 0
    assert page.title() == "Khalifa Haftar — newsbrief"


def test_a_very_long_title_is_cut_in_lists_and_whole_on_its_page(browser, server, request):
    for width in (1280, 390):
        with watched_page(browser, request, viewport={"width": width, "height": 900}, locale="en-GB") as page:
            page.base = server
            open_view(page, "#/search?q=floodwater", "search")
            title = page.locator("#results a.result-title")
            shown = title.inner_text()
            assert shown.endswith(" …") and len(shown) < 220 and LONG_TITLE.startswith(shown[:-2])
            assert title.get_attribute("title") == LONG_TITLE  # the whole of it, on hover
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            title.click()
            page.wait_for_selector("mark.source.active")
            assert page.inner_text("#article-view h2") == LONG_TITLE
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # wrapped, even the 300-letter word
            heading = page.evaluate("(() => { const r = document.querySelector('#article-view h2').getBoundingClientRect(); return r.right; })()")
            assert heading <= width
            assert page.title() == LONG_TITLE[:80].rsplit(" ", 1)[0] + " … — newsbrief"
            shot(page, f"archive-long-title-{width}")


def test_no_stale_header_while_the_next_view_loads(page, entity_ids):
    """The entity (or story) on show goes the moment the reader opens another, not when its answer comes."""
    benotman, haftar = entity_ids["Noman Benotman"], entity_ids["Khalifa Haftar"]
    open_view(page, f"#/entity/{benotman}", "entity")
    assert page.inner_text("#entity-name") == "Noman Benotman"
    held = []
    page.route(f"**/v1/archive/entities/{haftar}", lambda route: held.append(route))  # the next entity's answer, held back
    page.evaluate(f"location.hash = '#/entity/{haftar}'")
    page.wait_for_selector("#entity-status:text-is('Loading…')")
    while not held:
        page.wait_for_timeout(20)
    assert page.is_hidden("#entity")  # not Benotman's page under a loading line
    assert page.inner_text("#entity-name") == ""
    assert page.title() == "Entity — newsbrief"
    held[0].continue_()
    rendered(page, "entity")
    assert page.inner_text("#entity-name") == "Khalifa Haftar"
    page.unroute(f"**/v1/archive/entities/{haftar}")

    open_view(page, "#/story/derna-2", "story")
    assert page.inner_text("#story-date") == "10 Nov 2014"
    held.clear()
    page.route("**/v1/archive/stories/kabul-1", lambda route: held.append(route))
    page.evaluate("location.hash = '#/story/kabul-1'")
    while not held:
        page.wait_for_timeout(20)
    assert page.inner_text("#article-view") == "Loading the story…"
    assert page.inner_text("#story-date") == ""
    assert page.inner_text("#story-entities") == ""
    assert page.is_hidden("#brief")
    held[0].continue_()
    rendered(page, "story")
    assert page.inner_text("#article-view h2") != "Libya's parliament condemns Derna attacks"


# --- an archive past the counts: "over 1,000", never a wrong number -----------------------------------

HARBOUR = 1030  # stories that say "harbour": more than the archive counts (1,000)


def harbour_brief(i: int) -> dict:
    text = f"Boats left the harbour at dawn, the port office said in notice {i}. The sea was calm."
    return one_highlight_brief(f"harbour-{i:04d}", f"Harbour notice {i}", f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}",
                               text, text.index(" The sea"))


@pytest.fixture(scope="module")
def large_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("large") / "archive.db"
    with Archive(path) as archive:
        for story, error in archive.add_many(((harbour_brief(i), {}) for i in range(HARBOUR)), per_transaction=500):
            assert error is None, (story, error)
    with live_server(create_app(Settings(workers=0, archive=str(path)))) as url:
        yield url


def test_a_total_the_archive_stopped_counting_shows_as_over_1000(browser, large_server, request):
    with watched_page(browser, request, viewport={"width": 1280, "height": 900}, locale="en-GB") as page:
        page.base = large_server
        open_view(page, "#/search?q=harbour", "search")
        assert page.inner_text("#search-status") == "1–20 of over 1,000 stories for “harbour”"
        assert page.inner_text("#search-pager .muted") == "Page 1 of over 50"
        assert page.locator("#results li").count() == 20
        open_view(page, "#/search?q=harbour&page=50", "search")  # the last page the archive ranked
        assert page.inner_text("#search-status") == "981–1,000 of over 1,000 stories for “harbour”"
        page.click("#search-pager a.next")
        rendered(page, "search")
        assert page.inner_text("#search-status") == (
            "Page 51 is past the 1,000 newest of over 1,000 stories for “harbour”: add dates or a name to narrow the search.")
        assert page.inner_text("#search-pager a") == "Go to page 50, the last ranked"
        open_view(page, "#/search?q=harbour&from=2016-03-01&to=2016-03-31", "search")  # narrowed: counted again
        assert page.inner_text("#search-status") == (
            f"1–20 of {sum(1 for i in range(HARBOUR) if i % 12 == 2)} stories for “harbour” from 1 Mar 2016 to 31 Mar 2016")
