"""Subscriptions: who may change whose, what is checked, and the pages where accounts and admins manage them."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartdash import auth, subscriptions
from smartdash.config import load_settings
from smartdash.db import session_scope
from smartdash.demo import load_demo
from smartdash.inert import escape
from tests.conftest import PASSWORD, login

ROOT = Path(__file__).resolve().parent.parent


def users(engine, *roles):
    for role in roles:
        auth.add_user(engine, role, role, PASSWORD, by="test")
    return {role: auth.CurrentUser(role, role) for role in roles}


def test_every_account_manages_its_own_subscription_and_only_admins_the_others(store):
    load_demo(store.engine)
    who = users(store.engine, "viewer", "editor", "admin")
    subscriptions.change_email(who["viewer"], store.engine, "viewer", "membre@example.org")
    subscriptions.save(who["viewer"], store.engine, "viewer", what="digest", entities=["ALTERNA"], lang="en")
    with pytest.raises(auth.PermissionDenied):
        subscriptions.save(who["editor"], store.engine, "viewer", what="both")
    with pytest.raises(auth.PermissionDenied):
        subscriptions.read_all(who["editor"], store.engine)
    subscriptions.save(who["admin"], store.engine, "editor", what="alerts", email="direction@example.org")
    mine, email = subscriptions.read_own(who["viewer"], store.engine)
    assert (mine.digest, mine.alerts, mine.entities, mine.lang, email) == (True, False, ("ALTERNA",), "en", "membre@example.org")
    everyone = subscriptions.read_all(who["admin"], store.engine)
    assert [(s.login, subscriptions.what_of(s), s.entities) for s in everyone] == [
        ("editor", "alerts", ()),
        ("viewer", "digest", ("ALTERNA",)),
    ]
    with session_scope(store.engine) as s:
        log = auth.audit_log(session=s)
        covered = subscriptions.covered_entities(session=s, subscriber=everyone[0])
    assert [c for c, _n in covered] == ["SMARTFR", "GRANDSENSEMBLE", "ALTERNA"]  # none chosen: those under plan
    assert list(log["action"][:3]) == ["subscription_set", "subscription_set", "email_set"]
    assert subscriptions.remove(who["viewer"], store.engine, "viewer") is True
    assert subscriptions.read_own(who["viewer"], store.engine)[0] is None


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"email": "sans-arobase.example.org"}, "une adresse électronique valide"),
        ({"email": "a@b.org", "entities": ["NULLEPART"]}, "un code d'entité connu (« NULLEPART » inconnu)"),
        ({"email": "a@b.org", "lang": "de"}, "une langue parmi : fr, en"),
        ({}, "une adresse électronique pour « viewer » (--email)"),
    ],
)
def test_a_bad_subscription_is_refused_with_what_was_expected_and_changes_nothing(store, kwargs, expected):
    users(store.engine, "viewer")
    with pytest.raises(subscriptions.SubscriptionError) as refused:
        subscriptions.subscribe(store.engine, "viewer", by="test", **kwargs)
    assert expected in refused.value.render("fr")
    with session_scope(store.engine) as s:
        assert subscriptions.subscribers(session=s) == [] and subscriptions.email_of(session=s, login="viewer") is None


def test_mail_settings_come_from_config_and_the_password_from_the_environment_or_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("SMARTDASH_SMTP_PASSWORD", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(
        '[mail]\nhost = "smtp.example.org"\nsecurity = "ssl"\nsender = "s@example.org"\nusername = "smartdash"\n',
        encoding="utf-8",
    )
    mail = load_settings(config).mail
    assert (mail.host, mail.port, mail.security, mail.username) == ("smtp.example.org", 465, "ssl", "smartdash")
    from smartdash.mail import smtp_password

    assert smtp_password(mail) is None
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[mail]\npassword = "du fichier"\n', encoding="utf-8")
    assert smtp_password(mail) == "du fichier"
    monkeypatch.setenv("SMARTDASH_SMTP_PASSWORD", "de l'environnement")
    assert smtp_password(mail) == "de l'environnement"
    assert "du fichier" not in repr(load_settings(config)) and "environnement" not in repr(load_settings(config))
    config.write_text('[mail]\nhost = "smtp.example.org"\nsecurity = "tls"\nsender = "s@example.org"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="security must be one of none, starttls, ssl"):
        load_settings(config)
    config.write_text('[mail]\nhost = ""\n', encoding="utf-8")
    assert load_settings(config).mail is None


def open_page(page: str, role: str) -> AppTest:
    at = login(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_viewer_subscribes_on_my_subscriptions_and_the_admin_sees_it(store, app_env):
    load_demo(store.engine)
    app_env(store.url)
    at = open_page("subscriptions", "viewer")
    assert at.title[0].value == "Mes abonnements"
    assert at.info[0].value == "Vous ne recevez rien par courriel."
    at.text_input(key="subscriptions_email").input("membre@example.org")
    at.radio(key="subscriptions_what").set_value("digest")
    at.multiselect(key="subscriptions_entities").set_value(["GRANDSENSEMBLE"])
    at.button[0].click().run()
    assert not at.exception and at.success[0].value == "Abonnement enregistré."
    # shown inert, as every stored text: the address is no mailto link
    assert at.info[0].value == escape("Vous recevez : récapitulatif hebdomadaire, pour GrandsEnsemble, à membre@example.org.")

    admin = open_page("admin", "admin")
    table = next(t.value for t in admin.dataframe if "Reçoit" in t.value.columns)
    assert table.to_dict("records") == [
        {
            "Compte": "viewer",
            "Adresse": "membre@example.org",
            "Rôle": "viewer",
            "Reçoit": "récapitulatif hebdomadaire",
            "Entités": "GrandsEnsemble",
            "Langue": "fr",
            "Actif": "oui",
        }
    ]
