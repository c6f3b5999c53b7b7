"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright.

Screenshots go to artifacts/browser/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import shot, watched_page
from newsbrief.service import Settings, create_app

from service_support import ARTICLE, EMOJI_ARTICLE, HTML_PAGE, XSS_ARTICLE, live_server


@pytest.fixture(scope="module")
def server():
    with live_server(create_app(Settings(workers=1))) as url:  # as served: the model in a worker process
        yield url


@pytest.fixture
def page(request, browser, server):
    with watched_page(browser, request, viewport={"width": 1280, "height": 800}) as page:
        page.goto(server + "/")
        page.wait_for_selector("#model option", state="attached")  # /v1/models answered: the page is ready
        yield page


def brief(page, text: str, count: int = 3):
    page.fill("#article", text)
    page.locator('input[name="mode"][value="count"]').check()
    page.fill("#count", str(count))
    page.click("#submit")
    page.wait_for_selector("#highlights li button")
    return page.locator("#highlights li button")


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect(), box = el.closest('.article-view').getBoundingClientRect();
        return r.top >= Math.max(0, box.top) - 1 && r.bottom <= Math.min(innerHeight, box.bottom) + 1;
    }""")


def test_paste_highlights_click_marks_the_source(page, server):
    # A long article, so the last highlight's source starts out of sight.
    long_article = ARTICLE + "\n\n" + "\n\n".join(
        f"Paragraph {i} adds detail about the repairs, the cost and the town's plans for spring." for i in range(1, 40)
    )
    page.select_option("#model", "lead")
    buttons = brief(page, long_article, count=3)
    page.fill("#count", "3")
    page.locator('input[name="mode"][value="count"]').check()
    assert buttons.count() == 3
    assert buttons.nth(0).inner_text() == "Flood barriers on the River Wend held overnight as water rose to its highest level in 40 years."
    assert page.locator("mark.source").count() == 3
    assert page.locator("mark.source.active").count() == 0
    shot(page, "01-highlights")

    page.evaluate("document.querySelector('.article-view').scrollTop = 1e6")  # look elsewhere first
    buttons.nth(2).click()
    marked = page.locator("mark.source.active")
    assert marked.count() == 1
    assert marked.get_attribute("id") == "source-2"
    assert marked.inner_text() == "About 2,000 homes in the lower town were evacuated on Saturday as a precaution."
    page.wait_for_function("""() => {
        const r = document.querySelector('#source-2').getBoundingClientRect();
        const box = document.querySelector('.article-view').getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
    }""", timeout=5000)
    assert in_view(page, "#source-2")
    shot(page, "02-source-marked")

    buttons.nth(0).click()
    assert page.locator("mark.source.active").get_attribute("id") == "source-0"  # one mark at a time


@pytest.mark.no_csp
def test_story_with_markup_renders_as_inert_text(page):
    buttons = brief(page, XSS_ARTICLE, count=3)
    assert buttons.count() == 3
    assert page.evaluate("window.__pwned") is None
    # The markup is on the page as characters, not as elements.
    assert page.locator("#article-view img, #article-view script, #article-view iframe, #article-view b").count() == 0
    assert page.locator("#highlights img, #highlights script, #highlights iframe").count() == 0
    view = page.inner_text("#article-view")
    assert '<img src=x onerror="window.__pwned = 2">' in view
    assert "<script>window.__pwned = 1</script>" in view
    assert buttons.nth(1).inner_text().startswith("A second message contained <img src=x onerror=")
    buttons.nth(1).click()
    assert page.evaluate("window.__pwned") is None
    shot(page, "03-markup-inert")


@pytest.mark.no_csp
def test_html_file_title_and_markup_stay_text(page, tmp_path):
    hostile = HTML_PAGE.replace("Bridge reopens after repairs", "&lt;img src=x onerror=alert(1)&gt; Bridge")
    path = tmp_path / "bridge.html"
    path.write_text(hostile, encoding="utf-8")
    page.set_input_files("#file", str(path))
    page.wait_for_function("() => document.querySelector('#file-name').textContent === 'bridge.html'")
    page.select_option("#model", "lead")
    page.click("#submit")
    page.wait_for_selector("#highlights li button")
    assert page.inner_text("#article-view h2") == "<img src=x onerror=alert(1)> Bridge"
    assert page.locator("#article-view img").count() == 0
    assert "Copyright" not in page.inner_text("#article-view")  # the page's boilerplate was removed


def test_emoji_before_a_highlight_keeps_the_mark_on_its_sentence(page):
    page.select_option("#model", "lead")
    buttons = brief(page, EMOJI_ARTICLE, count=3)
    buttons.nth(2).click()
    assert page.inner_text("mark.source.active") == "Tickets for the final sold out within an hour, organisers said."
    assert page.inner_text("#source-1") == "The home side won 3-1 after a late goal from the 19-year-old striker 😀."


def test_empty_and_oversized_input_get_clear_messages(page):
    page.click("#submit")
    assert page.inner_text("#message") == "Paste a story or drop an .html or .txt file first."
    page.fill("#article", "word " * 500_000)  # 2.5 MB: over the 2 MB limit, caught before sending
    page.click("#submit")
    assert page.inner_text("#message") == "This article is 2.4 MB; the limit is 2.0 MB."
    page.fill("#article", "   ")
    page.click("#submit")
    assert page.inner_text("#message") == "Paste a story or drop an .html or .txt file first."
    page.fill("#article", "<html><body><script>var a = 1;</script></body></html>")
    page.click("#submit")
    page.wait_for_function("() => document.querySelector('#message').textContent.startsWith('Could not')")
    assert page.inner_text("#message") == "Could not brief this article: no article text found in the HTML page."
    shot(page, "04-message")


def test_word_budget_copy_and_download(page):
    page.select_option("#model", "lead")
    page.locator('input[name="mode"][value="words"]').check()
    page.fill("#max-words", "30")
    page.fill("#article", ARTICLE)
    page.click("#submit")
    page.wait_for_selector("#highlights li button")
    assert page.locator("#highlights li button").count() == 2
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy-md")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "- Flood barriers on the River Wend held overnight as water rose to its highest level in 40 years.\n"
        '- "We were lucky this time," said Mayor Ana Ruiz.\n'
    )
    with page.expect_download() as download:
        page.click("#download-json")
    assert download.value.suggested_filename == "newsbrief-article.json"
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert '"schema": "newsbrief.brief/1"' in saved


def test_phone_width_has_no_sideways_scroll(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(server + "/")
    page.wait_for_selector("#model option", state="attached")
    page.select_option("#model", "lead")
    brief(page, ARTICLE, count=3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    form = page.locator("#brief-form").bounding_box()
    article = page.locator("#article-view").bounding_box()
    assert article["y"] > form["y"]  # stacked, not side by side
    page.locator("#highlights li button").nth(1).click()
    assert page.locator("mark.source.active").get_attribute("id") == "source-1"
    shot(page, "05-phone")
    context.close()


# The facts panel is tested against a canned answer, so it holds whatever the facts module returns:
# entities grouped by type, quotes with speakers, numbers, casualties, and keys it has never seen.
CANNED_FACTS = {
    "entities": [
        {"id": "e1", "name": "Ana Ruiz", "type": "person", "role": "mayor", "mentions": 2, "spans": [[289, 297]]},
        {"id": "e2", "name": "River Wend", "type": "place", "role": None, "mentions": 1},
        {"id": "e3", "name": "<img src=x onerror=\"window.__pwned = 4\">", "type": "organization", "mentions": 1},
    ],
    "quotes": [{"text": "We were lucky this time,", "start": 259, "end": 283, "speaker": "Ana Ruiz", "speaker_id": "e1"}],
    "quantities": [{"text": "About 2,000", "value": 2000, "counts": "homes", "start": 177, "end": 188}],
    "casualties": [{"kind": "flood", "killed": None, "wounded": {"value": 3, "text": "three"}, "place": "Wend", "date": "Saturday"}],
    "weather": {"rain_mm": 80, "warnings": ["amber", "red"]},
}


def test_facts_panel_with_the_real_facts(page):
    if page.is_hidden("#facts-option"):
        pytest.skip("the facts module is not installed")
    assert page.is_checked("#facts")  # on by default when the server has facts
    page.select_option("#model", "lead")
    brief(page, ARTICLE, count=2)
    assert page.inner_text('[data-fact="people"] li') == "Ana Ruiz · Mayor"
    assert page.inner_text('[data-fact="places"] li') == "River Wend"
    assert page.inner_text('[data-fact="quotes"] blockquote') == "“We were lucky this time,”\n— Ana Ruiz"
    assert page.inner_text('[data-fact="numbers"] li') == "About 2,000 — homes"
    shot(page, "07-real-facts")


def test_facts_panel_renders_any_facts_as_text(page):
    def canned(route):
        response = route.fetch()
        brief = response.json()
        brief["facts"] = CANNED_FACTS
        route.fulfill(response=response, json=brief)

    page.route("**/v1/brief", canned)
    page.select_option("#model", "lead")
    brief(page, ARTICLE, count=2)
    panel = page.locator("#facts-panel")
    assert panel.is_visible()
    titles = page.locator("#facts-body h3").all_inner_texts()
    assert [t.lower() for t in titles] == ["people", "organisations", "places", "quotes", "numbers", "casualties", "weather"]
    assert page.inner_text('[data-fact="people"] li') == "Ana Ruiz · mayor · 2 mentions"
    assert page.inner_text('[data-fact="quotes"] blockquote') == "“We were lucky this time,”\n— Ana Ruiz"
    assert page.inner_text('[data-fact="numbers"] li') == "About 2,000 — homes"
    assert page.inner_text('[data-fact="casualties"] li') == "Flood — 3 wounded, Wend, Saturday"
    assert "amber" in page.inner_text('[data-fact="weather"]')
    assert page.inner_text('[data-fact="organisations"] li') == '<img src=x onerror="window.__pwned = 4">'
    assert page.locator("#facts-panel img").count() == 0 and page.evaluate("window.__pwned") is None
    shot(page, "06-facts")


def drop_file(page, name: str, content: str, type: str) -> None:
    """Drop a file on the article box, as a person dragging it from their desktop would."""
    page.evaluate(
        """([name, content, type]) => {
            const data = new DataTransfer();
            data.items.add(new File([content], name, { type }));
            const box = document.querySelector('#drop');
            for (const kind of ['dragenter', 'dragover', 'drop']) {
                box.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, cancelable: true }));
            }
        }""",
        [name, content, type],
    )


def test_dropped_files(page):
    drop_file(page, "report.pdf", "%PDF-1.4", "application/pdf")
    assert page.inner_text("#message") == "“report.pdf” is not an .html or .txt file."
    drop_file(page, "bridge.html", HTML_PAGE, "text/html")
    page.wait_for_function("() => document.querySelector('#file-name').textContent === 'bridge.html'")
    assert page.is_hidden("#message")
    page.select_option("#model", "lead")
    page.click("#submit")
    page.wait_for_selector("#highlights li button")
    assert page.inner_text("#article-view h2") == "Bridge reopens after repairs"
    assert page.locator("#highlights li button").nth(0).inner_text().startswith("The Kessel Bridge reopened")


def test_the_page_asks_for_the_key_when_the_server_needs_one(browser, tmp_path):
    from newsbrief.service.security import hash_key

    keys = tmp_path / "keys.txt"
    keys.write_text(f"{hash_key('nb_browser-key')} desk\n")
    with live_server(create_app(Settings(keys_file=str(keys), model="lead"))) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/")
        page.wait_for_selector("#key-form:not([hidden])")
        assert page.text_content("#key-message") == "This server needs an API key."
        assert page.locator("#model option").count() == 0
        page.fill("#api-key", "nb_wrong")
        page.click("#key-form button")
        page.wait_for_function("document.querySelector('#key-message').textContent.includes('did not accept')")
        assert page.is_visible("#key-form")
        page.fill("#api-key", "nb_browser-key")
        page.click("#key-form button")
        page.wait_for_selector("#model option", state="attached")
        assert page.is_hidden("#key-form")
        highlights = brief(page, ARTICLE, count=2)
        assert highlights.count() == 2
        shot(page, "key-accepted")
        # The key is kept for this tab only, and never lands in the page's HTML.
        assert page.evaluate("sessionStorage.getItem('newsbrief.api-key')") == "nb_browser-key"
        assert "nb_browser-key" not in page.content()
        context.close()
        assert errors == []
