"""The headless interface keeps the contract of docs/cli.md."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, env=full_env, timeout=120)


def test_init_prints_identity_and_refuses_a_second_time(tmp_path):
    db = tmp_path / "x.sqlite3"
    done = run("--db", db, "init", "--level", "xa", "--code", "X01",
               "--name", "Công an xã Hòa Bình", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert {"code", "name", "level", "fingerprint"} <= payload.keys()
    assert payload["name"] == "Công an xã Hòa Bình" and payload["level"] == "xa"
    again = run("--db", db, "init", "--level", "xa", "--code", "X02", "--name", "Khác")
    assert again.returncode == 1 and "đã được khởi tạo" in again.stderr
    assert "Traceback" not in again.stderr


def test_missing_database_is_refused_and_not_created(tmp_path):
    db = tmp_path / "none.sqlite3"
    done = run("--db", db, "report", "--period", "2026", "--json")
    assert done.returncode == 1 and "init" in done.stderr
    assert not db.exists()


def test_bad_command_line_exits_2(tmp_path):
    assert run("--db", tmp_path / "a", "khong-co-lenh").returncode == 2
    done = run("--db", tmp_path / "a", "init", "--level", "huyen", "--code", "A", "--name", "B")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_report_json_keys(tmp_path):
    db = tmp_path / "x.sqlite3"
    run("--db", db, "init", "--level", "xa", "--code", "X01", "--name", "Xã A")
    done = run("--db", db, "report", "--period", "2026-6T", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {"station", "level", "period", "indicators"} <= report.keys()
    assert report["period"]["from"] == "2025-12-15" and report["period"]["to"] == "2026-06-14"
    assert report["indicators"]["results"].keys() >= {"tin_bao", "camera"}
    bad = run("--db", db, "report", "--period", "2026-13")
    assert bad.returncode == 1 and "không hợp lệ" in bad.stderr


def test_check_on_a_sound_database(tmp_path):
    db = tmp_path / "x.sqlite3"
    run("--db", db, "init", "--level", "tinh", "--code", "T01", "--name", "Tỉnh A")
    done = run("--db", db, "check", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"ok": True, "problems": []}


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    db = tmp_path / "x.sqlite3"
    db.write_bytes(b"this is not sqlite" * 100)
    done = run("--db", db, "check", "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    main = Path(__file__).resolve().parents[2] / "main.py"
    db = tmp_path / "s.sqlite3"
    subprocess.run([sys.executable, str(main), "--db", str(db), "init", "--level", "xa",
                    "--code", "X01", "--name", "Công an xã A"], check=True, capture_output=True)
    child = subprocess.Popen([sys.executable, str(main), "--db", str(db), "check", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()              # like `| head -c 0`: nobody reads the answer
    _, err = child.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err
    assert child.returncode == 0


@pytest.mark.parametrize("argv, expected", [
    (["deleted", "--kind", "xx"], "không có trong danh sách"),
    (["search-persons", "a", "--limit", "x"], "cần một số nguyên"),
    (["check", "--bogus"], "không hiểu: --bogus"),
    (["report", "--period"], "thiếu giá trị"),
    (["print-attendance"], "thiếu:"),
])
def test_usage_mistakes_are_explained_in_vietnamese(tmp_path, argv, expected):
    """argparse's English complaints (“invalid choice”, “expected one argument”…) never
    reach the officer: exit 2 with the reason in Vietnamese."""
    done = run("--db", tmp_path / "x.sqlite3", *argv)
    assert done.returncode == 2
    err = done.stderr
    assert expected in err
    for english in ("invalid", "choose from", "expected", "required", "unrecognized"):
        assert english not in err
