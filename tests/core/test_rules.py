"""The entry rules shared by the forms, the workbook, the intake and received packages."""
from core import rules


def test_a_birth_may_be_a_year_alone_where_allowed():
    assert rules.date_problem("1980", year_alone=True) is None
    assert rules.date_problem("1980") == "không phải là ngày."
    assert "nằm ngoài" in rules.date_problem("1850", year_alone=True)
    assert rules.date_problem("1980-02-30", year_alone=True) == "không phải là ngày có thật."


def test_joining_before_a_year_alone_birth_is_caught():
    assert rules.order_problem("1980", "1979-12-31")
    assert not rules.order_problem("1980", "1980-01-01")
