"""The administration page's tables: the accounts and the audit log, read through their guards."""

from __future__ import annotations

import pandas as pd

from smartdash import actions
from smartdash.i18n import _
from smartdash.web.session import as_user


def users_table(lang: str) -> pd.DataFrame:
    users = as_user(actions.list_users)
    return pd.DataFrame(
        {
            _(lang, "Login"): users["login"],
            _(lang, "Role"): users["role"],
            _(lang, "Active"): [_(lang, "yes") if a else _(lang, "no") for a in users["active"]],
            _(lang, "Locked until"): [
                "" if pd.isna(t) or t is None else pd.Timestamp(t).strftime("%d/%m/%Y %H:%M") for t in users["locked_until"]
            ],
        }
    )


def audit_table(lang: str) -> pd.DataFrame:
    log = as_user(actions.audit_log)
    return pd.DataFrame(
        {
            _(lang, "When (UTC)"): [pd.Timestamp(t).strftime("%d/%m/%Y %H:%M:%S") for t in log["at"]],
            _(lang, "Who"): log["login"].fillna(""),
            _(lang, "Action"): log["action"],
            _(lang, "Detail"): log["detail"].fillna(""),
        }
    )
