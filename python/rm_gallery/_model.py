"""A small pydantic-like base for rm_gallery's data classes (no pydantic needed).

Maps RM-Gallery's pydantic v2 behaviour onto plain classes: keyword construction
with defaults (mutable defaults fresh per instance), unknown keywords ignored,
nested dicts converted to the declared classes, and model_dump() / dict() /
model_dump_json() / model_validate() / model_copy(deep=True).
"""

import copy
import datetime
import decimal
import enum
import json
import math
import pathlib
import uuid

REQUIRED = object()


class Field:
    """One declared field: a default (or a factory for mutable ones) and a converter."""

    def __init__(self, default=None, factory=None, convert=None, required=False):
        self.default = default
        self.factory = factory
        self.convert = convert
        self.required = required

    def make_default(self):
        return self.factory() if self.factory is not None else self.default


def _part(spec, key):
    """The part of a pydantic include/exclude spec (a set of names, or a dict of name or
    index to True or a nested spec, "__all__" for every item) that names `key`; None
    when it does not name it."""
    if isinstance(spec, (set, frozenset, list, tuple)):
        return True if key in spec else None
    part = spec.get(key, spec.get("__all__"))
    return None if part is False else part


def _dump(value, mode, include=None, exclude=None, exclude_none=False):
    """`value` as model_dump writes it; include/exclude (pydantic's specs) apply to a
    model's fields and a list's items."""
    if isinstance(value, Model):
        if include is None and exclude is None and not exclude_none:  # as a subclass's own model_dump(mode) takes it
            return value.model_dump(mode=mode)
        return value.model_dump(mode=mode, include=include, exclude=exclude, exclude_none=exclude_none)
    if isinstance(value, (list, tuple)):
        items = []
        for index, item in enumerate(value):
            inner_include = True if include is None else _part(include, index)
            inner_exclude = None if exclude is None else _part(exclude, index)
            if inner_include is None or inner_exclude is True:
                continue
            items.append(_dump(item, mode, None if inner_include is True else inner_include, inner_exclude,
                               exclude_none))
        return tuple(items) if isinstance(value, tuple) and mode != "json" else items
    if isinstance(value, dict):
        return {k: _dump(v, mode, exclude_none=exclude_none) for k, v in value.items()}
    if mode == "json":
        # As pydantic's JSON mode writes them: rmg's JSON has no NaN, and sets and bytes no JSON type.
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, (set, frozenset)):
            return [_dump(v, mode) for v in value]
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).decode("utf-8", "replace")
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return value.isoformat()
        # As pydantic writes them; numpy's arrays and scalars (what pandas and parquet rows
        # hold) as their Python lists and numbers.
        if isinstance(value, (decimal.Decimal, uuid.UUID, pathlib.PurePath)):
            return str(value)
        if hasattr(value, "tolist") and not isinstance(value, (str, int, float, bool)):
            return _dump(value.tolist(), mode)
    return value


class ValidationError(ValueError, TypeError):
    """A value that does not fit its field, named by its path ("DataSample: input: ...").

    A ValueError, as pydantic's ValidationError is, and a TypeError, as it was here before."""


class Model:
    """Base of every data class; subclasses declare FIELDS = {name: Field(...)} in order."""

    FIELDS = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.model_fields = dict(cls._all_fields())  # pydantic's name -> field mapping

    def __init__(self, **kwargs):
        for name, field in self._all_fields().items():
            if name in kwargs and not (kwargs[name] is None and field.required):
                value = kwargs[name]
            elif field.required:
                raise ValidationError(f"{type(self).__name__}: field '{name}' is required")
            else:
                value = field.make_default()
            if field.convert is not None and value is not None:
                try:
                    value = field.convert(value)
                except (TypeError, ValueError) as error:  # named by its path: "DataSample: input: [1]: ..."
                    raise ValidationError(f"{type(self).__name__}: {name}: {error}") from None
            object.__setattr__(self, name, value)

    @classmethod
    def _all_fields(cls):
        """name -> Field for cls and its bases, base fields first; computed once per class."""
        fields = cls.__dict__.get("_fields_of_class")
        if fields is None:
            fields = {}
            for klass in reversed(cls.__mro__):
                fields.update(klass.__dict__.get("FIELDS", {}))
            cls._fields_of_class = fields
        return fields

    @classmethod
    def model_validate(cls, data, *, strict=None, from_attributes=None, context=None):
        """Builds an instance from a dict (or returns `data` if it already is one). pydantic's
        strict, from_attributes and context are accepted; validation here is always lax."""
        if isinstance(data, cls):
            return data
        if isinstance(data, Model):
            data = data.model_dump()
        if not isinstance(data, dict):
            raise ValidationError(f"{cls.__name__}: expected a dict, got {type(data).__name__}")
        return cls(**data)

    @classmethod
    def model_validate_json(cls, text, *, strict=None, context=None):
        return cls.model_validate(json.loads(text))

    def model_dump(self, mode="python", include=None, exclude=None, exclude_none=False, by_alias=False,
                   round_trip=False, warnings=True):
        """The fields as a dict; mode="json" turns enums and datetimes into strings. include and
        exclude are pydantic's (a set of field names, or a dict for nested models and lists);
        exclude_none leaves out fields that are None. There are no aliases, so by_alias changes
        nothing."""
        out = {}
        for name in self._all_fields():
            inner_include = True if include is None else _part(include, name)
            inner_exclude = None if exclude is None else _part(exclude, name)
            if inner_include is None or inner_exclude is True:
                continue
            value = getattr(self, name)
            if exclude_none and value is None:
                continue
            out[name] = _dump(value, mode, None if inner_include is True else inner_include, inner_exclude,
                              exclude_none)
        return out

    def dict(self, **kwargs):
        return self.model_dump(**kwargs)

    def model_dump_json(self, indent=None, include=None, exclude=None, exclude_none=False, by_alias=False,
                        round_trip=False, warnings=True):
        dumped = self.model_dump(mode="json", include=include, exclude=exclude, exclude_none=exclude_none)
        return json.dumps(dumped, ensure_ascii=False, indent=indent)

    def model_copy(self, update=None, deep=False):
        """A copy (deep with deep=True) with the fields in `update` set, unvalidated, as pydantic does."""
        copied = copy.deepcopy(self) if deep else copy.copy(self)
        for name, value in (update or {}).items():
            object.__setattr__(copied, name, value)
        return copied

    def __eq__(self, other):
        return type(self) is type(other) and self.model_dump() == other.model_dump()

    def __repr__(self):
        body = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._all_fields())
        return f"{type(self).__name__}({body})"


class model_of:  # noqa: N801 (used like a function: convert=model_of(Step))
    """Converter: a dict (or instance) into `model`. A class, so that rm_gallery._rmg's
    fast JSON reader (python/src/model_json.cc) can see which class a field holds."""

    def __init__(self, model):
        self.model = model

    def __call__(self, value):
        return self.model.model_validate(value)


class list_of:  # noqa: N801 (used like a function: convert=list_of(Step))
    """Converter: a list of dicts (or instances) into a list of `model` (see model_of)."""

    def __init__(self, model):
        self.model = model

    def __call__(self, values):
        if not isinstance(values, (list, tuple)):
            raise ValidationError(f"expected a list of {self.model.__name__}, got {type(values).__name__}")
        converted = []
        for index, value in enumerate(values):
            try:
                converted.append(self.model.model_validate(value))
            except ValidationError as error:
                raise ValidationError(f"[{index}]: {error}") from None
        return converted


def to_datetime(value):
    """Converter: an ISO-8601 string (as model_dump_json writes) into a datetime."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value
