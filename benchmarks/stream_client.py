"""A client that speaks Streamlit's own websocket protocol (streamlit 1.67) to a smartdash server, as the browser
does: connect to /_stcore/stream, ask for a run (a BackMsg `rerun_script` with the page and the widgets' values),
read the ForwardMsgs up to the run's `script_finished`. It fills the login form, opens pages from the navigation
and reports what each run sent: its elements, their text, exceptions, bytes and time.

It asks the server for nothing a browser would not (no static files either: a browser has them cached after its
first visit), so many of them measure the server alone. Used by benchmarks/load.py and tests/test_freshness.py.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus
TEXT_FIELDS = {"markdown": "body", "heading": "body", "alert": "body", "text": "body", "exception": "message"}


@dataclass
class Run:
    """What one page run sent: elements in the order they came, the navigation, bytes and seconds."""

    elements: list = field(default_factory=list)
    navigation: object = None
    bytes: int = 0
    messages: int = 0
    seconds: float = 0.0
    bytes_by_type: dict = field(default_factory=dict)

    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    def texts(self) -> list[str]:
        """The text a reader sees: markdown, headings, alerts, metrics (label and value), widget labels."""
        out = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            value = getattr(element, kind)
            if kind in TEXT_FIELDS:
                out.append(getattr(value, TEXT_FIELDS[kind]))
            elif kind == "metric":
                out += [value.label, value.body]
            elif hasattr(value, "label"):
                out.append(value.label)
        return out

    def text(self) -> str:
        return "\n".join(self.texts())

    def exceptions(self) -> list[str]:
        return [f"{e.type}: {e.message}" for e in self.of_type("exception")]

    def headings(self) -> list[str]:
        return [h.body for h in self.of_type("heading")]


class StreamlitClient:
    """One browser-like session on a Streamlit server at `base` (http://127.0.0.1:PORT)."""

    def __init__(self, base: str, *, timeout: float = 120):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.ws = None
        self.widgets: dict[str, object] = {}  # element id → the element, from the last run
        self.values: dict[str, WidgetState] = {}  # what the browser sends again at every run: the widgets' values
        self.xsrf = ""
        self.cached: dict[str, ForwardMsg] = {}  # the browser's message cache: hash → message
        self.navigation = None
        self.page_hash = ""

    async def __aenter__(self) -> StreamlitClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self) -> None:
        """What the frontend does: ask for the server's health (which sets the XSRF cookie) and host config, then
        open the websocket with the XSRF token as its second subprotocol."""
        health = await asyncio.to_thread(self._http, "/_stcore/health")
        cookie = health.headers.get("Set-Cookie", "")
        self.xsrf = cookie.split("_streamlit_xsrf=", 1)[1].split(";", 1)[0] if "_streamlit_xsrf=" in cookie else ""
        await asyncio.to_thread(self._http, "/_stcore/host-config")
        host = self.base.split("//", 1)[1]
        protocols = ["streamlit", self.xsrf] if self.xsrf else ["streamlit"]
        # no keepalive pings of its own (a browser sends none): a busy server is waited for, as a browser waits
        self.ws = await websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=protocols,
            origin=self.base,
            additional_headers=self._cookie(),
            max_size=None,
            ping_interval=None,
            open_timeout=self.timeout,
        )

    def _cookie(self) -> dict[str, str]:
        return {"Cookie": f"_streamlit_xsrf={self.xsrf}"} if self.xsrf else {}

    def _http(self, path: str, *, data: bytes | None = None, method: str = "GET", headers: dict | None = None):
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={**self._cookie(), **(headers or {})}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()
            return response

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(self, *, page_hash: str | None = None, widgets: list[WidgetState] | None = None) -> Run:
        """Ask for a run of `page_hash` (default: the current page) with these widget values; return the last run's
        content once the server says it finished (a run that ends in st.rerun() is followed to the next one)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        for widget in widgets or []:
            if not widget.HasField("trigger_value"):
                self.values[widget.id] = widget
        triggers = [w for w in widgets or [] if w.HasField("trigger_value")]
        state.widget_states.widgets.extend([*self.values.values(), *triggers])
        state.cached_message_hashes.extend(self.cached)
        state.context_info.timezone = "Europe/Paris"
        state.context_info.locale = "fr-FR"
        state.context_info.url = self.base + "/"
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run()
        while True:
            data = await asyncio.wait_for(self.ws.recv(), self.timeout)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            run.bytes += len(data)
            run.messages += 1
            kind = forward.WhichOneof("type")
            sub = forward.delta.WhichOneof("type") if kind == "delta" else None
            label = (forward.delta.new_element.WhichOneof("type") if sub == "new_element" else sub) or kind
            run.bytes_by_type[label] = run.bytes_by_type.get(label, 0) + len(data)
            if kind == "ref_hash":
                forward = self.cached[forward.ref_hash]
                kind = "delta"
            elif forward.metadata.cacheable:
                self.cached[forward.hash] = forward
            if kind == "new_session":  # a run starts: what came before belongs to an earlier run
                run.elements, run.navigation = [], None
                self.page_hash = forward.new_session.page_script_hash
            elif kind == "navigation":
                run.navigation = self.navigation = forward.navigation
                self.page_hash = forward.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                pass
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                run.elements.append(forward.delta.new_element)
            elif kind == "script_finished" and forward.script_finished in (
                FINISHED.FINISHED_SUCCESSFULLY,
                FINISHED.FINISHED_WITH_COMPILE_ERROR,
            ):
                break
        run.seconds = time.perf_counter() - start
        self.widgets = {}
        for element in run.elements:
            value = getattr(element, element.WhichOneof("type"))
            if getattr(value, "id", ""):
                self.widgets[value.id] = value
        self.values = {k: v for k, v in self.values.items() if k in self.widgets}  # the browser forgets the rest
        return run

    def widget(self, kind: str, label: str):
        for value in self.widgets.values():
            if value.DESCRIPTOR.name.lower().replace("_", "") == kind.replace("_", "") and value.label == label:
                return value
        raise LookupError(f"no {kind} labelled {label!r} in the last run")

    async def login(self, login: str, password: str, *, labels=("Identifiant", "Mot de passe", "Se connecter")) -> Run:
        """Open the app (the login form) if not yet done, fill the form and submit it, as a reader does."""
        if not self.widgets:
            await self.run()
        user, secret, submit = labels
        states = []
        for label, text in ((user, login), (secret, password)):
            state = WidgetState(id=self.widget("text_input", label).id)
            state.string_value = text
            states.append(state)
        states.append(WidgetState(id=self.widget("button", submit).id, trigger_value=True))
        return await self.run(widgets=states)

    async def click(self, label: str) -> Run:
        """Press a button (a form's submit button included)."""
        return await self.run(widgets=[WidgetState(id=self.widget("button", label).id, trigger_value=True)])

    async def upload(self, label: str, name: str, data: bytes) -> Run:
        """Choose a file in a file uploader: ask the server where to put it, PUT it there as the browser does
        (multipart, with the XSRF token), then run with the uploader's new state."""
        uploader = self.widget("file_uploader", label)
        request = BackMsg()
        request.file_urls_request.request_id = name
        request.file_urls_request.file_names.append(name)
        await self.ws.send(request.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), self.timeout))
            if forward.WhichOneof("type") == "file_urls_response":
                break
        urls = forward.file_urls_response.file_urls[0]
        boundary = "smartdashbenchboundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: text/csv\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        await asyncio.to_thread(
            self._http,
            urls.upload_url,
            data=body,
            method="PUT",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": self.xsrf},
        )
        state = WidgetState(id=uploader.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        return await self.run(widgets=[state])

    def page_hash_of(self, title: str) -> str:
        for page in self.navigation.app_pages:
            if page.page_name == title:
                return page.page_script_hash
        raise LookupError(f"no page titled {title!r} in the navigation")

    async def open(self, title: str) -> Run:
        """Open a page of the navigation by its title, as a click in the sidebar does."""
        return await self.run(page_hash=self.page_hash_of(title))
