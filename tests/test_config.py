"""Settings: config.toml, the environment override, relative SQLite paths."""

import pytest

from smartdash.config import ROOT, load_settings


def test_default_store_is_the_sqlite_file_under_data(monkeypatch):
    monkeypatch.delenv("SMARTDASH_DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{ROOT / 'data' / 'smartdash.db'}"
    assert settings.language == "fr"
    assert settings.import_max_file_mb == 50


def test_environment_overrides_the_database_url(monkeypatch):
    monkeypatch.setenv("SMARTDASH_DATABASE_URL", "postgresql+psycopg://u@db/smartdash")
    assert load_settings().database_url == "postgresql+psycopg://u@db/smartdash"


def test_relative_sqlite_path_is_relative_to_the_config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SMARTDASH_DATABASE_URL", raising=False)
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "sqlite:///store/x.db"\n[app]\nlanguage = "en"\n', encoding="utf-8")
    settings = load_settings(config)
    assert settings.database_url == f"sqlite:///{tmp_path / 'store' / 'x.db'}"
    assert settings.language == "en"


def test_unknown_language_is_refused_naming_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[app]\nlanguage = "de"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="config.toml"):
        load_settings(config)
