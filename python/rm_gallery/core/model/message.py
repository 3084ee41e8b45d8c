"""rm_gallery.core.model.message: MessageRole and ChatMessage (RM-Gallery's names and defaults).

Maps to rmg::ChatMessage (include/rmg/schema.h); fields rmg does not know, such as
time_created, cross the JSON boundary in its `extra` and come back unchanged.
"""

import datetime
import enum

from rm_gallery._model import Field, Model, ValidationError, list_of, model_of, to_datetime


class MessageRole(str, enum.Enum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    FUNCTION = "function"


class Tool(Model):
    """A function call's name and its arguments (JSON text)."""

    FIELDS = {"arguments": Field(required=True), "name": Field(required=True)}


def _function_type(value):
    """Converter: ChatTool.type, Literal["function"]."""
    if value != "function":
        raise ValidationError(f"expected 'function', got {value!r}")
    return value


class ChatTool(Model):
    """A tool call of an assistant message."""

    FIELDS = {
        "id": Field(required=True),
        "function": Field(required=True, convert=model_of(Tool)),
        "type": Field(default="function", convert=_function_type),
    }


class ChatMessage(Model):
    """One chat message: role (a MessageRole or its string), content, reasoning and tool calls."""

    FIELDS = {
        "role": Field(default=MessageRole.USER, convert=MessageRole),
        "name": Field(default=None),
        "content": Field(default=""),
        "reasoning_content": Field(default=""),
        "tool_calls": Field(default=None, convert=list_of(ChatTool)),
        "additional_kwargs": Field(factory=dict),
        "time_created": Field(factory=datetime.datetime.now, convert=to_datetime),
    }

    def __str__(self):
        stamp = self.time_created.strftime("%Y-%m-%d %H:%M:%S") if isinstance(
            self.time_created, datetime.datetime) else str(self.time_created)
        return f"{stamp} {self.role.value}: {self.content}"

    def __add__(self, other):
        """This message with `other`'s content appended (a streamed reply's chunks); None adds nothing."""
        if other is None:
            return self
        added = self.model_copy(deep=True)
        added.content = (self.content or "") + (other.content or "")
        return added

    @staticmethod
    def convert_from_strings(messages, system_message):
        """The system message, then `messages` as alternating user and assistant turns."""
        converted = [ChatMessage(role=MessageRole.SYSTEM, content=system_message)]
        for index, text in enumerate(messages):
            converted.append(ChatMessage(role=(MessageRole.USER, MessageRole.ASSISTANT)[index % 2], content=text))
        return converted

    @staticmethod
    def convert_to_strings(messages):
        """(the contents of the turns, the system messages' contents joined): convert_from_strings undone."""
        turns, system = [], ""
        for message in messages:
            if MessageRole(message.role) == MessageRole.SYSTEM:
                system += message.content or ""
            else:
                turns.append(message.content)
        return turns, system


class ChatResponse(Model):
    """An LLM's reply: the assistant message, and the raw reply when there is one."""

    FIELDS = {
        "message": Field(required=True, convert=lambda m: ChatMessage.model_validate(m)),
        "raw": Field(default=None),
        "delta": Field(default=None),
        "error_message": Field(default=None),
        "additional_kwargs": Field(factory=dict),
    }


class GeneratorChatResponse(ChatResponse):
    """A ChatResponse as a stream yields it (`delta` holds the new part)."""


def format_messages(messages):
    """Lines "<role>content</role>": the # Query of every rubric prompt.

    The role is its value ("user"), as on Python 3.10 and in rmg's C++ judges; RM-Gallery
    on Python 3.11+ writes "MessageRole.USER" there (its bug 3).
    """
    return "\n".join(f"<{MessageRole(m.role).value}>{m.content}</{MessageRole(m.role).value}>" for m in messages)
