"""Accounts in the app, driven with AppTest: the local mode, the sign-in gate of the shared
(OIDC) mode, ownership of interviews, shares with interviewers and role-gated pages.

AppTest seeds `st.user` from `at.user` and `st.secrets` from `at.secrets`, so these tests run
the real pages with a signed-in user of our choice; the sign-in itself against a real OpenID
Connect provider is tested in a browser (tests/test_ui_oidc.py).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from simulator.settings import REPO_ROOT
from simulator.store.sessions import LOCAL_USER, SessionStore
from simulator.transcript import InterviewState
from simulator.ui import nav
from simulator.ui.auth import User

APP = str(REPO_ROOT / "streamlit_app.py")
PAGES = "simulator/ui/pages"
ALICE, BOB, IVY, ADA = ("alice@example.com", "bob@example.com", "ivy@example.com",
                        "ada@example.com")
SECRETS = {
    "auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
             "cookie_secret": "test-cookie-secret", "client_id": "sdsim",
             "client_secret": "s", "server_metadata_url":
             "http://127.0.0.1:9/.well-known/openid-configuration"},
    "roles": {"admins": [ADA.upper()], "interviewers": [IVY]},
}


@pytest.fixture
def shared(data_dir, monkeypatch):
    monkeypatch.setenv("SDSIM_AUTH", "oidc")


def app(user: str | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP if page is None else f"{REPO_ROOT}/{PAGES}/{page}.py",
                           default_timeout=60)
    at.secrets = dict(SECRETS)
    at.user = ({"is_logged_in": True, "email": user, "name": user.split("@")[0]}
               if user else {"is_logged_in": False})
    return at


def own_session(store: SessionStore, owner: str, problem: str = "chat") -> str:
    return store.create(problem, level="senior", minutes=30, seed=3,
                        state=InterviewState(problem_id=problem), owner=owner)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_local_mode_has_one_admin_user_and_no_sign_in(data_dir, store):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Practise a system-design interview"
    assert "auth_login" not in {b.key for b in at.button}
    at.selectbox(key="start_problem").set_value("chat")
    at.button(key="start_interview").click().run()
    assert store.get(at.query_params["session"]).owner == LOCAL_USER
    evals = AppTest.from_file(f"{REPO_ROOT}/{PAGES}/evals.py", default_timeout=60).run()
    assert texts(evals.title) == ["Evals"]


def test_shared_mode_shows_only_a_sign_in_screen_until_signed_in(shared):
    at = app(None).run()
    assert not at.exception, at.exception
    assert [b.key for b in at.button] == ["auth_login"]
    assert "Practise a system-design interview" not in texts(at.title)
    page = app(None, "history").run()  # a page's own script is gated too: no rows, no data
    assert [b.key for b in page.button] == ["auth_login"]
    assert texts(page.markdown) == ["Sign in to practise; your interviews stay yours."]
    assert not page.info


def test_shared_mode_without_auth_secrets_says_what_is_missing(shared):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = {"roles": {"admins": [ADA]}}
    at.user = {"is_logged_in": False}
    at.run()
    assert "[auth]" in at.error[0].value and "docs/accounts.md" in at.error[0].value


def test_each_user_sees_only_their_own_interviews(shared, store):
    alices = own_session(store, ALICE)
    bobs = own_session(store, BOB, "url-shortener")

    history = app(BOB, "history").run()
    assert not history.exception, history.exception
    listed = " ".join([m.value for m in history.markdown] + [c.value for c in history.caption])
    assert bobs in listed and alices not in listed

    # A direct link to Alice's interview answers Bob exactly as a missing one does.
    stranger = app(BOB)
    stranger.query_params["session"] = alices
    stranger.run()
    missing = app(BOB)
    missing.query_params["session"] = "zz" + alices[2:]
    missing.run()
    assert (stranger.warning[0].value.replace(alices, "ID")
            == missing.warning[0].value.replace("zz" + alices[2:], "ID"))
    assert "session" not in stranger.query_params
    stranger.switch_page(f"{PAGES}/scorecard.py").run()
    assert "No interview selected." in " ".join(texts(stranger.info))

    mine = app(ALICE)
    mine.query_params["session"] = alices
    mine.run()
    assert not mine.warning and mine.query_params["session"] == alices


def test_a_candidate_shares_a_scorecard_with_an_interviewer(shared, store):
    alices = own_session(store, ALICE)
    before = app(IVY, "shared").run()
    assert "No candidate has shared" in before.info[0].value

    store.share(alices, IVY, owner=ALICE)
    shared_page = app(IVY, "shared").run()
    assert not shared_page.exception, shared_page.exception
    assert alices in " ".join(m.value for m in shared_page.markdown)
    # The interviewer may open it (read-only): ?session= is accepted, the interview is not theirs.
    viewer = app(IVY)
    viewer.query_params["session"] = alices
    viewer.run()
    assert not viewer.warning and viewer.query_params["session"] == alices
    viewer.switch_page(f"{PAGES}/interview.py").run()
    assert "no session" in viewer.error[0].value  # only the owner continues an interview
    # Another candidate still cannot.
    other = app(BOB)
    other.query_params["session"] = alices
    other.run()
    assert other.warning and "session" not in other.query_params
    # Candidates have no "Shared with me" page.
    assert "This page is not available." in texts(app(BOB, "shared").run().error)


@pytest.mark.parametrize(("user", "evals", "bank"), [
    (ALICE, False, False), (IVY, False, True), (ADA, True, True)])
def test_pages_by_role(shared, user, evals, bank):
    page = app(user, "evals").run()
    assert ("Evals" in texts(page.title)) is evals
    assert ("This page is not available." in texts(page.error)) is not evals
    page = app(user, "question_bank").run()
    assert ("Question bank" in texts(page.title)) is bank


def test_navigation_registers_only_the_pages_a_role_may_see():
    def names(role):
        return {n for n in nav._PAGES if nav.allowed(n, User("u", "u", role))}

    base = {"start", "interview", "scorecard", "history", "library"}
    assert names("candidate") == base
    assert names("interviewer") == base | {"question_bank", "shared"}
    assert names("admin") == base | {"question_bank", "shared", "evals"}


def test_share_with_interviewer_from_the_scorecard(shared, store, corpus_store):
    from simulator.interview.session import InterviewSession

    session, _ = InterviewSession.start(corpus_store, store, "chat", seed=2, owner=ALICE)
    session.answer("/end")
    assert store.get(session.id).status == "finished"

    alice = app(ALICE)
    alice.query_params["session"] = session.id
    alice.run().switch_page(f"{PAGES}/scorecard.py").run()
    assert not alice.exception, alice.exception
    alice.text_input(key="share_email").set_value(" IVY@example.com ")
    alice.button(key="share_submit").click().run()
    assert store.shared_with(session.id) == [IVY]
    assert f"Shared with {IVY}" in " ".join(m.value for m in alice.markdown)

    ivy = app(IVY)
    ivy.query_params["session"] = session.id
    ivy.run().switch_page(f"{PAGES}/scorecard.py").run()
    assert not ivy.exception, ivy.exception
    assert "share_email" not in {w.key for w in ivy.text_input}  # only the owner shares
    assert not ivy.error

    alice.button(key=f"unshare_{IVY}").click().run()
    assert store.shared_with(session.id) == []
