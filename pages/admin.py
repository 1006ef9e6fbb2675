"""Administration: accounts and roles, and the audit log."""

from smartdash import auth, subscriptions, ui
from smartdash.inert import Md, st
from smartdash.views import pick

ui.ensure_app_frame()
user = ui.require_page("users")

lang = ui.language()
ui.start_page()
st.title(pick(lang, "Administration", "Administration"))
engine = ui.store_engine()
roles = {"viewer": pick(lang, "membre du comité (lecture, sans noms de clients)", "committee member (read, no client names)"),
         "editor": pick(lang, "direction (chargements, annulations, notes)", "director (loads, undo, notes)"),
         "admin": pick(lang, "administrateur (comptes, catalogue, réglages)", "administrator (accounts, catalogue, settings)")}

st.subheader(pick(lang, "Comptes", "Accounts"))
ui.table(ui.users_table(lang), pick(lang, "Comptes", "Accounts"))
with st.form("admin_add_user", clear_on_submit=True):
    st.markdown(Md(pick(lang, "**Nouveau compte**", "**New account**")))
    c1, c2, c3 = st.columns(3)
    login = c1.text_input(pick(lang, "Identifiant", "Login"), key="admin_new_login")
    role = c2.selectbox(pick(lang, "Rôle", "Role"), list(roles), format_func=roles.get, key="admin_new_role")
    password = c3.text_input(pick(lang, "Mot de passe (12 caractères au moins)", "Password (12 characters or more)"),
                             type="password", key="admin_new_password")
    if st.form_submit_button(pick(lang, "Créer", "Create")):
        try:
            ui.admin_action("add_user", login, role, password)
            st.success(pick(lang, f"Compte « {login} » créé.", f"Account \"{login}\" created."))
        except auth.AccountError as err:
            st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))

with st.form("admin_change_user"):
    st.markdown(Md(pick(lang, "**Modifier un compte**", "**Change an account**")))
    logins = list(ui.users_table(lang).iloc[:, 0])
    c1, c2, c3 = st.columns(3)
    target = c1.selectbox(pick(lang, "Compte", "Account"), logins, key="admin_target")
    new_role = c2.selectbox(pick(lang, "Nouveau rôle", "New role"), [None, *roles], key="admin_target_role",
                            format_func=lambda r: "—" if r is None else roles[r])
    new_password = c3.text_input(pick(lang, "Nouveau mot de passe", "New password"), type="password",
                                 key="admin_target_password")
    disable = st.checkbox(pick(lang, "Désactiver ce compte", "Disable this account"), key="admin_target_disable")
    if st.form_submit_button(pick(lang, "Appliquer", "Apply")):
        try:
            if new_role:
                ui.admin_action("set_role", target, new_role)
            if new_password:
                ui.admin_action("set_password", target, new_password)
            if disable:
                ui.admin_action("disable_user", target)
            st.success(pick(lang, "Modifications enregistrées.", "Changes saved."))
        except auth.AccountError as err:
            st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))

st.subheader(pick(lang, "Abonnements par courriel", "E-mail subscriptions"))
st.caption(Md(pick(lang, "Récapitulatif hebdomadaire et alertes : `python -m smartdash digest --send` et "
                         "`python -m smartdash alerts --send`, lancés par cron ou un minuteur systemd (voir le README).",
                   "Weekly digest and alerts: `python -m smartdash digest --send` and `python -m smartdash alerts "
                   "--send`, run by cron or a systemd timer (see the README).")))
names = ui.entity_names()
ui.table(subscriptions.subscriptions_table(subscriptions.read_all(user, engine), lang, names),
         pick(lang, "Abonnements", "Subscriptions"))
what_labels = {k: pick(lang, *v) for k, v in subscriptions.WHAT_LABELS.items()}
with st.form("admin_subscription"):
    st.markdown(Md(pick(lang, "**Abonner un compte, changer ou retirer son abonnement**",
                        "**Subscribe an account, change or remove its subscription**")))
    c1, c2 = st.columns(2)
    sub_login = c1.selectbox(pick(lang, "Compte", "Account"), list(ui.users_table(lang).iloc[:, 0]),
                             key="admin_sub_login")
    sub_email = c2.text_input(pick(lang, "Adresse électronique (vide : inchangée)", "E-mail address (empty: unchanged)"),
                              key="admin_sub_email")
    c1, c2, c3 = st.columns(3)
    sub_what = c1.selectbox(pick(lang, "Reçoit", "Receives"), list(what_labels), format_func=what_labels.get,
                            key="admin_sub_what")
    sub_entities = c2.multiselect(pick(lang, "Entités", "Entities"), list(names), format_func=names.get,
                                  key="admin_sub_entities",
                                  placeholder=pick(lang, "Toutes celles sous plan", "Every entity under the plan"))
    sub_lang = c3.selectbox(pick(lang, "Langue", "Language"), list(subscriptions.LANGUAGES), key="admin_sub_lang")
    if st.form_submit_button(pick(lang, "Enregistrer", "Save")):
        try:
            if sub_email.strip():
                subscriptions.change_email(user, engine, sub_login, sub_email.strip())
            if sub_what == "none":
                subscriptions.remove(user, engine, sub_login)
            else:
                subscriptions.save(user, engine, sub_login, what=sub_what, entities=sub_entities, lang=sub_lang)
            st.success(pick(lang, f"Abonnement de « {sub_login} » enregistré.", f"\"{sub_login}\"'s subscription saved."))
        except subscriptions.SubscriptionError as err:
            st.error(pick(lang, "Refusé, attendu : ", "Refused, expected: ") + str(err))
failures = subscriptions.read_failures(user, engine)
if failures:
    st.warning(pick(lang, f"{len(failures)} envoi(s) en échec, retenté(s) au prochain passage :",
                    f"{len(failures)} failed delivery(ies), tried again at the next run:"), icon=":material/mail_lock:")
    ui.table(subscriptions.failures_table(failures, lang), pick(lang, "Envois en échec", "Failed deliveries"))

st.subheader(pick(lang, "Journal d'audit", "Audit log"))
ui.table(ui.audit_table(lang), pick(lang, "Journal d'audit", "Audit log"))
ui.page_workbook("administration")
