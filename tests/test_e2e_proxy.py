"""The first administrator through a real reverse proxy: nginx configured as the README's example (it forwards the
visitor's Host header) in front of a real `streamlit run app.py` on a store without any account. Every request then
reaches the server from 127.0.0.1, and a remote visitor may send `Host: localhost`: neither can tell who may create
the first administrator. The setup token the server printed in its log does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from smartdash import auth
from smartdash.db import make_engine
from tests.test_e2e import CHROMIUM_ARGS, ensure_chromium, free_port

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
PASSWORD = "un mot de passe de mise en service"
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream smartdash {{
        ip_hash;
        server 127.0.0.1:{upstream};
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name tableau.example.org;
        client_max_body_size 50m;
        location / {{
            proxy_pass http://smartdash;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
        }}
    }}
}}
"""


def ensure_nginx() -> str:
    """Debian's nginx, installed from the distribution's packages when it is missing."""
    if not Path(NGINX).exists():
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=False, capture_output=True)
        if not Path(NGINX).exists():
            subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, capture_output=True)
    return NGINX


def wait_for(url: str, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    process.kill()
    pytest.fail(f"{what} did not start")


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """A smartdash server on a store without any account, behind nginx; the proxy's address, the server's log and the
    store's URL."""
    folder = tmp_path_factory.mktemp("proxy")
    url = f"sqlite:///{folder / 'smartdash.db'}"
    env = dict(os.environ, SMARTDASH_DATABASE_URL=url, SMARTDASH_CONFIG=str(ROOT / "tests" / "no-demo.toml"))
    subprocess.run([sys.executable, "-m", "smartdash", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    upstream, port = free_port(), free_port()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(upstream), "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(f"http://127.0.0.1:{upstream}/_stcore/health", "the smartdash server", server)
    (folder / "nginx.conf").write_text(NGINX_CONF.format(prefix=folder, upstream=upstream, port=port), encoding="utf-8")
    proxy = subprocess.Popen(
        [ensure_nginx(), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(f"http://127.0.0.1:{port}/_stcore/health", "nginx", proxy)
    yield f"http://localhost:{port}", folder / "server.log", url
    proxy.terminate()
    server.terminate()
    proxy.wait(timeout=20)
    server.wait(timeout=20)
    log.close()


def test_through_nginx_the_first_administrator_needs_the_token_from_the_servers_log(proxied):
    from playwright.sync_api import sync_playwright

    address, server_log, url = proxied
    engine = make_engine(url)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.set_default_timeout(60_000)
        tab.goto(address)  # Host: localhost, forwarded by nginx; the server sees 127.0.0.1
        tab.get_by_role("heading", name="Premier démarrage : créez le compte administrateur").wait_for()
        tab.get_by_label("Jeton de mise en service (dans le journal du serveur)").fill("0" * 32)
        tab.get_by_label("Identifiant").fill("mallory")
        tab.get_by_label("Mot de passe (12 caractères au moins)").fill(PASSWORD)
        tab.get_by_role("button", name="Créer le compte").click()
        tab.get_by_text("le jeton de mise en service affiché dans le journal du serveur").wait_for()
        assert not auth.has_users(engine)

        [token] = re.findall(r"smartdash: setup token ([0-9a-f]{32})", server_log.read_text(encoding="utf-8"))
        tab.get_by_label("Jeton de mise en service (dans le journal du serveur)").fill(token)
        tab.get_by_label("Identifiant").fill("alice")
        tab.get_by_label("Mot de passe (12 caractères au moins)").fill(PASSWORD)
        tab.get_by_role("button", name="Créer le compte").click()
        tab.get_by_role("heading", name="Vue d'ensemble du plan").wait_for()
        assert auth.has_users(engine)

        later = browser.new_page()  # another visitor, through the proxy: the login form, no first-admin form
        later.goto(address)
        later.get_by_role("button", name="Se connecter").wait_for()
        assert later.get_by_text("Premier démarrage").count() == 0
        browser.close()
    engine.dispose()
