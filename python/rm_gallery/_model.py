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


def _dump(value, mode):
    if isinstance(value, Model):
        return value.model_dump(mode=mode)
    if isinstance(value, list):
        return [_dump(v, mode) for v in value]
    if isinstance(value, tuple):
        return [_dump(v, mode) for v in value] if mode == "json" else tuple(_dump(v, mode) for v in value)
    if isinstance(value, dict):
        return {k: _dump(v, mode) for k, v in value.items()}
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
    def model_validate(cls, data):
        """Builds an instance from a dict (or returns `data` if it already is one)."""
        if isinstance(data, cls):
            return data
        if isinstance(data, Model):
            data = data.model_dump()
        if not isinstance(data, dict):
            raise ValidationError(f"{cls.__name__}: expected a dict, got {type(data).__name__}")
        return cls(**data)

    @classmethod
    def model_validate_json(cls, text):
        return cls.model_validate(json.loads(text))

    def model_dump(self, mode="python"):
        """The fields as a dict; mode="json" turns enums and datetimes into strings."""
        return {name: _dump(getattr(self, name), mode) for name in self._all_fields()}

    def dict(self):
        return self.model_dump()

    def model_dump_json(self, indent=None):
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=indent)

    def model_copy(self, deep=False):
        return copy.deepcopy(self) if deep else copy.copy(self)

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
