"""Hostile requests against the respondent pages and the login form: never a 5xx, never half a response.

Hypothesis builds each request from parts a hostile or broken client would send: any method
(HEAD, PUT, DELETE …), a valid, forged or mangled link token, a query string, a body that is
form-encoded, raw bytes, multipart, JSON or plain text — declared truthfully or not — holding
a complete answer sheet with fields dropped, repeated, replaced by huge, NUL-bearing,
invalid-UTF-8 or foreign values, with a fresh, replayed, forged or missing ticket and CSRF
token.  Bounded (fixed seed, fixed number of examples) so it runs in CI on both databases.

Checked: every reply is below 500, and afterwards no stored response lacks one of its
required answers (a response is stored whole or not at all).
"""

from __future__ import annotations

import functools
import json
import time
from collections import Counter
from urllib.parse import quote

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import HIDDEN, all_satisfied, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import Answer, Response

#: Examples per endpoint family; together well over 2,000 requests (asserted below).
RESPOND_EXAMPLES = 1500
LOGIN_EXAMPLES = 600
def bounded(max_examples: int) -> settings:
    """Fixed seed, no example database, no deadline: the same requests on every run."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


METHODS = st.sampled_from(["GET", "POST", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"])
#: Text that breaks naive code: NUL and other controls, lone surrogates (sent as invalid UTF-8),
#: right-to-left marks, full-width digits, markup.
NASTY = st.text(st.characters(codec=None, categories=None, exclude_categories=()), max_size=40) | st.sampled_from([
    "\x00", "A\x00", "\x00" * 50, "\ud800", "\udfff x", "\u202e", "１２３", "<script>alert(1)</script>", "' OR 1=1 --",
    "%00", "../../etc/passwd", "\r\n\r\n", "NaN", "inf", "-0", "1e309", "[]", "{}", "null"])
#: Past the 2,000-character answer limit, past the 500 KB form-field limit.
HUGE = st.sampled_from([2001, 20_000, 300_000, 600_000]).map(lambda n: "长" * n)
COMMON = st.sampled_from(["A", "B", "D", "Z", "1", "5", "other", "", " "])


@st.composite
def values(draw) -> str:
    """A field value: huge one time in twenty (parsing them is what costs), else nasty or plausible."""
    pick = draw(st.integers(0, 19))
    return draw(HUGE if pick == 0 else NASTY if pick < 10 else COMMON)


VALUES = values()
FOREIGN_KEYS = st.sampled_from(["q_", "q_Q99", "q_q1", "Q1", "q_Q1[]", "q_Q1 ", "unit[]", "__proto__", "nonce",
                                "csrf_token[]", "ticket ", "q_\x00", "q_Q1\x00"]) | NASTY.map(lambda s: "q_" + s)

TICKET_MODES = st.sampled_from(["fresh", "fresh", "fresh", "replayed", "forged", "other_link", "missing", "repeated"])
CSRF_MODES = st.sampled_from(["fresh", "fresh", "fresh", "forged", "missing", "repeated"])
BODY_KINDS = st.sampled_from(["form", "form", "form", "form", "raw", "multipart", "json", "text", "none"])
CONTENT_TYPES = st.sampled_from([None, None, None, "application/json", "text/plain", "multipart/form-data",
                                 "application/x-www-form-urlencoded; charset=gbk", "application/octet-stream"])


def encode(value: str) -> bytes:
    """UTF-8, lone surrogates included: that is how they arrive over the wire (as invalid UTF-8)."""
    return value.encode("utf-8", "surrogatepass")


@functools.lru_cache(maxsize=1024)
def quoted(value: str) -> bytes:
    """Percent-encoded (cached: ``quote`` walks byte by byte, and the huge values repeat)."""
    return quote(encode(value), safe="").encode()


def form_body(pairs: list[tuple[str, str]]) -> bytes:
    return b"&".join(quoted(k) + b"=" + quoted(v) for k, v in pairs)


def multipart_body(pairs: list[tuple[str, str]], boundary: str = "fuzzfuzz") -> bytes:
    parts = []
    for index, (key, value) in enumerate(pairs):
        name = encode(key).replace(b'"', b"")
        filename = b'; filename="a\x00.csv"' if index % 7 == 3 else b""
        parts.append(b"--" + boundary.encode() + b'\r\nContent-Disposition: form-data; name="' + name + b'"'
                     + filename + b"\r\n\r\n" + encode(value) + b"\r\n")
    return b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"


@st.composite
def bodies(draw, pairs: list[tuple[str, str]]):
    """(bytes, content type) for the pairs, in a drawn encoding, maybe with a lying content type."""
    kind = draw(BODY_KINDS)
    declared = draw(CONTENT_TYPES)
    if kind == "form":
        data, content_type = form_body(pairs), "application/x-www-form-urlencoded"
    elif kind == "raw":  # not percent-encoded: raw bytes, '&' and '=' inside values
        data, content_type = b"&".join(encode(k) + b"=" + encode(v) for k, v in pairs), "application/x-www-form-urlencoded"
    elif kind == "multipart":
        data, content_type = multipart_body(pairs), "multipart/form-data; boundary=fuzzfuzz"
    elif kind == "json":
        data, content_type = json.dumps(dict(pairs)).encode(), "application/json"
    elif kind == "text":
        data, content_type = "\n".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass"), "text/plain"
    else:
        data, content_type = b"", None
    lie = draw(st.booleans()) and draw(st.booleans())
    return data, (declared if lie else content_type)


@st.composite
def query_strings(draw) -> str:
    if draw(st.integers(0, 3)):
        return ""
    pairs = draw(st.lists(st.tuples(NASTY | st.just("next"), NASTY), max_size=3))
    return "?" + form_body(pairs).decode()


class Fuzzer:
    """Sends the drawn requests through one test client and keeps what later requests reuse."""

    def __init__(self, client, links: dict[str, str], units: list[str]):
        self.client, self.links, self.units = client, links, units
        self.sent = Counter()
        self.hidden: dict[str, dict] = {}
        self.used_tickets: dict[str, str] = {}

    def send(self, method: str, path: str, data: bytes = b"", content_type: str | None = None, client=None,
             address: str = "127.0.0.1"):
        reply = (client or self.client).open(path, method=method, data=data, content_type=content_type,
                                             environ_base={"REMOTE_ADDR": address})
        self.sent[method] += 1
        assert reply.status_code < 500, (method, path[:120], content_type, data[:300], reply.status_code)
        return reply

    def fresh(self, path: str) -> dict:
        """Valid hidden fields for ``path``: fetched once, and again after their ticket was used."""
        if path not in self.hidden:
            page = self.send("GET", path)
            if page.status_code == 200:
                self.hidden[path] = dict(HIDDEN.findall(page.get_data(as_text=True)))
        return self.hidden.get(path, {})


def respond_pairs(draw, fuzzer: Fuzzer, link: str, questionnaire) -> list[tuple[str, str]]:
    answers = {f"q_{k}": v for k, v in all_satisfied(questionnaire, draw(st.sampled_from("ABCD"))).items()}
    if link == "o":
        answers["unit"] = draw(st.sampled_from([*fuzzer.units, "other", "other", "", "0", "-1", "999999"]))
        answers["unit_other"] = draw(VALUES)
    if draw(st.integers(0, 2)) == 0:  # a third of the sheets arrive complete and clean
        return [(k, v) for k, vs in answers.items() for v in (vs if isinstance(vs, list) else [vs])]
    for key in draw(st.sets(st.sampled_from(sorted(answers)), max_size=3)):
        if draw(st.booleans()):
            del answers[key]
        else:
            answers[key] = draw(VALUES)
    pairs = [(k, v) for k, vs in answers.items() for v in (vs if isinstance(vs, list) else [vs])]
    pairs += draw(st.lists(st.tuples(FOREIGN_KEYS, VALUES), max_size=3))
    pairs += [(k, draw(VALUES)) for k in draw(st.lists(st.sampled_from(sorted(answers) or ["q_Q1"]), max_size=2))]
    if draw(st.booleans()):
        pairs.append(("q_Q1R", draw(VALUES)))  # a follow-up that applies only after C/D
    return pairs


def token_fields(draw, fuzzer: Fuzzer, path: str, other_path: str, wellformed: bool) -> list[tuple[str, str]]:
    ticket_mode, csrf_mode = ("fresh", "fresh") if wellformed else (draw(TICKET_MODES), draw(CSRF_MODES))
    hidden = fuzzer.fresh(path) if "fresh" in (ticket_mode, csrf_mode) else fuzzer.hidden.get(path, {})
    fields = []
    ticket = {"fresh": hidden.get("ticket"), "replayed": fuzzer.used_tickets.get(path),
              "forged": draw(NASTY), "other_link": fuzzer.hidden.get(other_path, {}).get("ticket"),
              "repeated": hidden.get("ticket")}[ticket_mode] if ticket_mode != "missing" else None
    if ticket is not None:
        fields.append(("ticket", ticket))
        if ticket_mode == "repeated":
            fields.append(("ticket", draw(NASTY)))
    csrf = {"fresh": hidden.get("csrf_token"), "forged": draw(NASTY), "repeated": hidden.get("csrf_token"),
            "missing": None}[csrf_mode]
    if csrf is not None:
        fields.append(("csrf_token", csrf))
        if csrf_mode == "repeated":
            fields.insert(0, ("csrf_token", draw(NASTY)))
    return fields


def path_for(draw, fuzzer: Fuzzer, link: str) -> str:
    token = fuzzer.links[link]
    mangle = draw(st.integers(0, 9))
    if mangle == 0:
        token = quote(encode(draw(NASTY)), safe="") or "x"
    elif mangle == 1:
        token = token + quote(encode(draw(NASTY)), safe="")
    elif mangle == 2:
        token = draw(st.sampled_from(["%00", token + "%00", "%ff%fe", "%ed%a0%80", "x" * 500, token.upper()]))
    return f"/{link}/{token}"


def test_hostile_requests_never_fail_and_never_store_half_a_response(app, ctx, industrial, monkeypatch):
    from survey_app.services import accounts

    # scrypt is slow on purpose; the fuzz is about the input, not the hash: check passwords cheaply.
    monkeypatch.setattr(accounts, "check_password_hash", lambda stored, given: given == "password-123456")
    survey = make_survey(industrial)
    make_user("alice")
    unit_path, open_path = f"/s/{survey.units[0].token}", f"/o/{survey.open_token}"
    fuzzer = Fuzzer(app.test_client(), {"s": survey.units[0].token, "o": survey.open_token},
                    [str(u.id) for u in survey.units])
    started = time.perf_counter()

    @bounded(RESPOND_EXAMPLES)
    @given(st.data())
    def respond(data):
        draw = data.draw
        link = draw(st.sampled_from(["s", "o"]))
        # One request in four is a well-formed POST (only its answers are hostile), so that the
        # storing path — where half a response could be left behind — is reached often.
        wellformed = draw(st.integers(0, 3)) == 0
        path = f"/{link}/{fuzzer.links[link]}" if wellformed else path_for(draw, fuzzer, link)
        exact = path in (unit_path, open_path)
        other = open_path if link == "s" else unit_path
        fields = token_fields(draw, fuzzer, path, other, wellformed) if exact else []
        pairs = respond_pairs(draw, fuzzer, link, industrial)
        pairs = fields + pairs if draw(st.booleans()) else pairs + fields
        if wellformed:
            body, content_type, method, query = form_body(pairs), "application/x-www-form-urlencoded", "POST", ""
        else:
            (body, content_type), method, query = draw(bodies(pairs)), draw(METHODS), draw(query_strings())
        reply = fuzzer.send(method, path + query, body, content_type)
        if reply.status_code == 303 and exact:
            fuzzer.used_tickets[path] = dict(fields).get("ticket", "")
            fuzzer.hidden.pop(path, None)  # its nonce is used up: the next "fresh" ticket is fetched

    @bounded(LOGIN_EXAMPLES)
    @given(st.data())
    def login(data):
        draw = data.draw
        # A client of its own (a successful login must not end the fuzzing of the form), and an
        # address drawn from a few, so the rate limit is met but does not answer every request.
        client, address = app.test_client(), f"10.0.0.{draw(st.integers(1, 40))}"
        path = "/manage/login" + draw(query_strings())
        pairs = [("username", draw(st.sampled_from(["alice", "admin", ""]) | VALUES)),
                 ("password", draw(st.sampled_from(["password-123456", "wrong"]) | VALUES))]
        pairs += draw(st.lists(st.tuples(FOREIGN_KEYS | st.just("username"), VALUES), max_size=2))
        csrf_mode = draw(CSRF_MODES)
        if csrf_mode != "missing":
            page = fuzzer.send("GET", "/manage/login", client=client) if csrf_mode == "fresh" else None
            token = (dict(HIDDEN.findall(page.get_data(as_text=True))).get("csrf_token", "") if page is not None
                     else draw(NASTY))
            pairs.insert(draw(st.integers(0, len(pairs))), ("csrf_token", token))
        body, content_type = draw(bodies(pairs))
        fuzzer.send(draw(METHODS), path, body, content_type, client=client, address=address)

    respond()
    login()
    seconds = time.perf_counter() - started
    total = sum(fuzzer.sent.values())
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    print(f"\n{total} hostile requests in {seconds:.1f} s ({dict(fuzzer.sent)}); {stored} responses stored")
    assert total >= 2000
    assert stored > 0  # the fuzz reached the storing path, so the next check means something

    required = [q.id for q in industrial.questions if q.required and not q.show_if]
    answered = (sa.select(sa.func.count(sa.distinct(Answer.question_id)))
                .where(Answer.response_id == Response.id, Answer.question_id.in_(required)).scalar_subquery())
    partial = db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(answered < len(required)))
    assert partial == 0
