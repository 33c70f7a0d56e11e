"""`negodrill report FILE`: the format by suffix or --format, --deck, --since, and errors."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from negodrill.cli import main
from negodrill.core.studyday import utc_now

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from test_report_formats import HOSTILE, make_history  # noqa: E402 - the shared history


@pytest.fixture
def reviewed(data_dir: Path) -> int:
    from negodrill.deckio.library import open_library

    store = open_library(data_dir)
    try:
        return make_history(store, utc_now() - timedelta(days=1), days=10)
    finally:
        store.close()


def report(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str,
                                                                                      str]:
    code = main(["--data-dir", str(data_dir), "report", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_html_by_suffix(data_dir: Path, reviewed: int, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "progress.html"
    code, out, err = report(data_dir, capsys, str(target))
    assert code == 0, err
    assert out.count("\n") == 1
    assert out.startswith("wrote the progress report (HTML, ")
    assert str(target) in out
    text = target.read_text("utf-8")
    assert "<svg" in text
    assert "<script" not in text


def test_format_option_wins_over_the_suffix(data_dir: Path, reviewed: int, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "reviews.txt"
    code, out, _ = report(data_dir, capsys, str(target), "--format", "csv")
    assert code == 0
    assert "(CSV, " in out
    lines = target.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Time,Deck,Card ID,")
    assert len([line for line in lines[1:] if line]) == reviewed


def test_deck_and_since_filter(data_dir: Path, reviewed: int, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "one.csv"
    since = (datetime.now(UTC) - timedelta(days=4)).date().isoformat()
    code, _, err = report(data_dir, capsys, str(target), "--deck", HOSTILE, "--since", since)
    assert code == 0, err
    rows = [r for r in target.read_bytes().decode("utf-8-sig").split("\r\n")[1:] if r]
    assert 0 < len(rows) < reviewed
    assert all(HOSTILE in r for r in rows)
    html = tmp_path / "one.html"
    code, _, _ = report(data_dir, capsys, str(html), "--deck", HOSTILE, "--since", since)
    assert code == 0
    text = html.read_text("utf-8")
    assert f"{since} to " in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert HOSTILE not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report.doc"], "does not say which format"),
        (["report.html", "--deck", "no such deck"], 'there is no deck called "no such deck"'),
        (["a-file/report.html"], "no such folder"),
        (["no-such-folder/report.html"], "no such folder"),
    ],
)
def test_errors_are_one_line_and_write_nothing(data_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch,
                                               args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    code, out, err = report(data_dir, capsys, *args)
    assert code == 1
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".html", ".doc")]


@pytest.mark.parametrize("since", ["2026-13-01", "yesterday"])
def test_a_bad_date_is_a_usage_error(data_dir: Path, tmp_path: Path, since: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--data-dir", str(data_dir), "report", str(tmp_path / "r.html"), "--since", since])
    assert exit_info.value.code == 2
    assert "is not a date like" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_pdf_from_a_separate_process(data_dir: Path, reviewed: int, tmp_path: Path,
                                     cli: object) -> None:
    target = tmp_path / "progress.pdf"
    result = cli("report", str(target), data_dir=data_dir)  # type: ignore[operator]
    assert result.code == 0, result
    assert "(PDF, " in result.out
    assert target.read_bytes().startswith(b"%PDF-")
    assert result.err == ""
