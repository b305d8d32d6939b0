"""Sentences said later: one of our msgids and its values, put into the
language active when it is shown (``str()``), and kept as plain data in
between (``as_data()``, ``from_data()``).

The importer's errors are these: the admin's preview shows them in the
staff user's language, a background import's lines (kept in its job as
data) in the language of whoever opens the job, and the command line prints
them in English. ``say()`` and ``say_count()`` mark their msgids for
makemessages (``management/commands/makemessages.py``); a value that is
itself a Message is said in the same language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext, pgettext

# The context of a date's name in a rule's wording (rules.py): a line puts
# the date in brackets after the name, wherever the wording puts it.
DATE_NAME = "a date named in a rule"


@dataclass(frozen=True)
class Message:
    text: str
    params: dict = field(default_factory=dict)
    # A plural msgid and the value whose number chooses the form.
    plural: str = ""
    number: str = ""
    # Said as a clause of a line: lower case first, no full stop, and each
    # (name, date) given put in brackets after the name (translated with
    # the context DATE_NAME; where a translation lacks it, at the end).
    clause: bool = False
    dates: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        values = {k: str(v) if isinstance(v, Message) else v for k, v in self.params.items()}
        if self.plural:
            text = ngettext(self.text, self.plural, values[self.number])
        else:
            text = gettext(self.text)
        if values:
            text = text % values
        return self._as_clause(text) if self.clause else text

    def _as_clause(self, text: str) -> str:
        text = text[:1].lower() + text[1:].removesuffix(".")
        unplaced = []
        for name, value in self.dates:
            shown = pgettext(DATE_NAME, name)
            if shown in text:
                text = text.replace(shown, f"{shown} ({value})", 1)
            else:
                unplaced.append(value)
        return f"{text} ({', '.join(unplaced)})" if unplaced else text

    def as_data(self) -> dict:
        """JSON-friendly: ``from_data`` gives the message back."""
        data: dict = {
            "text": self.text,
            "params": {
                k: {"message": v.as_data()} if isinstance(v, Message) else v
                for k, v in self.params.items()
            },
        }
        if self.plural:
            data.update(plural=self.plural, number=self.number)
        if self.clause:
            data.update(clause=True, dates=[list(pair) for pair in self.dates])
        return data

    @classmethod
    def from_data(cls, data: dict) -> Message:
        params = {
            k: cls.from_data(v["message"]) if isinstance(v, dict) else v
            for k, v in data.get("params", {}).items()
        }
        return cls(
            data["text"],
            params,
            plural=data.get("plural", ""),
            number=data.get("number", ""),
            clause=data.get("clause", False),
            dates=tuple(tuple(pair) for pair in data.get("dates", ())),
        )


def _plain(value):
    """A value kept as data: numbers, text and messages as they are; any
    other value (a date, a path) as the text it reads as."""
    return value if isinstance(value, str | int | float | Message) else str(value)


def say(text: str, **params) -> Message:
    """``text`` (an English msgid, with ``%(name)s`` placeholders) and its
    values, to be said in the language active when shown."""
    return Message(text, {k: _plain(v) for k, v in params.items()})


def say_count(singular: str, plural: str, number: str, **params) -> Message:
    """A sentence in the plural form that ``params[number]`` calls for."""
    return Message(singular, {k: _plain(v) for k, v in params.items()}, plural, number)


def reason(error: Exception) -> Message | str:
    """What an error (a ValueError raised with a Message, or any other) says,
    kept unsaid when it is a Message."""
    said = error.args[0] if error.args else ""
    return said if isinstance(said, Message) else str(error)


def either(choices: list, separator: str = " or ") -> Message | str:
    """``a or b or c`` (``separator`` "; or " gives ``a; or b; or c``),
    said in the reader's language."""
    if len(choices) == 1:
        return choices[0]
    these = either(choices[:-1], separator)
    if separator == "; or ":
        return say("%(these)s; or %(that)s", these=these, that=choices[-1])
    return say("%(these)s or %(that)s", these=these, that=choices[-1])


def to_data(said: Message | str) -> dict | str:
    """A message as data (text stays text)."""
    return said.as_data() if isinstance(said, Message) else said


def from_data(data: dict | str) -> Message | str:
    return Message.from_data(data) if isinstance(data, dict) else data
