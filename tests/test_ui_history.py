"""History page (AppTest): titles, dates, durations, levels, plurals, filters, a trend chart
and a delete that asks first."""

from __future__ import annotations

from test_ui_app import PAGES, STRONG_CHAT, finish, new_app, session_id, start

from simulator.ui.history import plural


def history(at=None):
    at = at or new_app().run()
    at.switch_page(f"{PAGES}/history.py").run()
    assert not at.exception, at.exception
    return at


def rows_text(at) -> str:
    return " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)


def test_plural():
    assert plural(1, "turn") == "1 turn" and plural(0, "turn") == "0 turns"
    assert plural(3, "turn") == "3 turns"


def test_history_shows_titles_levels_dates_and_turn_counts(data_dir, store):
    at = start("url-shortener", level="staff")
    sid = session_id(at)
    at = history(at)
    text = rows_text(at)
    record = store.get(sid)
    assert "**Design a URL shortener** · staff · active · 1 turn" in text
    assert "1 turns" not in text
    assert f"{record.created_at:%Y-%m-%d %H:%M} UTC · 0 min" in text and f"session {sid}" in text


def test_history_filters_by_problem_and_level_and_draws_the_trend(data_dir, store):
    chat = finish(start("chat", level="senior"), store, STRONG_CHAT)
    short = session_id(start("url-shortener", level="mid"))
    at = new_app()
    at.query_params["session"] = chat
    at.run().switch_page(f"{PAGES}/scorecard.py").run()  # grades and stores the scorecard
    at = history(at)
    assert len(at.get("vega_lite_chart")) == 1
    assert f"view_{chat}" in {b.key for b in at.button}
    assert f"resume_{short}" in {b.key for b in at.button}
    at.selectbox(key="history_level").set_value("mid").run()
    keys = {b.key for b in at.button}
    assert f"resume_{short}" in keys and f"view_{chat}" not in keys
    assert not at.get("vega_lite_chart")  # no graded interview at this level
    at.selectbox(key="history_level").set_value("all").run()
    at.selectbox(key="history_problem").set_value("chat").run()
    keys = {b.key for b in at.button}
    assert f"view_{chat}" in keys and f"resume_{short}" not in keys
    assert "Design a chat service" in at.selectbox(key="history_problem").format_func("chat")


def test_delete_asks_for_confirmation_and_can_be_cancelled(data_dir, store):
    sid = session_id(start("notifications"))
    at = history()
    at.button(key=f"delete_{sid}").click().run()
    assert "cannot be undone" in at.warning[0].value
    at.button(key=f"cancel_delete_{sid}").click().run()
    assert not at.warning and store.get(sid)
    at.button(key=f"delete_{sid}").click().run()
    at.button(key=f"confirm_delete_{sid}").click().run()
    assert not at.exception, at.exception
    assert sid not in {s.id for s in store.list(limit=1000)}
    assert f"delete_{sid}" not in {b.key for b in at.button}
