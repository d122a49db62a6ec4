"""New senders trusted or refused one by one (the window asks per sender)."""
from __future__ import annotations

from core.exchange import export_package, import_files, ledger
from tests.core.exchange_support import commune, fill, province


def _two_communes(tmp_path):
    tinh = province(tmp_path)
    down = tmp_path / "T01.antq"
    export_package(tinh, down)
    ups = {}
    for code in ("X01", "X02"):
        xa = commune(tmp_path, code)
        fill(xa, seed=len(ups) + 1, persons=2, events=1)
        import_files(xa, [down], trust_new=True)
        ups[code] = tmp_path / f"{code}.antq"
        export_package(xa, ups[code])
        xa.close()
    return tinh, ups


def test_one_sender_accepted_another_refused_in_one_go(tmp_path):
    tinh, ups = _two_communes(tmp_path)
    check = {r.sender: r for r in import_files(tinh, ups.values(), dry_run=True,
                                                trust_new=True)}
    answers = {("X01", check["X01"].fingerprint): True,
               ("X02", check["X02"].fingerprint): False}
    x01, x02 = import_files(tinh, [ups["X01"], ups["X02"]], answers=answers)
    assert x01.status == "applied"
    assert (x02.status, x02.error_kind) == ("rejected", "refused")
    assert "Không tin cậy đơn vị gửi" in x02.reason and check["X02"].fingerprint in x02.reason
    assert [p.code for p in ledger.peers(tinh.db)] == ["X01"]
    tinh.close()


def test_an_answer_is_for_one_key_only(tmp_path):
    """A “yes” for X01 with another fingerprint does not trust the file's key."""
    tinh, ups = _two_communes(tmp_path)
    (result,) = import_files(tinh, [ups["X01"]], answers={("X01", "0000 1111"): True})
    assert (result.status, result.error_kind) == ("rejected", "untrusted")
    assert ledger.peers(tinh.db) == []
    tinh.close()


def test_trust_new_still_trusts_every_new_sender(tmp_path):
    tinh, ups = _two_communes(tmp_path)
    assert [r.status for r in import_files(tinh, ups.values(), trust_new=True)] == \
        ["applied", "applied"]
    tinh.close()
