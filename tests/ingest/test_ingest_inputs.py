"""Inputs people actually give: pipes, FIFOs and <(...) read as streams, devices named as such,
UTF-16 read as the text it is, Windows-1252 / Latin-1 read when detection is confident."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from newsbrief.errors import InputError
from newsbrief.ingest import read_file

from conftest import EXAMPLE

ARTICLE = EXAMPLE.read_text(encoding="utf-8")
FIRST = "Floodwaters from the Guaíba river forced more than 80,000 people from their homes in southern Brazil"
EUROPEAN = ("Le président a déclaré à l’AFP que « la réforme » sera votée – c’est sûr. Les élèves de Zürich "
            "étaient très nombreux dans la rue. Le café du coin a fermé ses portes à midi.")


def highlights(*argv, stdin: bytes | None = None, shell: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "newsbrief", "highlights", *argv, "--model", "lead", "--count", "1"]
    if shell is not None:
        command = ["bash", "-c", shell.replace("NEWSBRIEF", " ".join(f'"{c}"' for c in command[:3]))]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=120)


def test_a_fifo_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "article.fifo"
    os.mkfifo(fifo)

    def write():
        with open(fifo, "w", encoding="utf-8") as f:
            f.write(ARTICLE)

    threading.Thread(target=write, daemon=True).start()
    assert read_file(fifo).sentences[0].text.startswith(FIRST)


def test_dev_stdin_on_a_pipe_and_a_process_substitution():
    done = highlights("/dev/stdin", stdin=ARTICLE.encode())
    assert done.returncode == 0 and done.stdout.decode().startswith("• " + FIRST), done.stderr
    done = highlights(shell=f'NEWSBRIEF highlights <(cat "{EXAMPLE}") --model lead --count 1')
    assert done.returncode == 0 and done.stdout.decode().startswith("• " + FIRST), done.stderr


def test_an_empty_pipe_and_a_device_say_what_they_are():
    done = highlights("/dev/stdin", stdin=b"")
    assert done.stderr.decode() == "newsbrief: error: /dev/stdin is empty (nothing was written to it)\n"
    for device in ("/dev/null", "/dev/zero"):
        with pytest.raises(InputError, match=f"^{device} is a device, not an article file$"):
            read_file(device)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_in_any_of_its_forms_is_read(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    assert read_file(path).sentences[0].text.startswith(FIRST)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_western_text_is_read_when_detection_is_confident(tmp_path, encoding):
    text = EUROPEAN if encoding == "cp1252" else EUROPEAN.replace("’", "'").replace("–", "-")
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_file(path)
    assert doc.text == text and doc.sentences[0].text == text.split(". ")[0] + "."


def test_other_8_bit_text_is_refused_with_how_to_convert_it(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes("Президент заявил, что реформа будет принята в этом году. Депутаты согласились.".encode("cp1251"))
    with pytest.raises(InputError) as e:
        read_file(path)
    assert str(e.value) == (f"{path} is not valid UTF-8 (bad byte at offset 0) nor clearly Windows-1252/Latin-1 text; "
                            f"convert it to UTF-8 first: `iconv -f ENCODING -t UTF-8 {path} > {path}.utf8`, with the "
                            "encoding it was saved in")
    binary = tmp_path / "b.dat"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    with pytest.raises(InputError, match="looks like a binary file, not text"):
        read_file(binary)
