"""Sending e-mail: multipart messages (plain text + HTML with inline images) through the configured SMTP server.

The password comes from the environment (SMARTDASH_SMTP_PASSWORD) or from `.streamlit/secrets.toml`
(`[mail] password`), is handed to the server and nowhere else: never printed, logged or stored.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from smartdash.config import MailSettings
from smartdash.i18n import N_, Refusal

ENV_PASSWORD = "SMARTDASH_SMTP_PASSWORD"
TIMEOUT_SECONDS = 30


NOT_CONFIGURED = N_(
    "Cannot send: no SMTP server is configured. Fill in the [mail] section of config.toml (host, port, security = "
    "none | starttls | ssl, sender) and, if the server asks for a login, the password in {env} or in "
    ".streamlit/secrets.toml ([mail] password). --out works without it."
)
PASSWORD_MISSING = N_("[mail] username is set but the password is missing ({env} or .streamlit/secrets.toml)")


class MailNotConfigured(Refusal):
    """No SMTP server in config.toml, or a login without its password: nothing can be sent. Rendered in the
    reader's language (`str()` reads English)."""

    def __init__(self, message: str = NOT_CONFIGURED) -> None:
        super().__init__(message, env=ENV_PASSWORD)


def smtp_password(settings: MailSettings) -> str | None:
    """The SMTP password: the environment first, then `[mail] password` in .streamlit/secrets.toml."""
    if os.environ.get(ENV_PASSWORD):
        return os.environ[ENV_PASSWORD]
    if settings.secrets_file is not None and settings.secrets_file.is_file():
        with settings.secrets_file.open("rb") as fh:
            password = tomllib.load(fh).get("mail", {}).get("password")
        return str(password) if password else None
    return None


@dataclass(frozen=True)
class InlineImage:
    """A PNG shown inside the HTML part, referred to as `cid:<cid>`."""

    cid: str
    png: bytes
    alt: str = ""


def new_cid(name: str) -> str:
    """A content id unique to this message (without the angle brackets)."""
    return make_msgid(idstring=name, domain="smartdash")[1:-1]


def build_message(
    *, sender: str, to: str, to_name: str, subject: str, text: str, html: str, images: Iterable[InlineImage] = ()
) -> EmailMessage:
    """multipart/alternative: the plain text, then the HTML (multipart/related with its inline images)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, formataddr((to_name, to)), subject
    msg["Message-ID"] = make_msgid(domain="smartdash")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies are not sent back
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[1]
    for image in images:
        html_part.add_related(
            image.png, "image", "png", cid=f"<{image.cid}>", filename=f"{image.cid.split('@')[0]}.png", disposition="inline"
        )
    return msg


def message_or_refusal(**parts) -> EmailMessage | str:
    """`build_message(**parts)`, or why it cannot be built (a header the e-mail library refuses: a line break in an
    account's name or address from before such names were refused): that one delivery fails, the others go."""
    try:
        return build_message(**parts)
    except (ValueError, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"


def _connect(settings: MailSettings, password: str | None) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        if settings.security == "starttls":
            smtp.starttls(context=context)
    if settings.username:
        if not password:
            smtp.close()
            raise MailNotConfigured(PASSWORD_MISSING)
        smtp.login(settings.username, password)
    return smtp


def describe(exc: Exception) -> str:
    """A refusal as the server worded it (code and text), or the error's kind: never the message or a password."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in exc.recipients.values()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, MailNotConfigured):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class _Connection:
    """One SMTP session for a run, opened on first use and re-opened once when the server drops it."""

    def __init__(self, settings: MailSettings):
        self.settings, self.password, self.smtp = settings, smtp_password(settings), None

    def send(self, message: EmailMessage) -> str | None:
        """None when the server took the message; the server's refusal when it refused this one message. Raises when
        the server itself cannot be used (unreachable, login refused, dropped twice)."""
        for attempt in (1, 2):
            try:
                if self.smtp is None:
                    self.smtp = _connect(self.settings, self.password)
                self.smtp.send_message(message)
                return None
            except smtplib.SMTPServerDisconnected:
                self.smtp = None
                if attempt == 2:
                    raise
            except (smtplib.SMTPNotSupportedError, ValueError, UnicodeError) as exc:  # this message only: not sent
                return describe(exc)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                try:
                    self.smtp.rset()
                except smtplib.SMTPException:
                    self.smtp = None
                return describe(exc)
        return None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except smtplib.SMTPException:
                self.smtp.close()


def send_all(settings: MailSettings, messages: list[EmailMessage | str]) -> list[str | None]:
    """Send each message; one error (None: sent) per message, in order. A message that could not be built (its
    reason in its place, `message_or_refusal`) or that the server refuses does not stop the others; when the server
    cannot be used at all, every message not yet sent gets that reason."""
    errors: list[str | None] = []
    connection = _Connection(settings)
    try:
        for message in messages:
            errors.append(message if isinstance(message, str) else connection.send(message))
    except (OSError, smtplib.SMTPException, MailNotConfigured) as exc:
        errors += [describe(exc)] * (len(messages) - len(errors))
    finally:
        connection.close()
    return errors
