"""Scanning a corpus folder and loading its files, hostile ones included."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from search import corpus as corpus_module
from search.cli import main
from search.corpus import (
    MAX_FILE_BYTES,
    OUTSIDE_LINK,
    CorpusEntry,
    SkippedFile,
    load_article,
    safe_name,
    scan_corpus,
)
from search.errors import CorpusError, ExitCode
from tests.support.corpora import SEEDS
from tests.support.hostile import build_hostile_corpus, write


def entry_for(corpus: Path, entry_id: str) -> CorpusEntry:
    entries, _ = scan_corpus(corpus)
    return next(e for e in entries if e.id == entry_id)


def test_seeds_scan_and_load() -> None:
    entries, skipped = scan_corpus(SEEDS)
    assert skipped == []
    assert [e.id for e in entries] == sorted(p.name for p in SEEDS.glob("*.txt"))
    for entry in entries:
        info = os.stat(entry.path)
        assert (entry.mtime_ns, entry.size) == (info.st_mtime_ns, info.st_size)
    article = load_article(entries[3])
    assert article.id == entries[3].id
    assert article.title.startswith("LE CHEF DE L'OTAN")
    assert article.date == dt.date(2024, 6, 21)
    assert article.text.startswith("Lagazette\n")
    assert (article.mtime_ns, article.size) == (entries[3].mtime_ns, entries[3].size)


def test_hostile_corpus_every_file_loads_or_is_skipped_with_its_reason(tmp_path: Path) -> None:
    expected = build_hostile_corpus(tmp_path / "corpus")
    entries, skipped = scan_corpus(tmp_path / "corpus")  # terminates despite sub/loop -> ..

    outcome: dict[str, tuple[str, str]] = dict.fromkeys((i for i, _ in skipped), ("skipped", ""))
    outcome.update({i: ("skipped", r) for i, r in skipped})
    for entry in entries:
        try:
            outcome[entry.id] = ("title", load_article(entry).title)
        except SkippedFile as exc:
            outcome[entry.id] = ("skipped", str(exc))

    wanted = {
        i: ("title", e.title) if e.title is not None else ("skipped", e.skipped)
        for i, e in expected.items()
    }
    assert outcome == wanted
    assert [e.id for e in entries] == sorted(e.id for e in entries)
    json.dumps([e.id for e in entries], ensure_ascii=False).encode()  # ids are valid UTF-8 text


def test_hostile_decoding_gives_the_right_characters(tmp_path: Path) -> None:
    build_hostile_corpus(tmp_path)
    for name in ("utf8.txt", "cp1252.txt", "utf16.txt"):
        text = load_article(entry_for(tmp_path, name)).text
        assert "L’été à Noël, cœur et œuvre : 20 €" in text, name
    nfd = load_article(entry_for(tmp_path, "nfd.txt"))
    assert "été" in nfd.text and "e\u0301" not in nfd.text


def test_odd_file_names_get_printable_ids_but_still_load(tmp_path: Path) -> None:
    write(tmp_path, b"caf\xe9.txt", b"Latin-1 name\n")
    write(tmp_path, "ligne\nnouvelle.txt", b"Newline name\n")
    write(tmp_path, "esc\x1b[31m.txt", b"Escape name\n")
    entries, _ = scan_corpus(tmp_path)
    ids = [e.id for e in entries]
    assert ids == ["caf\ufffd.txt", "esc\\x1b[31m.txt", "ligne\\nnouvelle.txt"]
    for entry in entries:
        assert entry.id.isprintable()
        assert load_article(entry).title.endswith("name")
    assert load_article(entries[0]).path.exists()


def test_safe_name() -> None:
    assert safe_name("plain é.txt") == "plain é.txt"
    assert safe_name("a\tb\u202ec") == "a\\tb\\u202ec"
    assert safe_name(os.fsdecode(b"caf\xe9")) == "caf\ufffd"


def test_empty_file_is_an_article_titled_by_its_name(tmp_path: Path) -> None:
    write(tmp_path, "2023 bilan annuel.txt", b"")
    article = load_article(entry_for(tmp_path, "2023 bilan annuel.txt"))
    assert (article.title, article.text, article.date, article.size) == (
        "2023 bilan annuel",
        "",
        None,
        0,
    )


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "image.txt", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" * 10)
    with pytest.raises(SkippedFile, match=r"^binary content$"):
        load_article(entry_for(tmp_path, "image.txt"))


def test_file_over_the_size_cap_is_skipped_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "enorme.txt"
    with open(path, "wb") as f:  # sparse: instant and takes no disk space
        f.truncate(MAX_FILE_BYTES + 1024 * 1024)
    with pytest.raises(SkippedFile, match=r"^too large \(21 MB > 20 MB\)$"):
        load_article(entry_for(tmp_path, "enorme.txt"))


def test_size_cap_can_be_lowered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus_module, "MAX_FILE_BYTES", 2048)
    write(tmp_path, "moyen.txt", b"x" * 3072)
    with pytest.raises(SkippedFile, match=r"^too large \(3 KB > 2 KB\)$"):
        load_article(entry_for(tmp_path, "moyen.txt"))


def test_one_long_line_of_two_megabytes_loads(tmp_path: Path) -> None:
    sentence = "Une très longue ligne sans retour à la ligne, "
    data = (sentence * (2 * 1024 * 1024 // len(sentence.encode()) + 1)).encode()
    write(tmp_path, "long.txt", data)
    article = load_article(entry_for(tmp_path, "long.txt"))
    assert len(article.text.encode()) == len(data)
    assert article.title.endswith("…") and len(article.title) <= 141


def test_file_vanishing_between_scan_and_load(tmp_path: Path) -> None:
    write(tmp_path, "ephemere.txt", b"Bientot parti\n")
    entry = entry_for(tmp_path, "ephemere.txt")
    (tmp_path / "ephemere.txt").unlink()
    with pytest.raises(SkippedFile, match=r"^vanished while indexing$"):
        load_article(entry)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_and_folder_really_chmod(tmp_path: Path) -> None:
    write(tmp_path, "secret.txt", b"Secret\n")
    (tmp_path / "prive").mkdir()
    write(tmp_path / "prive", "x.txt", b"x\n")
    entry = entry_for(tmp_path, "secret.txt")
    os.chmod(tmp_path / "secret.txt", 0)
    os.chmod(tmp_path / "prive", 0)
    try:
        _, skipped = scan_corpus(tmp_path)
        assert skipped == [("prive/", "unreadable: permission denied")]
        with pytest.raises(SkippedFile, match=r"^unreadable: permission denied$"):
            load_article(entry)
    finally:
        os.chmod(tmp_path / "prive", 0o755)


def _deny(monkeypatch: pytest.MonkeyPatch, name: str, target: Path) -> None:
    """Make os.<name> raise PermissionError for ``target`` only, as a non-root user would see."""
    real = getattr(os, name)

    def denied(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path) == os.fspath(target):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, denied)


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "secret.txt", b"Secret\n")
    entry = entry_for(tmp_path, "secret.txt")
    _deny(monkeypatch, "open", entry.path)
    with pytest.raises(SkippedFile, match=r"^unreadable: permission denied$"):
        load_article(entry)


def test_unreadable_subfolder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "prive").mkdir()
    write(tmp_path / "prive", "x.txt", b"x\n")
    write(tmp_path, "public.txt", b"y\n")
    _deny(monkeypatch, "scandir", tmp_path / "prive")
    entries, skipped = scan_corpus(tmp_path)
    assert [e.id for e in entries] == ["public.txt"]
    assert skipped == [("prive/", "unreadable: permission denied")]


def test_unreadable_corpus_is_a_corpus_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deny(monkeypatch, "scandir", tmp_path)
    with pytest.raises(CorpusError, match=r"^corpus folder unreadable: .* \(permission denied\)$"):
        scan_corpus(tmp_path)


def test_missing_corpus_and_file_instead_of_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"^corpus folder not found: .*absent$") as missing:
        scan_corpus(tmp_path / "absent")
    assert missing.value.exit_code == ExitCode.CORPUS
    write(tmp_path, "fichier.txt", b"x")
    with pytest.raises(CorpusError, match=r"^not a folder: .*fichier.txt$"):
        scan_corpus(tmp_path / "fichier.txt")


def _linked_corpus(tmp_path: Path) -> Path:
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    write(outside, "externe.txt", b"Externe\n")
    corpus = tmp_path / "corpus"
    (corpus / "dedans").mkdir(parents=True)
    write(corpus / "dedans", "interne.txt", b"Interne\n")
    os.symlink(outside, corpus / "lien")  # a linked folder outside the corpus
    os.symlink(outside, corpus / "zz-second-lien")  # the same folder again
    os.symlink(outside / "externe.txt", corpus / "fichier-lie.txt")  # a linked file outside
    os.symlink(corpus / "dedans", corpus / "raccourci")  # a link that stays inside
    os.symlink(corpus, corpus / "boucle")  # a loop back to the root
    os.symlink("a.txt", corpus / "b.txt")
    os.symlink("b.txt", corpus / "a.txt")  # a file-link loop
    return corpus


LOOPS = [("a.txt", "unreadable: symlink loop"), ("b.txt", "unreadable: symlink loop")]


def test_links_out_of_the_corpus_are_skipped_with_a_reason(tmp_path: Path) -> None:
    entries, skipped = scan_corpus(_linked_corpus(tmp_path))
    assert [e.id for e in entries] == ["dedans/interne.txt"]  # raccourci/ is the same folder
    outside = ["fichier-lie.txt", "lien/", "zz-second-lien/"]
    assert skipped == sorted([*LOOPS, *((name, OUTSIDE_LINK) for name in outside)])


def test_follow_outside_follows_links_once_and_loops_end(tmp_path: Path) -> None:
    entries, skipped = scan_corpus(_linked_corpus(tmp_path), follow_outside=True)
    assert [e.id for e in entries] == ["dedans/interne.txt", "fichier-lie.txt", "lien/externe.txt"]
    assert skipped == LOOPS


def test_index_warns_once_per_link_left_out_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _linked_corpus(tmp_path)
    where = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert main(["index", *where]) == ExitCode.OK
    err = capsys.readouterr().err
    assert f"warning: skipped lien/: {OUTSIDE_LINK}" in err.splitlines()
    assert main(["search", "externe", *where]) == ExitCode.NO_HITS
    capsys.readouterr()
    assert main(["index", "--follow-outside", *where]) == ExitCode.OK
    assert "lien/" not in capsys.readouterr().err
    assert main(["search", "externe", "--follow-outside", *where]) == ExitCode.OK


def test_fifo_named_txt_is_skipped_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "tube.txt")
    entries, skipped = scan_corpus(tmp_path)
    assert (entries, skipped) == ([], [("tube.txt", "not a regular file")])
    fake = CorpusEntry("tube.txt", tmp_path / "tube.txt", 0, 0)  # swapped in after the scan
    with pytest.raises(SkippedFile, match=r"^not a regular file$"):
        load_article(fake)


def test_hidden_files_ignored_and_txt_suffix_any_case(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "COMMIT_EDITMSG.txt", b"x")
    write(tmp_path, "._article.txt", b"\x00\x05\x16\x07 AppleDouble")
    write(tmp_path, "ARTICLE.TXT", b"Majuscules\n")
    write(tmp_path, "article.txt.bak", b"copie\n")
    entries, skipped = scan_corpus(tmp_path)
    assert ([e.id for e in entries], skipped) == (["ARTICLE.TXT"], [])
    assert load_article(entries[0]).title == "Majuscules"


def test_load_reports_the_size_and_mtime_of_what_it_read(tmp_path: Path) -> None:
    path = write(tmp_path, "change.txt", b"Avant\n")
    entry = entry_for(tmp_path, "change.txt")
    path.write_bytes(b"Apres, plus long\n")
    os.utime(path, ns=(entry.mtime_ns + 10**9, entry.mtime_ns + 10**9))
    article = load_article(entry)
    assert (article.title, article.size, article.mtime_ns) == (
        "Apres, plus long",
        17,
        entry.mtime_ns + 10**9,
    )


def test_one_nul_byte_in_a_long_text_is_removed_not_a_reason_to_skip(tmp_path: Path) -> None:
    paragraph = "Le gouvernement présente une réforme des retraites à l'Assemblée.\n"
    body = paragraph * 2900  # about 188 KB
    data = ("Un long article\n\n" + body[:90_000] + "mot\x00cache " + body[90_000:]).encode()
    assert len(data) > 188_000
    write(tmp_path, "long.txt", data)
    (entry,) = scan_corpus(tmp_path)[0]
    article = load_article(entry)
    assert "\x00" not in article.text
    assert "motcache" in article.text and article.text.count("réforme") == 2900


def _deep_folders(root: Path, levels: int) -> None:
    """Folders of 200-byte names, nested ``levels`` deep, each with an article: made through
    folder descriptors, since their paths grow past PATH_MAX (4,096 bytes)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for level in range(levels):
            name = f"d{level:02d}" + "x" * 197
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
            out = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(out, b"Profond\n\nUn article tout au fond.\n")
            os.close(out)
    finally:
        os.close(fd)


def test_folder_past_path_max_is_a_warning_not_silence(tmp_path: Path) -> None:
    _deep_folders(tmp_path, 22)
    entries, skipped = scan_corpus(tmp_path)
    assert entries and all(len(os.fsencode(e.path)) <= 4096 for e in entries)
    # the first folder past the limit is named (and the article just above it, when its own
    # path is past the limit too): nothing below is dropped unsaid
    assert 1 <= len(skipped) <= 2, skipped
    assert {reason for _, reason in skipped} == {"unreadable: file name too long"}
    folder = next(name for name, _ in skipped if name.endswith("/"))
    assert folder.endswith("/") and folder.count("/") == len(entries) + len(skipped)
