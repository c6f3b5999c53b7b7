"""The layout's rules, checked: no import cycles, and documentation that names only the flags the
command line has (and, in each command's option table, every one of them)."""

import argparse
import graphlib
import re

import grimp
import pytest

from newsbrief.cli import COMMANDS, build_parser

from conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def test_the_import_graph_has_no_cycles():
    graph = grimp.build_graph("newsbrief", exclude_type_checking_imports=True)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    assert len(imports) > 60
    try:
        graphlib.TopologicalSorter(imports).prepare()
    except graphlib.CycleError as e:
        pytest.fail(f"import cycle: {' -> '.join(e.args[1])}")


def _flags() -> dict[str, set[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: _options(p) for name, p in sub.choices.items()}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    """A command's flags, with those of its own subcommands (`newsbrief archive search --db`)."""
    flags = {s for a in parser._actions for s in a.option_strings if s.startswith("--")} - {"--help"}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                flags |= _options(subparser)
    return flags


def test_every_command_is_a_module_in_the_command_list():
    assert set(_flags()) == set(COMMANDS)
    assert {p.stem for p in (ROOT / "src" / "newsbrief" / "cli").glob("*.py")} == {*COMMANDS, "__init__", "common"}


def test_documented_command_lines_use_only_flags_the_command_has():
    flags = _flags()
    checked = 0
    for doc in DOCS:
        for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for command, rest in re.findall(r"newsbrief (\w+)\b([^`#|]*)", line):
                if command not in flags:
                    continue
                for flag in FLAG.findall(rest):
                    checked += 1
                    assert flag in flags[command], f"{doc.name}:{n}: `newsbrief {command}` has no {flag}"
    assert checked > 40


@pytest.mark.parametrize("doc, command", [("batch.md", "batch"), ("service.md", "serve")])
def test_a_commands_option_table_lists_exactly_its_flags(doc, command):
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| `-")]
    documented = {flag for line in table for flag in FLAG.findall(line.split("|")[1])}
    assert documented == _flags()[command]


def test_the_service_option_table_gives_the_real_defaults():
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    serve = {a.option_strings[-1]: a for a in sub.choices["serve"]._actions if a.option_strings}
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) != 3 or not cells[0].startswith("`--"):
            continue
        flags, default = FLAG.findall(cells[0]), cells[1]
        for flag, value in zip(flags, default.split(", ") if len(flags) > 1 else [default]):
            action = serve[flag]
            if isinstance(action, argparse._StoreTrueAction):
                assert value == "off", flag
            elif action.default in (None, ""):
                # "the package default", "the shipped one", or nothing at all ("none")
                assert value.startswith("the ") or value == "none", flag
            elif flag == "--workers":
                assert value.startswith("one per core up to 4"), flag
            elif isinstance(action.default, str):
                assert value == action.default, flag
            else:
                assert float(value) == float(action.default), flag


def test_tests_mirror_the_package_layout():
    packages = {p.parent.name for p in (ROOT / "src" / "newsbrief").glob("*/__init__.py")}
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name not in ("fixtures", "__pycache__")}
    assert folders <= packages, folders - packages
    # The modules of the package's top level each have their tests at the top level.
    for module in ("api", "registry", "document"):
        assert (ROOT / "tests" / f"test_{module}.py").is_file()
