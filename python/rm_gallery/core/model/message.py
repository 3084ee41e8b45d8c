"""rm_gallery.core.model.message: MessageRole and ChatMessage (RM-Gallery's names and defaults).

Maps to rmg::ChatMessage (include/rmg/schema.h); fields rmg does not know, such as
time_created, cross the JSON boundary in its `extra` and come back unchanged.
"""

import datetime
import enum

from rm_gallery._model import Field, Model, to_datetime


class MessageRole(str, enum.Enum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    FUNCTION = "function"


class ChatMessage(Model):
    """One chat message: role (a MessageRole or its string), content, reasoning and tool calls."""

    FIELDS = {
        "role": Field(default=MessageRole.USER, convert=MessageRole),
        "name": Field(default=None),
        "content": Field(default=""),
        "reasoning_content": Field(default=""),
        "tool_calls": Field(default=None),
        "additional_kwargs": Field(factory=dict),
        "time_created": Field(factory=datetime.datetime.now, convert=to_datetime),
    }

    def __str__(self):
        stamp = self.time_created.strftime("%Y-%m-%d %H:%M:%S") if isinstance(
            self.time_created, datetime.datetime) else str(self.time_created)
        return f"{stamp} {self.role.value}: {self.content}"
