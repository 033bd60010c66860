"""Who is using the app, and what their role lets them do.

Two modes, chosen by the `auth` setting (`SDSIM_AUTH`, see docs/accounts.md):

- `local` (the default): one user, `LOCAL_USER`, no sign-in, role admin. The server binds
  127.0.0.1, so "one user" means this machine.
- `oidc`: Streamlit's own `st.login` against the OpenID Connect provider configured in
  `.streamlit/secrets.toml` `[auth]`. A user's id is their email (or the `sub` claim when the
  provider sends no email); every interview is stored with that id as its owner.

Roles come from configuration, never from the provider: `[roles]` in secrets.toml lists
`admins` and `interviewers` by email; everyone else is a candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from simulator.settings import get_settings
from simulator.store.sessions import LOCAL_USER

Role = Literal["candidate", "interviewer", "admin"]
ROLE_RANK: dict[Role, int] = {"candidate": 0, "interviewer": 1, "admin": 2}


@dataclass(frozen=True)
class User:
    """The signed-in user (or the local one)."""

    id: str
    name: str
    role: Role

    def can(self, role: Role) -> bool:
        """Whether this user has `role` or a higher one (admin > interviewer > candidate)."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


LOCAL = User(id=LOCAL_USER, name="you", role="admin")


def shared_mode() -> bool:
    return get_settings().auth == "oidc"


def _emails(secrets_key: str) -> set[str]:
    roles = st.secrets.get("roles", {}) if _has_secrets() else {}
    return {str(email).strip().lower() for email in roles.get(secrets_key, [])}


def _has_secrets() -> bool:
    return st.secrets.load_if_toml_exists()


def role_of(email: str) -> Role:
    """The configured role of `email`: listed under admins, interviewers, or a candidate."""
    email = email.strip().lower()
    if email in _emails("admins"):
        return "admin"
    if email in _emails("interviewers"):
        return "interviewer"
    return "candidate"


def current_user() -> User | None:
    """The user of this browser session; None in shared mode until they sign in."""
    if not shared_mode():
        return LOCAL
    if not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    user_id = str(email or st.user.get("sub"))
    name = str(st.user.get("name") or user_id)
    return User(id=user_id, name=name, role=role_of(user_id))


def user_id() -> str:
    """The owner id to store and look up interviews with (stops the page if signed out)."""
    return gate().id


def gate() -> User:
    """The current user; in shared mode a sign-in screen (and `st.stop()`) until signed in."""
    user = current_user()
    if user is not None:
        return user
    if not _has_secrets() or "auth" not in st.secrets:
        st.error("Sign-in is on (SDSIM_AUTH=oidc) but .streamlit/secrets.toml has no [auth] "
                 "section; see docs/accounts.md.")
        st.stop()
    st.title("sdsim — system-design interview practice")
    st.write("Sign in to practise; your interviews stay yours.")
    if st.button("Sign in", key="auth_login", icon=":material/login:"):
        st.login()
    st.stop()
    raise AssertionError("unreachable: st.stop() raises")


def sidebar(user: User) -> None:
    """Who is signed in, and a sign-out button (shared mode only)."""
    if not shared_mode():
        return
    with st.sidebar:
        st.caption(f"Signed in as {user.id} ({user.role})")
        if st.button("Sign out", key="auth_logout", icon=":material/logout:"):
            st.logout()


def require(role: Role) -> User:
    """Stop the page unless the user has `role`; says so the way a missing page would."""
    user = gate()
    if not user.can(role):
        st.error("This page is not available.")
        st.stop()
    return user
