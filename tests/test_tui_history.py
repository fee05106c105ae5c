"""The query history file: a convenience that must never get in the way of searching."""

from __future__ import annotations

from pathlib import Path

from tui.history import HISTORY_SIZE, load_history, save_history


def test_round_trip_keeps_order_and_accents(tmp_path: Path) -> None:
    path = tmp_path / "history.txt"
    assert save_history(path, ["sécurité Corée", '"mot exact"', "Stoltenberg"])
    assert load_history(path) == ["sécurité Corée", '"mot exact"', "Stoltenberg"]


def test_missing_or_unreadable_file_is_an_empty_history(tmp_path: Path) -> None:
    assert load_history(tmp_path / "absent.txt") == []
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\xff\xfe\x00bad\n\x1b[31mrouge\n\n")
    assert load_history(garbage) == ["\ufffd\ufffd bad", "[31mrouge"]


def test_no_folder_no_file_and_no_error(tmp_path: Path) -> None:
    assert not save_history(tmp_path / "no-index-yet" / "history.txt", ["Corée"])
    assert not (tmp_path / "no-index-yet").exists()  # creating the index folder is the engine's job


def test_only_the_latest_queries_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "history.txt"
    save_history(path, [f"q{n}" for n in range(HISTORY_SIZE + 20)])
    kept = load_history(path)
    assert len(kept) == HISTORY_SIZE and kept[-1] == f"q{HISTORY_SIZE + 19}"
