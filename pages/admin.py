"""Administration: accounts and roles, and the audit log."""

from smartdash import actions, auth, subscriptions
from smartdash.formatting import number
from smartdash.i18n import _, _n
from smartdash.inert import Md, st
from smartdash.web import admin, downloads, session, store, widgets

session.ensure_app_frame()
user = session.require_page("users")

lang = session.language()
downloads.start_page()
st.title(_(lang, "Administration"))
engine = store.engine()
roles = {
    "viewer": _(lang, "committee member (read, no client names)"),
    "editor": _(lang, "director (loads, undo, notes)"),
    "admin": _(lang, "administrator (accounts, catalogue, settings)"),
}

st.header(_(lang, "Accounts"))
widgets.table(admin.users_table(lang), _(lang, "Accounts"))
with st.form("admin_add_user", clear_on_submit=True):
    st.markdown(Md(_(lang, "**New account**")))
    c1, c2, c3 = st.columns(3)
    login = c1.text_input(_(lang, "Login"), key="admin_new_login")
    role = c2.selectbox(_(lang, "Role"), list(roles), format_func=roles.get, key="admin_new_role")
    password = c3.text_input(_(lang, "Password (12 characters or more)"), type="password", key="admin_new_password")
    if st.form_submit_button(_(lang, "Create")):
        try:
            session.as_user(actions.add_user, login, role, password)
            st.success(_(lang, 'Account "{login}" created.', login=login))
        except auth.AccountError as err:
            st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))

with st.form("admin_change_user"):
    st.markdown(Md(_(lang, "**Change an account**")))
    logins = list(admin.users_table(lang).iloc[:, 0])
    c1, c2, c3 = st.columns(3)
    target = c1.selectbox(_(lang, "Account"), logins, key="admin_target")
    new_role = c2.selectbox(
        _(lang, "New role"), [None, *roles], key="admin_target_role", format_func=lambda r: "—" if r is None else roles[r]
    )
    new_password = c3.text_input(_(lang, "New password"), type="password", key="admin_target_password")
    disable = st.checkbox(_(lang, "Disable this account"), key="admin_target_disable")
    if st.form_submit_button(_(lang, "Apply")):
        try:
            if new_role:
                session.as_user(actions.set_role, target, new_role)
            if new_password:
                session.as_user(actions.set_password, target, new_password)
            if disable:
                session.as_user(actions.disable_user, target)
            st.success(_(lang, "Changes saved."))
        except auth.AccountError as err:
            st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))

st.header(_(lang, "E-mail subscriptions"))
st.caption(
    Md(
        _(
            lang,
            "Weekly digest and alerts: `python -m smartdash digest --send` and `python -m smartdash alerts "
            "--send`, run by cron or a systemd timer (see the README).",
        )
    )
)
names = store.entity_names()
widgets.table(subscriptions.subscriptions_table(subscriptions.read_all(user, engine), lang, names), _(lang, "Subscriptions"))
what_labels = {k: _(lang, v) for k, v in subscriptions.WHAT_LABELS.items()}
with st.form("admin_subscription"):
    st.markdown(Md(_(lang, "**Subscribe an account, change or remove its subscription**")))
    c1, c2 = st.columns(2)
    sub_login = c1.selectbox(_(lang, "Account"), list(admin.users_table(lang).iloc[:, 0]), key="admin_sub_login")
    sub_email = c2.text_input(_(lang, "E-mail address (empty: unchanged)"), key="admin_sub_email")
    c1, c2, c3 = st.columns(3)
    sub_what = c1.selectbox(_(lang, "Receives"), list(what_labels), format_func=what_labels.get, key="admin_sub_what")
    sub_entities = c2.multiselect(
        _(lang, "Entities"),
        list(names),
        format_func=names.get,
        key="admin_sub_entities",
        placeholder=_(lang, "Every entity under the plan"),
    )
    sub_lang = c3.selectbox(_(lang, "Language"), list(subscriptions.LANGUAGES), key="admin_sub_lang")
    if st.form_submit_button(_(lang, "Save")):
        try:
            if sub_email.strip():
                subscriptions.change_email(user, engine, sub_login, sub_email.strip())
            if sub_what == "none":
                subscriptions.remove(user, engine, sub_login)
            else:
                subscriptions.save(user, engine, sub_login, what=sub_what, entities=sub_entities, lang=sub_lang)
            st.success(_(lang, '"{sub_login}"\'s subscription saved.', sub_login=sub_login))
        except subscriptions.SubscriptionError as err:
            st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))
failures = subscriptions.read_failures(user, engine)
if failures:
    st.warning(
        _n(
            lang,
            "{n_failures} failed delivery, tried again at the next run:",
            "{n_failures} failed deliveries, tried again at the next run:",
            len(failures),
            n_failures=number(len(failures), lang=lang),
        ),
        icon=":material/mail_lock:",
    )
    widgets.table(subscriptions.failures_table(failures, lang), _(lang, "Failed deliveries"))

st.header(_(lang, "Audit log"))
widgets.table(admin.audit_table(lang), _(lang, "Audit log"))
downloads.page_workbook("administration")
