"""My subscriptions: the weekly digest and the alerts by e-mail, for the logged-in account."""

from smartdash import subscriptions, ui
from smartdash.inert import st
from smartdash.views import pick

ui.ensure_app_frame()
user = ui.require_page("view")

lang = ui.language()
ui.start_page()
st.title(pick(lang, "Mes abonnements", "My subscriptions"))
st.caption(pick(lang, "Le récapitulatif de la semaine part le lundi matin ; une alerte part quand un indicateur franchit "
                      "son seuil, qu'une échéance ou un apport 1+1 passe en retard, ou que le test de cessation des "
                      "paiements passe sous 1 — une seule fois.",
                "The week's digest goes out on Monday morning; an alert goes out when an indicator crosses its "
                "threshold, an instalment or a 1+1 round becomes late, or the cessation-of-payments test falls "
                "below 1 — once."))
engine = ui.store_engine()
mine, email = subscriptions.read_own(user, engine)
names = ui.entity_names()
labels = {k: pick(lang, *v) for k, v in subscriptions.WHAT_LABELS.items()}

with st.form("subscriptions_own"):
    address = st.text_input(pick(lang, "Adresse électronique", "E-mail address"), value=email or "",
                            key="subscriptions_email")
    what = st.radio(pick(lang, "Recevoir", "Receive"), list(labels), format_func=labels.get, horizontal=True,
                    index=list(labels).index(subscriptions.what_of(mine)), key="subscriptions_what")
    chosen = st.multiselect(pick(lang, "Entités", "Entities"), list(names), format_func=names.get,
                            default=list(mine.entities) if mine else [], key="subscriptions_entities",
                            placeholder=pick(lang, "Toutes celles sous plan", "Every entity under the plan"))
    mail_lang = st.radio(pick(lang, "Langue des courriels", "Language of the e-mails"), list(subscriptions.LANGUAGES),
                         format_func={"fr": "Français", "en": "English"}.get, horizontal=True,
                         index=list(subscriptions.LANGUAGES).index(mine.lang if mine else lang),
                         key="subscriptions_lang")
    if st.form_submit_button(pick(lang, "Enregistrer", "Save"), type="primary"):
        try:
            if address.strip() != (email or ""):
                subscriptions.change_email(user, engine, user.login, address.strip() or None)
            if what == "none":
                subscriptions.remove(user, engine, user.login)
            else:
                subscriptions.save(user, engine, user.login, what=what, entities=chosen, lang=mail_lang)
            st.success(pick(lang, "Abonnement enregistré.", "Subscription saved."))
        except subscriptions.SubscriptionError as err:
            st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))

mine, email = subscriptions.read_own(user, engine)
if mine is None:
    st.info(pick(lang, "Vous ne recevez rien par courriel.", "You receive nothing by e-mail."), icon=":material/mail:")
else:
    followed = ", ".join(names.get(c, c) for c in mine.entities) or pick(lang, "toutes les entités sous plan",
                                                                         "every entity under the plan")
    st.info(pick(lang, f"Vous recevez : {labels[subscriptions.what_of(mine)]}, pour {followed}, à {email}.",
                 f"You receive: {labels[subscriptions.what_of(mine)]}, for {followed}, at {email}."),
            icon=":material/mark_email_read:")
