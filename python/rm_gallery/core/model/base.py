"""rm_gallery.core.model.base: BaseLLM, the fields every LLM client shares (RM-Gallery's defaults)."""

from rm_gallery.core.model.message import ChatMessage, MessageRole


class BaseLLM:
    """model, sampling and retry settings; subclasses implement chat()."""

    DEFAULTS = {
        "model": None, "temperature": 0.85, "top_p": 1.0, "top_k": None, "max_tokens": 2048, "stop": None,
        "tools": None, "tool_choice": "auto", "api_key": None, "base_url": None, "max_retries": 3,
        "retry_delay": 1.0, "enable_thinking": False,
    }

    def __init__(self, **kwargs):
        defaults = {}
        for klass in reversed(type(self).__mro__):
            defaults.update(klass.__dict__.get("DEFAULTS", {}))
        for key, default in defaults.items():
            setattr(self, key, kwargs.get(key, default))
        if self.model is None:
            raise ValueError(f"{type(self).__name__}: field 'model' is required")

    def chat(self, messages, **kwargs):
        """A ChatResponse for `messages` (a list of ChatMessage/dicts, or one string)."""
        raise NotImplementedError

    def simple_chat(self, query, history=None, sys_prompt="You are a helpful assistant.", **kwargs):
        """The reply text to `query` after `sys_prompt` and `history` (alternating user/assistant strings)."""
        messages = [ChatMessage(role=MessageRole.SYSTEM, content=sys_prompt)] if sys_prompt else []
        for i, text in enumerate(history or []):
            messages.append(ChatMessage(role=MessageRole.USER if i % 2 == 0 else MessageRole.ASSISTANT, content=text))
        messages.append(ChatMessage(role=MessageRole.USER, content=query))
        return self.chat(messages, **kwargs).message.content


def to_messages(messages):
    """ChatMessages from a string, dicts or ChatMessages."""
    if isinstance(messages, str):
        return [ChatMessage(role=MessageRole.USER, content=messages)]
    return [ChatMessage.model_validate(m) for m in messages]
