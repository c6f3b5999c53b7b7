"""`newsbrief highlights URL`, `newsbrief facts URL` and `newsbrief batch --urls`: a page by its address
gives the brief of its saved file, and every failed fetch one line and a non-zero exit, or its error
record. Pages come from a server on 127.0.0.1 (tests/web_support.py), reached with
--allow-private-addresses; nothing is sent beyond loopback."""

from __future__ import annotations

import json

import pytest

from newsbrief.cli import main

from conftest import FIXTURES
from web_support import closed_port

SAVED = str(FIXTURES / "web" / "harbour.html")
PRIVATE = "--allow-private-addresses"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("model", [None, "lead"])
def test_highlights_by_url_are_those_of_the_saved_page(capsys, web_pages, model):
    options = ["--format", "json", "--facts"] + (["--model", model] if model else [])
    code, by_url, _ = run(capsys, "highlights", f"{web_pages}/harbour.html", PRIVATE, *options)
    assert code == 0
    code, by_file, _ = run(capsys, "highlights", SAVED, *options)
    assert code == 0
    assert by_url == by_file
    brief = json.loads(by_url)
    assert brief["title"] == "Storm surge floods Harwick harbour as sea wall fails"
    if model == "lead":  # pinned with the baseline, which a retrained model does not change
        assert [(h["text"], h["start"], h["end"]) for h in brief["highlights"]] == PINNED_LEAD


def test_the_text_output_by_url(capsys, web_pages):
    code, by_url, _ = run(capsys, "highlights", f"{web_pages}/harbour.html", PRIVATE, "--model", "lead", "--count", "2")
    assert (code, by_url) == (0, "".join(f"• {text}\n" for text, _, _ in PINNED_LEAD[:2]))


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_facts_by_url_are_those_of_the_saved_page(capsys, web_pages, fmt):
    code, by_url, _ = run(capsys, "facts", f"{web_pages}/harbour.html", PRIVATE, "--format", fmt)
    assert code == 0
    code, by_file, _ = run(capsys, "facts", SAVED, "--format", fmt)
    assert by_url == by_file
    if fmt == "json":
        facts = json.loads(by_url)["facts"]
        assert PINNED_QUOTE in [(q["text"], q["start"], q["end"], q.get("speaker")) for q in facts["quotes"]]


FAILURES = [
    ("/missing.html", "the page answered HTTP 404"),
    ("/broken", "the page answered HTTP 500"),
    ("/report.pdf", "not an HTML page (the server says it is application/pdf)"),
    ("/huge", "the page is larger than the 10 MB limit"),
    ("/loop", "the page redirected more than 5 times"),
    ("/slow", "the page did not arrive within 2 s"),
]


@pytest.mark.parametrize("command", ["highlights", "facts"])
@pytest.mark.parametrize("path, message", FAILURES)
def test_a_failed_fetch_is_one_line_and_exit_1(capsys, web_pages, command, path, message):
    timeout = "2" if path == "/slow" else "20"  # /slow would take 20 s; the others must not hit the deadline
    code, out, err = run(capsys, command, f"{web_pages}{path}", PRIVATE, "--fetch-timeout", timeout)
    assert (code, out, err) == (1, "", f"newsbrief: error: {web_pages}{path}: {message}\n")


def test_refused_and_private_addresses_from_the_command_line(capsys, web_pages):
    url = f"http://127.0.0.1:{closed_port()}/"
    code, _, err = run(capsys, "highlights", url, PRIVATE)
    assert (code, err) == (1, f"newsbrief: error: {url}: the page could not be fetched: the server gave no usable answer "
                              "(the connection was refused)\n")
    code, _, err = run(capsys, "highlights", f"{web_pages}/harbour.html")  # without the flag: public pages only
    assert code == 1
    assert err.endswith("only public pages can be fetched; give --allow-private-addresses to fetch from your own network\n")


def test_batch_of_urls_gives_one_line_per_address(capsys, web_pages, tmp_path):
    urls = [f"{web_pages}/harbour.html", f"{web_pages}/missing.html", "not a web address", f"{web_pages}/moved",
            f"{web_pages}/report.pdf"]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls[:3]) + "\n\n" + "\n".join(urls[3:]) + "\n")  # a blank line is not a record
    out = tmp_path / "briefs.jsonl"
    code, _, err = run(capsys, "batch", str(listing), "--urls", PRIVATE, "-o", str(out), "--workers", "1", "--progress", "off")
    assert code == 0
    assert "2 ok, 3 errors" in err
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == urls
    assert [line.get("error", {}).get("message") for line in lines] == [
        None, f"{web_pages}/missing.html: the page answered HTTP 404",
        "not a web address: url must be an absolute http:// or https:// address", None,
        f"{web_pages}/report.pdf: not an HTML page (the server says it is application/pdf)",
    ]
    code, by_file, _ = run(capsys, "highlights", SAVED, "--format", "json")
    saved = json.loads(by_file)
    for line in (lines[0], lines[3]):
        assert line["highlights"] == saved["highlights"] and line["title"] == saved["title"]


def test_batch_urls_are_public_only_unless_allowed(capsys, web_pages, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{web_pages}/harbour.html\n")
    out = tmp_path / "briefs.jsonl"
    code, _, err = run(capsys, "batch", str(listing), "--urls", "-o", str(out), "--workers", "1", "--progress", "off")
    assert (code, "0 ok, 1 errors" in err) == (0, True)
    (line,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert "not on the public internet" in line["error"]["message"]


def test_a_url_batch_resumes_only_with_the_same_fetch_settings(capsys, web_pages, tmp_path, monkeypatch):
    import newsbrief.batch as batch

    listing = tmp_path / "urls.txt"
    listing.write_text(f"{web_pages}/harbour.html\n{web_pages}/missing.html\n{web_pages}/moved\n")
    whole, out = tmp_path / "whole.jsonl", tmp_path / "resumed.jsonl"
    args = ["batch", str(listing), "--urls", "--workers", "1", "--progress", "off", "--chunk-size", "1"]
    assert run(capsys, *args, PRIVATE, "-o", str(whole))[0] == 0
    real = batch.run_chunk

    def dies_after_the_first(chunk, options):  # the (inline) worker killed after one chunk
        if chunk.index == 1:
            raise KeyboardInterrupt
        return real(chunk, options)

    with monkeypatch.context() as m:
        m.setattr(batch, "run_chunk", dies_after_the_first)
        assert run(capsys, *args, PRIVATE, "-o", str(out))[0] == 130
    code, _, err = run(capsys, *args, "-o", str(out), "--resume")  # without --allow-private-addresses
    assert (code, err) == (1, "newsbrief: error: cannot resume resumed.jsonl: the fetch differ from the interrupted "
                              f"run's (delete {tmp_path / 'resumed.jsonl.job'} to start over)\n")
    assert run(capsys, *args, PRIVATE, "-o", str(out), "--resume")[0] == 0
    assert out.read_bytes() == whole.read_bytes()
    assert [json.loads(line).get("error", {}).get("type") for line in out.read_text().splitlines()] == [None, "InputError", None]


def test_the_documented_fetch_timeout_is_the_fetchers(capsys):
    from newsbrief.ingest.fetch import PAGE_TIMEOUT

    with pytest.raises(SystemExit):
        main(["highlights", "--help"])
    assert f"(default: {PAGE_TIMEOUT:g})" in " ".join(capsys.readouterr().out.split())


def test_batch_points_a_url_argument_to_urls(capsys, tmp_path):
    code, _, err = run(capsys, "batch", "https://news.example/story", "-o", str(tmp_path / "o.jsonl"))
    assert (code, err) == (1, "newsbrief: error: https://news.example/story: batch reads web addresses from a file: "
                              "write them one a line and give it with --urls\n")


@pytest.mark.parametrize("flag", [[PRIVATE], ["--fetch-timeout", "5"]])
def test_batch_fetch_options_need_urls(capsys, tmp_path, flag):
    dataset = tmp_path / "d.jsonl"
    dataset.write_text('{"id": "a", "article": "One sentence here. Another one there."}\n')
    out = tmp_path / "o.jsonl"
    code, _, err = run(capsys, "batch", str(dataset), "-o", str(out), *flag)
    assert (code, err) == (1, "newsbrief: error: --allow-private-addresses and --fetch-timeout apply to files of "
                              "web addresses: add --urls\n")
    assert not out.exists()


PINNED_LEAD = [  # Lead-3 on tests/fixtures/web/harbour.html
    ("A storm surge broke through the sea wall at Harwick on Saturday night, flooding more than 300 homes and forcing "
     "about 1,200 people to leave the old harbour district before dawn.", 0, 177),
    ("The wall, built in 1953 after the great North Sea flood, gave way along a 40-metre stretch shortly after high "
     "tide, the county council said.", 178, 318),
    ('"The water came in faster than anyone expected," said Margaret Ellison, who runs a bakery on Quay Street.', 319, 424),
]
PINNED_QUOTE = ("We had ten minutes to get the children out.", 426, 469, "Margaret Ellison")
