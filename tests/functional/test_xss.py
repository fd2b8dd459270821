"""XSS payloads in unit names, open answers and intro texts render inert on every page.

Every GET page of the URL map is opened as an admin (who sees everything), plus the
respondent pages; no HTML response may contain a payload unescaped.
"""

from __future__ import annotations

from dataclasses import replace

from support import login, make_survey, make_user

from survey_app.domain.answers import Answer as Checked
from survey_app.extensions import db
from survey_app.models._types import utcnow
from survey_app.services.responses import SubmissionMeta, store_response

PAYLOADS = ('<script>alert("x")</script>', '"><img src=x onerror=alert(1)>')


def test_payloads_are_escaped_everywhere(app, ctx, industrial):
    admin = make_user("admin", "admin")
    questionnaire = replace(industrial, intro=replace(industrial.intro, purpose=PAYLOADS[0], organisation=PAYLOADS[1]))
    survey = make_survey(questionnaire, units=(PAYLOADS[0], PAYLOADS[1]))
    survey.owner_id = admin.id
    survey.units[0].attributes = {"申报专项": PAYLOADS[1]}
    answers = {q.id: Checked(q.id, option_keys=("C",)) for q in survey.questionnaire.scored_questions}
    answers["Q1R"] = Checked("Q1R", text=PAYLOADS[0])
    answers["S1"] = Checked("S1", text=PAYLOADS[1])
    response = store_response(db.session, survey, survey.units[0], answers, SubmissionMeta(submitted_at=utcnow()))
    db.session.commit()
    ids = {"survey_id": survey.id, "unit_id": survey.units[0].id, "response_id": response.id, "user_id": admin.id}

    client = app.test_client()
    login(client, "admin")
    pages = [f"/s/{survey.units[0].token}", f"/o/{survey.open_token}"]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/manage") and "GET" in rule.methods and "events" not in rule.rule:
            path = rule.rule
            for name, value in ids.items():
                path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
            if "<" not in path:
                pages.append(path)
    checked = 0
    for path in pages:
        reply = client.get(path)
        if reply.mimetype != "text/html":
            continue
        html = reply.get_data(as_text=True)
        assert reply.status_code < 500, path
        for payload in PAYLOADS:
            assert payload not in html, f"unescaped payload on {path}"
        checked += 1
    assert checked >= 10
