"""Interview page layout (AppTest): five phases in the header with the close apart, long
messages shortened with "Show all", the chat in a scrolling box beside the notes, and the
page's local style and script."""

from __future__ import annotations

from test_ui_app import CLARIFY, session_id, start


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_the_header_counts_five_phases_and_shows_the_close_apart(data_dir, store):
    at = start("chat")
    assert at.get("progress")[0].proto.text.startswith("Phase 1 of 5: **clarify**")
    assert "then the close: wrap-up" in captions(at)
    for _ in range(5):
        at.button(key="cmd_next").click().run()
    sid = session_id(at)
    assert store.get(sid).state.phase == "wrap-up"
    assert at.get("progress")[0].proto.text == "Closing: wrap-up"
    assert "▶ **wrap-up**" in captions(at) and "✓ trade-offs" in captions(at)


def test_a_huge_paste_is_shortened_until_show_all(data_dir, store):
    at = start("chat")
    paste = (CLARIFY + "\n") * 1_000  # about 150 KB, 1,000 lines
    at.chat_input(key="chat_answer").set_value(paste).run()
    assert not at.exception, at.exception
    sid = session_id(at)
    assert store.get(sid).turns[1].text.strip() == paste.strip()
    at.run()  # drawn again from the store, as after a reload
    shown = sum(len(m.value) for m in at.markdown)
    assert shown < 20_000, shown  # not the whole paste
    assert "Shortened: " in captions(at)
    at.button(key="show_all_btn_turn1").click().run()
    assert any(t.value.strip() == paste.strip() for t in at.text)


def test_chat_and_tools_scroll_in_boxes_and_the_page_ships_its_style_and_script(data_dir):
    at = start("chat")
    sid = session_id(at)
    html = " ".join(h.value for h in at.html) + " ".join(m.value for m in at.markdown)
    assert 'font-family: "Source Code Pro", ui-monospace' in html
    assert f'const sid = "{sid}"' in html and "localStorage" in html
    assert "http" not in html.split("<script>", 1)[1]  # nothing fetched
    assert at.text_area(key=f"notes_{sid}") is not None
