"""rm_gallery.core.reward.template: prompt templates of LLM rewards (RM-Gallery's API).

A template class declares the tags an LLM must answer with as annotated fields
(`best: int = Field(..., description="...")`); schema() asks for them, parse()
reads `<tag>...</tag>` back into an instance. The rubric templates write RM-Gallery's
exact prompts (../shared/docs/rm_gallery_api.md §6); rmg's C++ judges build the same
text (src/llm/rubric_prompt.cc), these are for rewards written in Python.
"""

import ast
import typing

from rm_gallery import _rmg

_UNSET = object()

_TRUE = ("true", "1", "yes", "on", "t", "y")
_FALSE = ("false", "0", "no", "off", "f", "n")


def _annotation(cls, name):
    """The declared type of field `name` (Optional[X] as X); None when it has none."""
    for klass in cls.__mro__:
        annotations = klass.__dict__.get("__annotations__", {})
        if name in annotations:
            annotation = annotations[name]
            if isinstance(annotation, str):  # `from __future__ import annotations`
                annotation = {"int": int, "float": float, "bool": bool, "str": str}.get(annotation)
            arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
            if typing.get_origin(annotation) is typing.Union and len(arguments) == 1:
                annotation = arguments[0]
            return annotation
    return None


def _convert(value, annotation, owner, name):
    """A tag's text as its field's int, float or bool, as pydantic converts it; other values as they are."""
    if not isinstance(value, str) or annotation not in (int, float, bool):
        return value
    text = value.strip()
    try:
        if annotation is bool:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError(text)
        return annotation(text)
    except ValueError:
        raise ValueError(f"{owner}: field '{name}': cannot read {value!r} as {annotation.__name__}") from None


class FieldInfo:
    """A declared template field: default, description and an optional alias (the tag read back)."""

    def __init__(self, default=_UNSET, description=None, alias=None, default_factory=None):
        self.default = default
        self.description = description
        self.alias = alias
        self.default_factory = default_factory


def Field(default=_UNSET, *, description=None, alias=None, default_factory=None, **_ignored):  # noqa: N802
    """pydantic's Field for templates; Field(..., description=...) marks a required field."""
    return FieldInfo(_UNSET if default is Ellipsis else default, description, alias, default_factory)


def _fields(cls):
    """(name, FieldInfo) of every annotated field, base classes first, in declaration order."""
    fields = {}
    for klass in reversed(cls.__mro__):
        for name in klass.__dict__.get("__annotations__", {}):
            value = klass.__dict__.get(name, _UNSET)
            info = value if hasattr(value, "description") and hasattr(value, "default") else FieldInfo(value)
            fields[name] = info
    return list(fields.items())


class BasePromptTemplate:
    """Tags in, tags out: `reason` (tag <think>, asked for as <reason>) plus a subclass's fields."""

    reason: str = Field(default=None, alias="think", description="your reasoning trace")

    def __init__(self, **kwargs):
        for name, info in _fields(type(self)):
            if name in kwargs:
                value = kwargs[name]
            elif info.alias and info.alias in kwargs:
                value = kwargs[info.alias]
            elif info.default_factory is not None:
                value = info.default_factory()
            elif info.default is not _UNSET:
                value = info.default
            else:
                raise ValueError(f"{type(self).__name__}: field '{name}' is missing from the LLM's answer")
            setattr(self, name, _convert(value, _annotation(type(self), name), type(self).__name__, name))

    @classmethod
    def _parse(cls, text):
        """{tag: body} of `text`, read as rmg's C++ judges read a reply: each tag's last
        complete pair, bodies stripped, tags quoted inside <reason>/<think> ignored
        (RM-Gallery's greedy regex runs from a tag's first opening to its last closing)."""
        return _rmg.reply_tags(text)

    @classmethod
    def parse(cls, text):
        """An instance from an LLM answer; the <think> tag fills `reason`."""
        values = cls._parse(text)
        values.setdefault("think", "")
        values.pop("reason", None)  # the alias wins over the field name (RM-Gallery's bug 25)
        return cls(**values)

    @classmethod
    def schema(cls, enable_thinking=False, **kwargs):
        """The output instructions: one <tag> block per field (no <reason> when the model thinks)."""
        text = "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
        for name, info in _fields(cls):
            if name == "reason" and enable_thinking:
                continue
            text += f"<{name}>\n{info.description}\n</{name}>\n"
        return text

    @classmethod
    def format(cls, enable_thinking=False, **kwargs):
        """The prompt; subclasses write it."""
        return None

    def model_dump(self):
        return {name: getattr(self, name) for name, _ in _fields(type(self))}


def _section(heading, body):
    return f"\n# {heading}\n{body}\n" if body else ""


def _reason_from(values):
    """The judge's reasoning as rmg's judges read it: a non-empty <think>, else <reason>, else ""
    (RM-Gallery's None for a reply without either fails the result, its bug 9)."""
    return values.get("think") or values.get("reason", "")


class RubricPointWiseTemplate(BasePromptTemplate):
    violation: list = Field(default=..., description="a list of violated rubrics")

    @classmethod
    def parse(cls, text):
        values = cls._parse(text)
        try:
            violation = ast.literal_eval(values.get("violation", ""))
        except (ValueError, SyntaxError):
            violation = []
        response = cls(reason=_reason_from(values), violation=violation)
        response.tags = values  # the rubric reward scores from these, by rmg's rules
        return response

    @classmethod
    def format(cls, desc, scenario, rubrics, examples, query, context, answer, **kwargs):
        return (f"# Task Description\n{desc}\n{_section('Scenario', scenario)}\n\n# Rubrics\n{rubrics}\n"
                f"{_section('Examples', examples)}\n\n# Query\n{query}\n{_section('Context', context)}\n\n"
                f"# Answer\n{answer}\n\n# Output Requirement\n{cls.schema(**kwargs)}\n")


class RubricListWiseTemplate(BasePromptTemplate):
    best: int = Field(default=..., description="which answer is the best? just give the number here!!!")

    @classmethod
    def parse(cls, text):
        values = cls._parse(text)
        if "best" not in values:
            raise ValueError("reply has no <best> tag")
        try:
            best = int(values["best"])
        except ValueError:
            best = None  # "Answer 2", "**2**": the rubric reward reads it by rmg's rules
        response = cls(reason=_reason_from(values), best=best)
        response.tags = values
        return response

    @classmethod
    def format(cls, desc, scenario, rubrics, examples, query, context, answers, **kwargs):
        rubric_block = f"# Rubrics\n{rubrics}\n" if rubrics else ""
        example_block = f"# Examples\n{examples}\n" if examples else ""
        answer_block = "".join(f"## Answer {i + 1}\n{a}\n\n" for i, a in enumerate(answers))
        return (f"# Task Description\n{desc}\n{_section('Scenario', scenario)}\n\n{rubric_block}\n{example_block}"
                f"\n\n# Query\n{query}\n{_section('Context', context)}\n\n# Answers\n{answer_block}\n\n"
                f"# Output Requirement\n{cls.schema(**kwargs)}\n")
