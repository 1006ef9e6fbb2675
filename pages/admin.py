"""Administration: accounts and roles, and the audit log."""

from smartdash import auth, ui
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

st.subheader(pick(lang, "Journal d'audit", "Audit log"))
ui.table(ui.audit_table(lang), pick(lang, "Journal d'audit", "Audit log"))
ui.page_workbook("administration")
