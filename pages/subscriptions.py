"""My subscriptions: the weekly digest and the alerts by e-mail, for the logged-in account."""

from smartdash import subscriptions
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.web import downloads, session, store

session.ensure_app_frame()
user = session.require_page("view")

lang = session.language()
downloads.start_page()
st.title(_(lang, "My subscriptions"))
st.caption(
    _(
        lang,
        "The week's digest goes out on Monday morning; an alert goes out when an indicator crosses its "
        "threshold, an instalment or a 1+1 round becomes late, or the cessation-of-payments test falls "
        "below 1 — once.",
    )
)
engine = store.engine()
mine, email = subscriptions.read_own(user, engine)
names = store.entity_names()
labels = {k: _(lang, v) for k, v in subscriptions.WHAT_LABELS.items()}

with st.form("subscriptions_own"):
    address = st.text_input(_(lang, "E-mail address"), value=email or "", key="subscriptions_email")
    what = st.radio(
        _(lang, "Receive"),
        list(labels),
        format_func=labels.get,
        horizontal=True,
        index=list(labels).index(subscriptions.what_of(mine)),
        key="subscriptions_what",
    )
    chosen = st.multiselect(
        _(lang, "Entities"),
        list(names),
        format_func=names.get,
        default=list(mine.entities) if mine else [],
        key="subscriptions_entities",
        placeholder=_(lang, "Every entity under the plan"),
    )
    mail_lang = st.radio(
        _(lang, "Language of the e-mails"),
        list(subscriptions.LANGUAGES),
        format_func={"fr": "Français", "en": "English"}.get,
        horizontal=True,
        index=list(subscriptions.LANGUAGES).index(mine.lang if mine else lang),
        key="subscriptions_lang",
    )
    if st.form_submit_button(_(lang, "Save"), type="primary"):
        try:
            if address.strip() != (email or ""):
                subscriptions.change_email(user, engine, user.login, address.strip() or None)
            if what == "none":
                subscriptions.remove(user, engine, user.login)
            else:
                subscriptions.save(user, engine, user.login, what=what, entities=chosen, lang=mail_lang)
            st.success(_(lang, "Subscription saved."))
        except subscriptions.SubscriptionError as err:
            st.error(_(lang, "Refused, expected: {expected}", expected=err.render(lang)))

mine, email = subscriptions.read_own(user, engine)
if mine is None:
    st.info(_(lang, "You receive nothing by e-mail."), icon=":material/mail:")
else:
    followed = ", ".join(names.get(c, c) for c in mine.entities) or _(lang, "every entity under the plan")
    st.info(
        _(
            lang,
            "You receive: {label}, for {followed}, at {email}.",
            label=labels[subscriptions.what_of(mine)],
            followed=followed,
            email=email,
        ),
        icon=":material/mark_email_read:",
    )
