"""Submit the designer page like a browser without JavaScript: every field as rendered, plus one button."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    """Collect the successful controls of the form with class ``designer`` (or the first form)."""

    def __init__(self, form_class: str | None):
        super().__init__(convert_charrefs=True)
        self.form_class, self.inside, self.pairs = form_class, False, []
        self.select: str | None = None
        self.select_first: tuple[str, str] | None = None
        self.selected = False
        self.textarea: str | None = None
        self.text = ""
        self.fieldsets: list[bool] = []  # disabled or not, innermost last

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = self.form_class is None or self.form_class in (a.get("class") or "").split()
            return
        if tag == "fieldset":
            self.fieldsets.append("disabled" in a)
            return
        if not self.inside or "disabled" in a or any(self.fieldsets):
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.pairs.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_first, self.selected = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = (self.select, value)
            if "selected" in a:
                self.pairs.append((self.select, value))
                self.selected = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "select" and self.select:
            if not self.selected and self.select_first:
                self.pairs.append(self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.pairs.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def form_fields(html: str, form_class: str | None = "designer") -> dict[str, list[str]]:
    """The fields a browser would post from the page's form: ``{name: [values]}``."""
    parser = _Form(form_class)
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.pairs:
        fields.setdefault(name, []).append(value)
    return fields


def press(client, url: str, op: str = "save", html: str | None = None, **changes):
    """Post the designer form as rendered in ``html`` (or freshly loaded), with ``changes``, pressing ``op``.

    ``changes``: field name (dots written as ``__``) → value, or a list for several values,
    or None to leave the field out (an unticked checkbox).
    """
    html = html if html is not None else client.get(url).get_data(as_text=True)
    fields = form_fields(html)
    for key, value in changes.items():
        name = key.replace("__", ".")
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value if isinstance(value, list) else [value]
    data = [(k, v) for k, values in fields.items() for v in values] + [("op", op)]
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict(data))
