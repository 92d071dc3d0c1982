"""A local stand-in for the BAN's /search/ endpoint, to test the real HTTP client offline.

It answers in the BAN's GeoJSON format from a small table of Bordeaux addresses, and can play
the outages the product must survive: a 503, an answer slower than the client's timeout, a
reply that is not the BAN format. ``closed_url()`` gives an address where nothing listens.
"""

from __future__ import annotations

import json
import socket
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from shapely import Point

from foncier.geo import to_store

Mode = Literal["ok", "unavailable", "slow", "garbage", "malformed"]
CONTEXT = "33, Gironde, Nouvelle-Aquitaine"


@dataclass(frozen=True)
class Address:
    """One BAN answer: what the real service returns for the query, trimmed to our needs."""

    ban_id: str
    label: str
    score: float
    lon: float
    lat: float
    kind: str
    name: str
    postcode: str
    citycode: str
    city: str
    housenumber: str | None = None
    street: str | None = None
    importance: float = 0.6

    def feature(self) -> dict[str, Any]:
        x, y = to_store(Point(self.lon, self.lat)).coords[0]
        properties: dict[str, Any] = {
            "label": self.label,
            "score": self.score,
            "id": self.ban_id,
            "name": self.name,
            "postcode": self.postcode,
            "citycode": self.citycode,
            "x": round(x, 2),
            "y": round(y, 2),
            "city": self.city,
            "context": CONTEXT,
            "type": self.kind,
            "importance": self.importance,
        }
        # As in the BAN, street and number only appear when the match has them.
        if self.street:
            properties["street"] = self.street
        if self.housenumber:
            properties["housenumber"] = self.housenumber
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": properties,
        }


COMEDIE = Address(
    ban_id="33063_2140",
    label="Place de la Comédie 33000 Bordeaux",
    score=0.9712,
    lon=-0.575500,
    lat=44.842700,
    kind="street",
    name="Place de la Comédie",
    street="Place de la Comédie",
    postcode="33000",
    citycode="33063",
    city="Bordeaux",
    importance=0.7021,
)
METROPOLE = Address(
    ban_id="33063_2860_00001",
    label="1 Esplanade Charles de Gaulle 33000 Bordeaux",
    score=0.9683,
    lon=-0.579900,
    lat=44.837600,
    kind="housenumber",
    name="1 Esplanade Charles de Gaulle",
    housenumber="1",
    street="Esplanade Charles de Gaulle",
    postcode="33000",
    citycode="33063",
    city="Bordeaux",
    importance=0.6634,
)
VAGUE = Address(  # a street name found in many communes: the BAN picks one, unsure
    ban_id="33069_0920",
    label="Rue Victor Hugo 33110 Le Bouscat",
    score=0.35,
    lon=-0.600500,
    lat=44.865000,
    kind="street",
    name="Rue Victor Hugo",
    street="Rue Victor Hugo",
    postcode="33110",
    citycode="33069",
    city="Le Bouscat",
    importance=0.5412,
)


def normalized(text: str) -> str:
    """Case, accents and spacing removed, so the table matches queries loosely."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


KNOWN: dict[str, list[Address]] = {
    normalized("Place de la Comédie 33000 Bordeaux"): [COMEDIE],
    normalized("1 Esplanade Charles de Gaulle 33000 Bordeaux"): [METROPOLE],
    normalized("rue Victor Hugo"): [VAGUE],
}


def feature_collection(query: str, limit: int) -> dict[str, Any]:
    """The BAN's answer to ``/search/?q=query&limit=limit``."""
    matches = KNOWN.get(normalized(query), [])[:limit]
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": [address.feature() for address in matches],
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": query,
        "limit": limit,
    }


@dataclass
class Request:
    """What the client sent, so tests can check the query string and the User-Agent."""

    path: str
    params: dict[str, list[str]]
    user_agent: str | None


@dataclass
class Behaviour:
    """How the server answers now; tests switch it between calls."""

    mode: Mode = "ok"
    delay: float = 2.0  # for "slow": longer than the timeouts the tests give the client
    requests: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        behaviour = self.server.behaviour
        behaviour.requests.append(Request(url.path, params, self.headers.get("User-Agent")))
        # Slow: wake early when the server stops, and then answer nothing: the client is gone.
        if behaviour.mode == "slow" and behaviour.stopping.wait(behaviour.delay):
            return
        if behaviour.mode == "unavailable":
            self._send(503, "text/html", b"<html><body>503 Service Unavailable</body></html>")
        elif behaviour.mode == "garbage":
            self._send(200, "text/html", b"<html><body>Maintenance en cours</body></html>")
        elif not url.path.rstrip("/").endswith("/search"):  # a mirror may prefix a path
            self._json(404, {"code": 404, "message": "Not found"})
        elif not params.get("q"):
            self._json(400, {"code": 400, "message": "Failed parsing query"})
        elif behaviour.mode == "malformed":
            self._json(200, {"type": "FeatureCollection", "features": [{"properties": {}}]})
        else:
            limit = int(params.get("limit", ["5"])[0])
            self._json(200, feature_collection(params["q"][0], limit))

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, "application/json; charset=utf-8", json.dumps(body).encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the tests read ``Behaviour.requests`` instead."""


class _Server(ThreadingHTTPServer):
    # Handler threads are joined on close, so none outlives a test.
    daemon_threads = False
    block_on_close = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour


@dataclass
class BanServer:
    """A running server: its base URL and the behaviour to steer."""

    url: str
    behaviour: Behaviour


@contextmanager
def ban_server(mode: Mode = "ok") -> Iterator[BanServer]:
    """Serve on 127.0.0.1 at a port the OS picks, until the block ends."""
    behaviour = Behaviour(mode=mode)
    server = _Server(behaviour)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield BanServer(url=f"http://{host!s}:{port}", behaviour=behaviour)
    finally:
        behaviour.stopping.set()
        server.shutdown()
        thread.join()
        server.server_close()


def closed_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens: the port was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
