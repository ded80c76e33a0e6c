"""Every error a new user met on the demo store (issue 13) is one line with a numbered code and
the right exit code: the table input → message → exit code, one case per row, run for real
(the serve cases in a child process, so a regression fails instead of serving forever)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from parallax.cli import main

from test_ingest_warc import write_crawl
from test_web_stories import story_ids

SRC = Path(__file__).resolve().parents[1] / "src"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-m", "parallax", *argv], capture_output=True, text=True, timeout=120,
                          env=env, stdin=subprocess.DEVNULL)
    return done.returncode, done.stdout, done.stderr


def one_line(err: str, command: str, code: str) -> None:
    assert err.count("\n") == 1 and err.startswith(f"parallax {command}: error: {code} "), err


def test_search_since_yesterday_answers_and_a_bad_date_is_one_line(capsys: pytest.CaptureFixture[str], hand_storied_store: Path) -> None:
    code, out, err = run(capsys, "search", "Putin", "--since", "yesterday", "--db", str(hand_storied_store))
    assert (code, err) == (0, "") and out.startswith("0 articles")
    code, out, err = run(capsys, "search", "Putin", "--since", "last week", "--db", str(hand_storied_store))
    assert code == 2 and out == ""
    one_line(err, "search", "E901")


def test_serve_on_a_busy_port_fails_before_saying_serving(hand_storied_store: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        code, out, err = run_process("serve", "--db", str(hand_storied_store), "--port", str(port))
    assert code == 2 and out == "" and "serving" not in err
    one_line(err, "serve", "E402")
    assert f"127.0.0.1:{port} (Address already in use)" in err


def test_serve_open_on_all_interfaces_refuses_before_saying_serving(hand_storied_store: Path) -> None:
    code, out, err = run_process("serve", "--db", str(hand_storied_store), "--host", "0.0.0.0")
    assert code == 2 and out == "" and "serving" not in err
    one_line(err, "serve", "E401")


def test_a_url_with_nothing_listening_is_unreachable_not_a_robots_failure(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    loopback = Path(__file__).parent / "fixtures" / "loopback.cfg"  # 127.0.0.1 allowed (refused by default: SSRF)
    code, out, err = run(capsys, "--config", str(loopback), "ingest", "http://127.0.0.1:9/news/today.html",
                         "--db", str(tmp_path / "p.db"), "--no-annotate", "--no-progress")
    assert code == 1
    assert err.startswith("skipped http://127.0.0.1:9/news/today.html: E210 cannot reach 127.0.0.1:9: nothing answers there (")
    assert "robots" not in err and err.count("\n") == 1


def test_a_truncated_warc_gz_is_broken_not_empty(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = write_crawl(tmp_path / "whole.warc.gz", gzip=True)
    for keep, code_shown in ((20, "E103 not valid gzip"), (len(data) // 10, "E108 broken WARC")):
        cut = tmp_path / f"cut-{keep}.warc.gz"
        cut.write_bytes(data[:keep])
        code, _, err = run(capsys, "ingest", str(cut), "--db", str(tmp_path / "p.db"), "--no-annotate", "--no-progress")
        assert code == 1 and err.startswith(f"skipped {cut}") and code_shown in err and "empty input" not in err


def test_compare_of_a_one_article_story_points_to_its_storyline(capsys: pytest.CaptureFixture[str], hand_storied_store: Path) -> None:
    seeds, merged, beside, hostile = story_ids(hand_storied_store)
    code, out, err = run(capsys, "compare", str(beside), "--db", str(hand_storied_store))
    assert code == 2 and out == ""
    one_line(err, "compare", "E704")
    assert f"story {beside} has 0 annotated article(s) to compare" in err
    assert "its storyline has 2: parallax compare " in err and err.rstrip().endswith("--by storyline")
    storyline = int(err.rsplit("parallax compare ", 1)[1].split()[0])
    code, out, _ = run(capsys, "compare", str(storyline), "--by", "storyline", "--db", str(hand_storied_store), "--json")
    assert code == 0 and out.startswith("{")  # the storyline holds both annotated seeds


@pytest.mark.parametrize("command", [["stories"], ["show", "1"], ["search", "Putin"], ["entity", "Putin"], ["timeline", "Putin"],
                                     ["compare", "1"], ["export", "articles"]])
def test_a_read_command_on_a_mistyped_store_says_so_and_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                                       command: list[str]) -> None:
    missing = tmp_path / "mistyped.db"
    code, out, err = run(capsys, *command, "--db", str(missing))
    assert code == 2 and out == ""
    one_line(err, command[0], "E303")
    assert not missing.exists()
